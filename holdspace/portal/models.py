"""What passes between the group carrying contact and the person who caused
harm, through his portal (DESIGN C11).

A *message* is written in the contact group's space, for that group only,
and can be edited until someone sends it to him: sending addresses it to
his portal (and seals its key to his space) and freezes it.

An *answer* is what he writes: a reflection before a meeting, a progress
report, a reply to a message, or that he told someone new. It lands in the
contact group's space, addressed to that group (and to his own space, so
that he can read what he sent), and nowhere else unless the group shares it.

Kinds, dates and ids are plain; every text is encrypted with the record's key.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.processes.models import Record
from holdspace.vault.fields import EncryptedTextField


class Message(Record):
    """A message from the group carrying contact to him."""

    body = EncryptedTextField(_("message"), key="data_key")
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # What an edit may change, before it is sent (never after).
    CONTENT_FIELDS = ("body",)

    def __str__(self) -> str:
        return f"message {self.pk}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class Answer(Record):
    """What he wrote through his portal. ``occurred_on`` is the day he wrote
    it; ``about`` is the meeting, step or message it answers, if any."""

    class Kind(models.TextChoices):
        REFLECTION = "reflection", _("reflection before a meeting")
        PROGRESS = "progress", _("progress report")
        REPLY = "reply", _("reply to a message")
        TOLD = "told", _("told someone new")

    answer_kind = models.CharField(max_length=16, choices=Kind.choices)
    body = EncryptedTextField(_("what was written"), key="data_key")
    about = models.ForeignKey(
        Record,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portal_answers",
    )

    def __str__(self) -> str:
        return f"answer {self.pk}"
