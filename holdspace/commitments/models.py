"""What was asked, what was agreed, and whether it holds.

The letter, demands, steps and agreements are records of the process's
chronology (see processes.models.Record): they have an author group, an
audience and a record key. Everything attached to one of them — wordings,
proposals, evidence, copies, breaches, the rota — is encrypted with that
record's key and read by its audience.

Dates stay in plain text, so that the watchdog can see due dates, reviews
and ends without anybody's key (see ``deadlines``).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.commitments import deadlines
from holdspace.processes.models import Group, Record
from holdspace.vault.fields import EncryptedTextField


def _id() -> models.UUIDField[uuid.UUID, uuid.UUID]:
    return models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)


# The letter ------------------------------------------------------------------


class Letter(Record):
    """The survivor's side's (semi-)open letter. Edits keep earlier versions."""

    title = EncryptedTextField(_("title"), key="data_key")
    body = EncryptedTextField(_("letter"), key="data_key")

    CONTENT_FIELDS = ("occurred_on", "title", "body")

    def __str__(self) -> str:
        return f"letter {self.pk}"


class LetterCopy(models.Model):
    """A numbered copy handed to someone: who holds which version."""

    class Form(models.TextChoices):
        PRINTED = "printed", _("printed")
        DIGITAL = "digital", _("digital")

    id = _id()
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="copies")
    number = models.PositiveIntegerField()
    letter_version = models.PositiveIntegerField()
    recipient = EncryptedTextField(_("given to"), key="letter.data_key")
    handed_on = models.DateField(_("handed over on"), default=timezone.localdate)
    handed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    form = models.CharField(max_length=16, choices=Form.choices, default=Form.PRINTED)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="copy_numbers_unique")
        ]

    def __str__(self) -> str:
        return f"copy {self.number} of {self.letter_id}"


# Demands and steps -----------------------------------------------------------


class Demand(Record):
    """A demand of the survivor's side. Its wording changes only with the
    survivor's side's approval; every wording ever agreed is kept."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        MET = "met", _("met")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    wording = EncryptedTextField(_("demand"), key="data_key")
    reason = EncryptedTextField(_("why"), key="data_key", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)

    CONTENT_FIELDS = ("occurred_on", "reason")

    def __str__(self) -> str:
        return f"demand {self.pk}"

    def follow_edit(self, before: Mapping[str, Any]) -> None:
        """After an edit: its first wording and its first status date from the
        day it was made, and move with that day (DESIGN §6)."""
        if before.get("occurred_on", self.occurred_on) == self.occurred_on:
            return
        self.wordings.filter(number=1).update(agreed_on=self.occurred_on)
        first = self.status_changes.order_by("created_at").values_list("pk", "status").first()
        if first is not None and first[1] == self.Status.OPEN:
            self.status_changes.filter(pk=first[0]).update(changed_on=self.occurred_on)


class DemandWording(models.Model):
    """One agreed wording of a demand, in order: the day it was agreed, and
    when it was written down here (DESIGN §6)."""

    id = _id()
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="wordings")
    number = models.PositiveIntegerField()
    wording = EncryptedTextField(_("wording"), key="demand.data_key")
    agreed_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    agreed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Agreed by the survivor herself (her own account), not her support group.
    agreed_by_survivor = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "number"], name="wording_numbers_unique")
        ]

    def __str__(self) -> str:
        return f"wording {self.number} of {self.demand_id}"


