"""The people around the person who caused harm, who was told what, his own
duty to tell, and what the survivor's side agrees may be told (C7, C8).

All four are records of the process's chronology (see
processes.models.Record). Kinds of relation, stances, dates and statuses
stay in plain text, so that the rule of who may be told and the watchdog
work without anybody's key; names, notes, reactions and reasons are
encrypted.

A record already has a child link named after each kind (``record.person``),
so links to a person are called ``whom``.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.commitments.models import LetterCopy
from holdspace.processes.models import Group, Record
from holdspace.vault.fields import EncryptedTextField


class Person(Record):
    """Someone in his surroundings: a partner, a friend, a political group …"""

    class Relation(models.TextChoices):
        PARTNER = "partner", _("partner")
        EX_PARTNER = "ex_partner", _("former partner")
        FRIEND = "friend", _("friend")
        FAMILY = "family", _("family")
        HOUSEMATE = "housemate", _("housemate")
        POLITICAL_GROUP = "political_group", _("political group")
        WORKPLACE = "workplace", _("employer or workplace")
        OTHER = "other", _("other")

    class Stance(models.TextChoices):
        SUPPORTIVE = "supportive", _("supports the process")
        UNSURE = "unsure", _("unsure")
        HOSTILE = "hostile", _("against the process")
        UNKNOWN = "unknown", _("not known")

    class MayContact(models.TextChoices):
        YES = "yes", _("yes")
        ASK_FIRST = "ask_first", _("ask the survivor's side first")
        NO = "no", _("no")

    relation = models.CharField(max_length=20, choices=Relation.choices)
    name = EncryptedTextField(_("name or pseudonym"), key="data_key")
    relation_note = EncryptedTextField(
        _("how your groups relate to them"), key="data_key", blank=True
    )
    stance = models.CharField(max_length=16, choices=Stance.choices, default=Stance.UNKNOWN)
    may_contact = models.CharField(
        max_length=16, choices=MayContact.choices, default=MayContact.ASK_FIRST
    )

    CONTENT_FIELDS = ("occurred_on", "relation", "name", "relation_note")

    def __str__(self) -> str:
        return f"person {self.pk}"


class Informing(Record):
    """Telling someone around him about the harm and the process: planned,
    then carried out (or called off), with what they were given and how they
    took it. ``occurred_on`` is the planned day, then the day it happened."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        CALL = "call", _("call")
        EMAIL = "email", _("e-mail")
        LETTER = "letter", _("letter or post")
        MESSAGE = "message", _("message")
        OTHER = "other", _("other")

    class Material(models.TextChoices):
        NOTHING = "nothing", _("nothing written")
        LETTER = "letter", _("the letter")
        LETTER_COPY = "letter_copy", _("a numbered copy of the letter")
        PERSPECTIVE = "perspective", _("the survivor's perspective")
        OTHER = "other", _("something else")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CARRIED_OUT = "carried_out", _("carried out")
        DROPPED = "dropped", _("called off")

    whom = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="informings")
    told_by = EncryptedTextField(_("by whom"), key="data_key")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    material = models.CharField(max_length=16, choices=Material.choices)
    letter_copy = models.ForeignKey(
        LetterCopy, null=True, blank=True, on_delete=models.SET_NULL, related_name="informings"
    )
    material_note = EncryptedTextField(_("about the material"), key="data_key", blank=True)
    reaction = EncryptedTextField(_("their reaction"), key="data_key", blank=True)
    followed = EncryptedTextField(_("what followed"), key="data_key", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    # When the outcome was written down (the day itself is ``occurred_on``).
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    CONTENT_FIELDS = ("occurred_on", "told_by", "material_note", "reaction", "followed")

    def __str__(self) -> str:
        return f"informing {self.pk}"


class Approval(models.Model):
    """The survivor's side asked to approve an informing outside their consent
    or during an embargo. A decline carries the decider's reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    informing = models.ForeignKey(Informing, on_delete=models.CASCADE, related_name="approvals")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    asked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_in = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    asked_on = models.DateField(default=timezone.localdate)
    asked_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Decided by the survivor herself (her own account), not her support group.
    decided_by_survivor = models.BooleanField(default=False)
    decision_reason = EncryptedTextField(
        _("why you decided so"), key="informing.data_key", blank=True
    )

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return f"approval {self.pk}"


class Duty(Record):
    """His own duty to tell new groups and partners: the day he says he told
    someone (``occurred_on``), and whether those told confirmed it."""

    class Confirmation(models.TextChoices):
        NOT_YET = "not_yet", _("not confirmed yet")
        CONFIRMED = "confirmed", _("confirmed by them")
        DENIED = "denied", _("those told say it did not happen")

    whom = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="duties"
    )
    description = EncryptedTextField(_("who was told"), key="data_key")
    confirmation = models.CharField(
        max_length=16, choices=Confirmation.choices, default=Confirmation.NOT_YET
    )
    confirmed_on = models.DateField(null=True, blank=True)
    comment = EncryptedTextField(_("note"), key="data_key", blank=True)

    CONTENT_FIELDS = ("occurred_on", "description", "comment")

    def __str__(self) -> str:
        return f"duty {self.pk}"


class Consent(Record):
    """What the survivor's side agrees may be told, to one person or to
    everyone, from ``occurred_on``; optionally an embargo: nobody else before
    ``embargo_until``. A later consent for the same person (or for everyone)
    replaces an earlier one."""

    class Scope(models.TextChoices):
        # In order: each allows what the ones before it allow.
        NOTHING = "nothing", _("nothing")
        PROCESS = "process", _("that a process exists")
        LETTER = "letter", _("the letter")
        PERSPECTIVE = "perspective", _("the survivor's perspective")
        EVERYTHING = "everything", _("everything")

    whom = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    may_know = models.CharField(max_length=16, choices=Scope.choices)
    embargo_until = models.DateField(_("nobody else until"), null=True, blank=True)
    comment = EncryptedTextField(_("note"), key="data_key", blank=True)

    CONTENT_FIELDS = ("occurred_on", "comment")

    def __str__(self) -> str:
        return f"consent {self.pk}"
