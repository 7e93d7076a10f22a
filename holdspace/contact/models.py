"""Every contact with the person who caused harm and his surroundings, and every
meeting (reports to the supervision group are in holdspace.reports).

These are records of the process's chronology (see processes.models.Record):
an author group, an audience and a record key. Their dates, directions and
outcomes stay in plain text, so that the figures and the watchdog work
without anybody's key; what was said is encrypted.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.processes.models import Record
from holdspace.vault.fields import EncryptedTextField


class Contact(Record):
    """An e-mail, call, letter or message, either way. An attempt that is never
    answered is as important as an answer: it is the record of silence."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        CALL = "call", _("call")
        LETTER = "letter", _("letter")
        MESSAGE = "message", _("message")
        IN_PERSON = "in_person", _("in person")

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("we contacted")
        INCOMING = "incoming", _("contacted us")

    class Counterpart(models.TextChoices):
        # Stored as "him" since the first version; the same person as Party.Role.HARMING.
        HARMING = "him", _("the person who caused harm")
        SURROUNDINGS = "surroundings", _("someone in his surroundings")

    channel = models.CharField(max_length=16, choices=Channel.choices)
    direction = models.CharField(max_length=16, choices=Direction.choices)
    counterpart = models.CharField(max_length=16, choices=Counterpart.choices)
    counterpart_note = EncryptedTextField(_("who"), key="data_key", blank=True)
    summary = EncryptedTextField(_("what was said"), key="data_key")
    # Outgoing only: the day he answered; empty while he has not.
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    CONTENT_FIELDS = ("occurred_on", "counterpart_note", "summary")

    def __str__(self) -> str:
        return f"contact {self.pk}"

    @property
    def awaits_answer(self) -> bool:
        return (
            self.direction == self.Direction.OUTGOING
            and self.counterpart == self.Counterpart.HARMING
            and self.answered_on is None
        )


class Meeting(Record):
    """A meeting with him; with people from his surroundings (a partner, his
    political group) when ``counterpart`` says so; or an internal meeting of a
    group (a constituting meeting, supervision) when ``internal`` is set.
    Only meetings with him count for the watchdog and the figures."""

    class Outcome(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        NO_SHOW = "no_show", _("he did not come")
        CANCELLED_BY_US = "cancelled_by_us", _("cancelled by us")
        CANCELLED_BY_HIM = "cancelled_by_him", _("cancelled by him")

    class Preparation(models.TextChoices):
        NOT_ASKED = "not_asked", _("nothing asked")
        WAITING = "waiting", _("asked, not yet sent")
        CAME = "came", _("sent")
        DID_NOT_COME = "did_not_come", _("not sent")

    internal = models.BooleanField(_("without him (internal)"), default=False)
    # Who the group meets, unless internal: him, or people around him.
    counterpart = models.CharField(
        max_length=16, choices=Contact.Counterpart.choices, default=Contact.Counterpart.HARMING
    )
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = EncryptedTextField(_("place or call"), key="data_key", blank=True)
    agenda = EncryptedTextField(_("agenda"), key="data_key", blank=True)
    preparation_asked = EncryptedTextField(_("asked of him beforehand"), key="data_key", blank=True)
    preparation = models.CharField(
        max_length=16, choices=Preparation.choices, default=Preparation.NOT_ASKED
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.SCHEDULED)
    # The day of the outcome: the meeting's own day if it was held or he did
    # not come, the day it was called off if cancelled; and when that was
    # written down here.
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    minutes = EncryptedTextField(_("minutes"), key="data_key", blank=True)
    follow_ups = EncryptedTextField(_("agreed follow-ups"), key="data_key", blank=True)
    attendees = models.ManyToManyField(User, blank=True, related_name="+")

    CONTENT_FIELDS = (
        "occurred_on",
        "starts_at",
        "place",
        "agenda",
        "preparation_asked",
        "minutes",
        "follow_ups",
    )

    def __str__(self) -> str:
        return f"meeting {self.pk}"

    @property
    def with_him(self) -> bool:
        return not self.internal and self.counterpart == Contact.Counterpart.HARMING

    @property
    def with_surroundings(self) -> bool:
        return not self.internal and self.counterpart == Contact.Counterpart.SURROUNDINGS

    def is_upcoming(self, today: datetime.date | None = None) -> bool:
        day = today or timezone.localdate()
        return self.outcome == self.Outcome.SCHEDULED and self.occurred_on >= day