class DemandStatusChange(models.Model):
    """A status of a demand, from the day it happened (``changed_on``); the
    history reads in that order, then in the order it was written down."""

    id = _id()
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=16, choices=Demand.Status.choices)
    changed_on = models.DateField(default=timezone.localdate)
    changed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = EncryptedTextField(_("note"), key="demand.data_key", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Changed by the survivor herself (approving an end), not her support group.
    changed_by_survivor = models.BooleanField(default=False)

    class Meta:
        ordering = ["changed_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.status} for {self.demand_id}"


class WordingProposal(models.Model):
    """A proposed new wording, or the end of a demand (met, withdrawn), waiting
    for the survivor's side: it changes nothing until they approve it. A
    decline carries the decliner's reason, which the proposers read."""

    class Kind(models.TextChoices):
        REWORD = "reword", _("new wording")
        MET = "met", _("mark the demand as met")
        WITHDRAW = "withdraw", _("withdraw the demand")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    id = _id()
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    wording = EncryptedTextField(_("proposed wording"), key="demand.data_key", blank=True)
    reason = EncryptedTextField(_("why"), key="demand.data_key")
    proposed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_in = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    # The days it was proposed and decided; ``…_at``: when that was written down.
    proposed_on = models.DateField(default=timezone.localdate)
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Decided by the survivor herself (her own account), not her support group.
    decided_by_survivor = models.BooleanField(default=False)
    # Why the survivor's side decided as it did (required to decline).
    decision_reason = EncryptedTextField(_("why you decided so"), key="demand.data_key", blank=True)
    # The members of the survivor's side who took part in the decision.
    participants = models.ManyToManyField(
        User, blank=True, related_name="+", verbose_name=_("who took part in the decision")
    )

    class Meta:
        ordering = ["-proposed_on", "-proposed_at"]

    def __str__(self) -> str:
        return f"proposal {self.pk}"


class Step(Record):
    """An intermediate action the person who caused harm agreed to take towards
    a demand. It is his task, never the group's."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    # "towards", not "demand": every record already has a `demand` (the child link).
    towards = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="steps")
    description = EncryptedTextField(_("step"), key="data_key")
    due_on = models.DateField(_("due on"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)

    CONTENT_FIELDS = ("occurred_on", "description", "due_on")
    # Not a status of its own (it is open, and late): the value of the event
    # that notes it on the chronology.
    OVERDUE = "overdue"

    def __str__(self) -> str:
        return f"step {self.pk}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status == self.Status.OPEN and deadlines.is_overdue(self.due_on, today)


class Evidence(models.Model):
    """Progress towards a demand or a step, and how the group judged it."""

    class Source(models.TextChoices):
        REPORTED = "reported", _("reported by him")
        OBSERVED = "observed", _("observed by the group")

    class Assessment(models.TextChoices):
        UNCHECKED = "unchecked", _("not yet checked")
        CONFIRMED = "confirmed", _("checked and confirmed")
        DISPUTED = "disputed", _("disputed")

    id = _id()
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="evidence")
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.REPORTED)
    text = EncryptedTextField(_("what was reported or seen"), key="record.data_key")
    assessment = models.CharField(
        max_length=16, choices=Assessment.choices, default=Assessment.UNCHECKED
    )
    assessment_note = EncryptedTextField(
        _("how the group sees it"), key="record.data_key", blank=True
    )
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-happened_on", "-created_at"]

    def __str__(self) -> str:
        return f"evidence {self.pk}"


# Agreements ------------------------------------------------------------------


class Agreement(Record):
    """A short, time-limited agreement. Only no-contact may be open-ended."""

    class Kind(models.TextChoices):
        NO_CONTACT = "no_contact", _("no contact with the person harmed")
        SUPERVISED_CONTACT = "supervised_contact", _("only supervised contact")
        INDIRECT_CONTACT = "indirect_contact", _("only indirect contact")
        NO_NEW_PARTNERS = "no_new_partners", _("no new romantic partners")
        DECLARE_PROCESS = "declare_process", _("tell new partners about the process")
        SPACE_SHARING = "space_sharing", _("sharing spaces")
        CUSTOM = "custom", _("other agreement")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        AGREED = "agreed", _("agreed")
        EXPIRED = "expired", _("expired")
        RENEWED = "renewed", _("renewed")
        ENDED = "ended", _("ended")

    # Kinds that may stand without an end date.
    OPEN_ENDED = frozenset({Kind.NO_CONTACT, Kind.SUPERVISED_CONTACT, Kind.INDIRECT_CONTACT})

    agreement_kind = models.CharField(max_length=24, choices=Kind.choices)
    terms = EncryptedTextField(_("what is agreed"), key="data_key")
    binds = EncryptedTextField(_("who it binds"), key="data_key")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    renews = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewal"
    )

    CONTENT_FIELDS = ("terms", "binds", "starts_on", "ends_on", "review_on")

    def __str__(self) -> str:
        return f"agreement {self.pk}"

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return self.status == self.Status.AGREED and deadlines.is_overdue(self.ends_on, today)

    def review_overdue(self, today: datetime.date | None = None) -> bool:
        """In force, and the day to look at it again has passed."""
        return self.status == self.Status.AGREED and deadlines.is_overdue(self.review_on, today)

    def effective_status(self, today: datetime.date | None = None) -> str:
        return str(self.Status.EXPIRED) if self.is_expired(today) else str(self.status)


class Breach(models.Model):
    class Severity(models.TextChoices):
        MINOR = "minor", _("minor")
        SERIOUS = "serious", _("serious")
        GRAVE = "grave", _("grave")

    id = _id()
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="breaches")
    happened_on = models.DateField(_("when it happened"))
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)
    reported_by = EncryptedTextField(_("reported by"), key="agreement.data_key")
    what = EncryptedTextField(_("what happened"), key="agreement.data_key")
    severity = models.CharField(max_length=16, choices=Severity.choices)
    response = EncryptedTextField(_("our response"), key="agreement.data_key", blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-created_at"]

    def __str__(self) -> str:
        return f"breach of {self.agreement_id}"


# The space-sharing rota ------------------------------------------------------


class RotaPerson(models.Model):
    """Someone on a rota, by the pseudonym the rota uses (e.g. "X", "Y")."""

    id = _id()
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="rota_people")
    pseudonym = EncryptedTextField(_("pseudonym on the rota"), key="agreement.data_key")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"rota person {self.pk}"


class RotaVenue(models.Model):
    id = _id()
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="venues")
    name = EncryptedTextField(_("place"), key="agreement.data_key")
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"venue {self.pk}"


class RotaSlot(models.Model):
    """The weekly pattern: who may be at a venue on a weekday (0 = Monday)."""

    venue = models.ForeignKey(RotaVenue, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField()
    person = models.ForeignKey(RotaPerson, on_delete=models.CASCADE, related_name="slots")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["venue", "weekday"], name="one_person_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.weekday}"


class RotaException(models.Model):
    """A change for one date: a swap, someone extra, or nobody."""

    class Change(models.TextChoices):
        INSTEAD = "instead", _("instead of the usual person")
        ALSO = "also", _("as well as the usual person")
        NOBODY = "nobody", _("nobody")

    id = _id()
    venue = models.ForeignKey(RotaVenue, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))
    change = models.CharField(max_length=16, choices=Change.choices)
    person = models.ForeignKey(
        RotaPerson, null=True, blank=True, on_delete=models.CASCADE, related_name="exceptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "created_at"]

    def __str__(self) -> str:
        return f"{self.change} on {self.date}"
