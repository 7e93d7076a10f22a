"""Collective decisions and the consequence ladder (DESIGN C9, C10).

A *decision* is a record of the process: a proposal, addressed to the groups
its audience names (the groups who are asked), a consent round in which each
of their members answers, and an outcome that is frozen once recorded. A
later decision can replace it.

A *ladder* is a group's agreed list of steps for each kind of
non-cooperation; it is itself agreed through a decision. When the watchdog
sees a trigger (a missed meeting, a long silence, a breach), a draft decision
is opened pointing at the next agreed step; nobody outside the group is told.

Statuses, dates, kinds and ids are plain (the watchdog reads them without a
key); every text is encrypted with the record's key.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from holdspace.accounts.models import User
from holdspace.processes.models import Group, Record
from holdspace.vault.fields import EncryptedTextField


class NonCooperation(models.TextChoices):
    """The kinds of non-cooperation a ladder has steps for."""

    SLOW_REPLIES = "slow_replies", _("slow or no replies")
    REFUSES_TO_MEET = "refuses_to_meet", _("refusing to meet")
    MISSED_MEETINGS = "missed_meetings", _("missed meetings")
    REFUSES_WORK = "refuses_work", _("refusing perpetrator work")
    UNDISCLOSED = (
        "undisclosed",
        _("joining political groups or new relationships without telling them"),
    )
    BREACH = "breach", _("a breach of an agreement")


class Ladder(Record):
    """The steps a group agreed to take, for each kind of non-cooperation.
    One per group; usually the group carrying contact keeps it."""

    keeper = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="+")
    # The version of the steps the group agreed to, when, and through which decision.
    agreed_version = models.PositiveIntegerField(null=True, blank=True)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"ladder {self.pk}"

    @property
    def is_agreed(self) -> bool:
        """Agreed, and not changed since."""
        return self.agreed_version is not None and self.agreed_version == self.version


class LadderStep(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=24, choices=NonCooperation.choices)
    position = models.PositiveSmallIntegerField()  # 1, 2, 3 …
    text = EncryptedTextField(_("step"), key="ladder.data_key")

    class Meta:
        ordering = ["kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["ladder", "kind", "position"], name="one_step_per_place_on_the_ladder"
            )
        ]

    def __str__(self) -> str:
        return f"step {self.position} ({self.kind}) of {self.ladder_id}"


class Decision(Record):
    class Topic(models.TextChoices):
        GENERAL = "general", _("a proposal")
        INFORM = "inform", _("whom to inform")
        RESPOND = "respond", _("how to respond to non-cooperation")
        LADDER = "ladder", _("agreeing the consequence ladder")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("decision status", "prepared, not yet asked")
        OPEN = "open", pgettext_lazy("decision status", "open for answers")
        DECIDED = "decided", pgettext_lazy("decision status", "decided")
        WITHDRAWN = "withdrawn", pgettext_lazy("decision status", "withdrawn")

    class Result(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")

    class Criterion(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        UNSURE = "unsure", _("unsure")

    topic = models.CharField(max_length=16, choices=Topic.choices, default=Topic.GENERAL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    proposal = EncryptedTextField(_("what is proposed"), key="data_key", blank=True)
    reasons = EncryptedTextField(_("why"), key="data_key", blank=True)
    deadline = models.DateField(_("answers until"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    about = models.ManyToManyField(Record, blank=True, related_name="decisions_about")
    # Whom to inform, and the two criteria of the survivor's side.
    inform_whom = EncryptedTextField(_("who would be told"), key="data_key", blank=True)
    trust_built = models.CharField(max_length=8, choices=Criterion.choices, blank=True)
    gaining_power = models.CharField(max_length=8, choices=Criterion.choices, blank=True)
    criteria_reasoning = EncryptedTextField(
        _("how you weighed the two questions"), key="data_key", blank=True
    )
    # The ladder this decision agrees (topic ladder) or follows (topic respond).
    from_ladder = models.ForeignKey(
        Ladder, null=True, blank=True, on_delete=models.SET_NULL, related_name="ladder_decisions"
    )
    ladder_version = models.PositiveIntegerField(null=True, blank=True)
    ladder_kind = models.CharField(max_length=24, choices=NonCooperation.choices, blank=True)
    ladder_position = models.PositiveSmallIntegerField(null=True, blank=True)
    ladder_step = models.ForeignKey(
        LadderStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What opened it, once: a missed meeting, a silence, a breach, for a group.
    trigger = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # The outcome: frozen once recorded.
    result = models.CharField(max_length=16, choices=Result.choices, blank=True)
    chosen_option = models.ForeignKey(
        "Option", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = EncryptedTextField(_("what was decided"), key="data_key", blank=True)
    outcome_reasons = EncryptedTextField(_("why"), key="data_key", blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField(_("look at it again on"), null=True, blank=True)
    participants = models.ManyToManyField(User, blank=True, related_name="+")
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replacements"
    )
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"decision {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_decided(self) -> bool:
        return self.status == self.Status.DECIDED


class Option(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    text = EncryptedTextField(_("option"), key="decision.data_key")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"option {self.position} of {self.decision_id}"


class Answer(models.Model):
    """One member's answer in a consent round; it can change until the deadline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Choice(models.TextChoices):
        AGREE = "agree", _("I agree")
        ABSTAIN = "abstain", _("I abstain")
        OBJECT = "object", _("I object")
        BLOCK = "block", _("I block")

    NEEDS_REASON = frozenset({Choice.OBJECT, Choice.BLOCK})

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=8, choices=Choice.choices)
    reason = EncryptedTextField(_("reason"), key="decision.data_key", blank=True)
    preferred = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField()
    changes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["answered_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="one_answer_per_member")
        ]

    def __str__(self) -> str:
        return f"answer of {self.member_id} to {self.decision_id}"
