"""Processes, their groups and members, and the records of one chronology.

Everything here is process data: views never query these models directly,
only through `holdspace.processes.access` (S18).
"""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from holdspace.accounts.models import User, hash_token
from holdspace.processes import registry
from holdspace.processes.terminology import HarmedTerm, HarmingPronoun, HarmingTerm, Terms
from holdspace.vault.fields import EncryptedTextField, UnreadableText
from holdspace.vault.models import DataKey


def data_key_field(**kwargs: Any) -> models.ForeignKey[DataKey | None, DataKey | None]:
    """The key that encrypts an object's texts (see holdspace.vault)."""
    return models.ForeignKey(
        DataKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+", **kwargs
    )


class Process(models.Model):
    """One accountability process, known by a pseudonymous working name."""

    class Status(models.TextChoices):
        INTAKE = "intake", pgettext_lazy("process status", "intake")
        ACTIVE = "active", pgettext_lazy("process status", "active")
        PAUSED = "paused", pgettext_lazy("process status", "paused")
        CLOSED = "closed", pgettext_lazy("process status", "closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The process key: its name, the groups' names and the pseudonyms, for
    # every member of the process.
    data_key = data_key_field()
    name = EncryptedTextField(_("working name"), key="data_key")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    # Values come with the intake and templates work.
    harm_type = models.CharField(max_length=32, blank=True)
    template = models.CharField(max_length=32, blank=True)
    harmed_term = models.CharField(
        max_length=32, choices=HarmedTerm.choices, default=HarmedTerm.SURVIVOR
    )
    harming_term = models.CharField(
        max_length=32, choices=HarmingTerm.choices, default=HarmingTerm.PERSON_WHO_CAUSED_HARM
    )
    harming_pronoun = models.CharField(
        max_length=8, choices=HarmingPronoun.choices, default=HarmingPronoun.HE
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "id"]

    def __str__(self) -> str:
        return f"process {self.pk}"

    @property
    def terms(self) -> Terms:
        return Terms(self.harmed_term, self.harming_term, self.harming_pronoun)


class Party(models.Model):
    """The survivor and the person who caused harm, by pseudonym.

    An account can be linked later: the survivor's view, and the restricted
    portal for the person who caused harm.
    """

    class Role(models.TextChoices):
        HARMED = "harmed", _("person harmed")
        HARMING = "harming", _("person who caused harm")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=16, choices=Role.choices)
    process_key = data_key_field()
    pseudonym = EncryptedTextField(_("pseudonym"), key="process_key")
    account = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="parties"
    )
    # When an account was last linked to the party (an invitation used).
    linked_on = models.DateField(null=True, blank=True)
    # The survivor's own choices (her party only): whether she gives the
    # survivor-side approvals herself, or leaves them to her support group;
    # and a pause, during which the support group brings nothing to her.
    decides_herself = models.BooleanField(default=False)
    paused_until = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["process", "role"], name="one_party_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.role} of {self.process_id}"

    def is_paused(self, today: date | None = None) -> bool:
        return self.paused_until is not None and self.paused_until >= (
            today or timezone.localdate()
        )

    def answers_herself(self, today: date | None = None) -> bool:
        """Whether survivor-side approvals of what is addressed to her wait
        for her own answer (her choice, unless she asked for a pause)."""
        return (
            self.role == self.Role.HARMED
            and self.account_id is not None
            and self.decides_herself
            and not self.is_paused(today)
        )


class Group(models.Model):
    """A group's own space inside a process."""

    class Kind(models.TextChoices):
        SUPPORT = "support", _("support group")
        CONTACT = "contact", _("contact group")
        SUPPORT_TEAM = "support_team", _("support team")
        SUPERVISION = "supervision", _("supervision group")
        COMMUNITY = "community", _("community group")
        CUSTOM = "custom", _("other group")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    process_key = data_key_field()
    # The group key: its purpose, its members' notes, its invitations' notes.
    data_key = data_key_field()
    name = EncryptedTextField(_("name"), key="process_key")
    purpose = EncryptedTextField(_("purpose"), key="data_key", blank=True)
    # Named to steer the process besides the groups whose tasks make them
    # steer (see access.steering_groups; S51).
    steers = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"group {self.pk}"


def one_year_from_today() -> date:
    return timezone.localdate() + timedelta(days=365)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(status=Membership.Status.ACTIVE)

    def current(self) -> MembershipQuerySet:
        """Active or waiting for a coordinator's confirmation."""
        return self.exclude(status=Membership.Status.ENDED)


class Membership(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        MEMBER = "member", _("member")

    class Status(models.TextChoices):
        # Declared a conflict of interest in a contact group: no access until
        # a coordinator confirms, with a reason the group can read.
        PENDING = "pending", _("waiting for confirmation")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    class EndReason(models.TextChoices):
        LEFT = "left", _("left the group")
        REMOVED = "removed", _("was removed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    joined_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    commitment_until = models.DateField(_("committed until"), null=True, blank=True)
    capacity_note = EncryptedTextField(_("time and capacity"), key="group.data_key", blank=True)
    conflict_of_interest = EncryptedTextField(
        _("conflict of interest"), key="group.data_key", blank=True
    )
    conflict_confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    conflict_confirmation = EncryptedTextField(
        _("reason for confirming"), key="group.data_key", blank=True
    )
    version = models.PositiveIntegerField(default=1)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=~models.Q(status="ended"),
                name="one_current_membership_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"membership {self.pk}"

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR


class InvitationLink(models.Model):
    """A single-use link that carries a key, locked with its token (which the
    server never stores): for a new or an existing account."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    # The key the link hands over, locked with the link's token.
    sealed_key = models.BinaryField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # An account made with this link: a link makes at most one new account.
    created_account = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # What find_usable loads with the link.
    LOADS: tuple[str, ...] = ()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @classmethod
    def _issue(cls, **values: Any) -> tuple[Any, str]:
        token = secrets.token_urlsafe(32)
        link = cls._default_manager.create(
            token_hash=hash_token(token),
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
            **values,
        )
        return link, token

    @classmethod
    def find_usable(cls, token: str) -> Any:
        return (
            cls._default_manager.filter(
                token_hash=hash_token(token),
                used_at=None,
                revoked_at=None,
                expires_at__gt=timezone.now(),
            )
            .select_related(*cls.LOADS)
            .first()
        )


class GroupInvitation(InvitationLink):
    """A single-use link into a group, for a new or an existing account. It
    carries the group's key: a new member reads at once."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(
        max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    # For the coordinators' memory ("for R."), so nobody is invited twice.
    note = EncryptedTextField(_("for whom"), key="group.data_key", blank=True)

    LOADS = ("group", "group__process")

    class Meta(InvitationLink.Meta):
        pass

    def __str__(self) -> str:
        return f"group invitation {self.pk}"

    @classmethod
    def issue(
        cls, group: Group, *, created_by: User, role: str, note: str = ""
    ) -> tuple[GroupInvitation, str]:
        """A new link; the caller seals the group's key into it (services.invite)."""
        invitation: GroupInvitation
        invitation, token = cls._issue(group=group, role=role, note=note, created_by=created_by)
        return invitation, token


class PartyInvitation(InvitationLink):
    """A single-use link that links an account to a party of a process: the
    person who caused harm (his portal) or the survivor (her own view). It
    carries the party's key; the group that made it keeps its own copy."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="invitations")
    # The group whose coordinator made the link (it keeps the party's key).
    made_in = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")

    LOADS = ("party", "party__process")

    class Meta(InvitationLink.Meta):
        pass

    def __str__(self) -> str:
        return f"party invitation {self.pk}"

    @classmethod
    def issue(
        cls, party: Party, *, made_in: Group, created_by: User
    ) -> tuple[PartyInvitation, str]:
        """A new link; the caller seals the party's key into it."""
        invitation: PartyInvitation
        invitation, token = cls._issue(party=party, made_in=made_in, created_by=created_by)
        return invitation, token


class Responsibility(models.Model):
    """Which group carries which task; a hand-over moves a task to another group."""

    class Kind(models.TextChoices):
        SURVIVOR_SUPPORT = "survivor_support", _("supporting the person harmed")
        DEMANDS = "demands", _("the letter and the demands")
        CONTACT = "contact", _("contact with the person who caused harm")
        SUPERVISION = "supervision", _("supervision and feedback")
        WELLBEING = "wellbeing", _("support team for the person who caused harm")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="responsibilities")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="responsibilities")

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["process", "kind"], name="one_group_per_task")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.process_id}"


# What a new group takes on, if nobody carries it yet.
DEFAULT_RESPONSIBILITIES: dict[str, list[str]] = {
    Group.Kind.SUPPORT: [Responsibility.Kind.SURVIVOR_SUPPORT, Responsibility.Kind.DEMANDS],
    Group.Kind.CONTACT: [Responsibility.Kind.CONTACT],
    Group.Kind.SUPERVISION: [Responsibility.Kind.SUPERVISION],
    Group.Kind.SUPPORT_TEAM: [Responsibility.Kind.WELLBEING],
}


class Record(models.Model):
    """The common base of everything on a process's chronology.

    Who may read a record is its *audience*: groups of the process, plus
    the person who caused harm (portal) and the survivor. By default only
    the author's group. Every kind (note, event, and later contacts,
    demands, decisions …) extends this model.
    """

    class Kind(models.TextChoices):
        """The kinds processes itself has; other apps register theirs
        (holdspace.processes.registry)."""

        NOTE = "note", _("note")
        EVENT = "event", _("event")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="records")
    # A registered kind (registry.KINDS): no choices here, so that a new app
    # needs no migration of processes.
    kind = models.CharField(max_length=16, editable=False)
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    # The record key, sealed to every compartment in the audience.
    data_key = data_key_field()
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    audience_groups: models.ManyToManyField[Group, RecordAudience] = models.ManyToManyField(
        Group, through="RecordAudience", related_name="visible_records"
    )
    to_harming_party = models.BooleanField(default=False)
    to_harmed_party = models.BooleanField(default=False)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["process", "-occurred_on", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse(registry.kind(self.kind).page, args=[self.pk])

    @property
    def kind_label(self) -> Any:
        return registry.kind(self.kind).label

    @property
    def row_template(self) -> str:
        return registry.kind(self.kind).row


class RecordAudience(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="audience")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "group"], name="group_once_per_audience")
        ]
        indexes = [models.Index(fields=["group", "record"])]

    def __str__(self) -> str:
        return f"{self.group_id} reads {self.record_id}"


class Revision(models.Model):
    """A record as it was before an edit: nothing is silently overwritten."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    edited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)
    # JSON of the content fields, encrypted with the record's key.
    content = EncryptedTextField(key="record.data_key")

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["record", "version"], name="one_revision_per_version")
        ]

    def __str__(self) -> str:
        return f"revision {self.version} of {self.record_id}"

    @property
    def values(self) -> dict[str, Any]:
        if isinstance(self.content, UnreadableText):
            return {"title": "", "body": self.content}
        loaded: dict[str, Any] = json.loads(self.content)
        return loaded


class Note(Record):
    title = EncryptedTextField(_("title"), key="data_key", blank=True)
    body = EncryptedTextField(_("note"), key="data_key")

    # The fields an edit may change, in the order a revision keeps them.
    CONTENT_FIELDS = ("occurred_on", "title", "body")

    def __str__(self) -> str:
        return f"note {self.pk}"


class Event(Record):
    """Something that happened to the process itself (a hand-over, a member
    joining), written by Holdspace. Rendered from its code and ids, so it
    holds no text of its own."""

    class Code(models.TextChoices):
        """The events processes itself writes; other apps register theirs
        (holdspace.processes.registry)."""

        PROCESS_CREATED = "process.created", _("process created")
        PROCESS_STATUS = "process.status", _("process status changed")
        GROUP_ADDED = "group.added", _("group added")
        MEMBER_JOINED = "member.joined", _("member joined")
        MEMBER_LEFT = "member.left", _("member left")
        MEMBER_REMOVED = "member.removed", _("member removed")
        COORDINATION_HANDED_OVER = "coordination.handed_over", _("coordination handed over")
        RESPONSIBILITY_MOVED = "responsibility.moved", _("responsibility moved")
        PARTY_LINKED = "party.linked", _("account linked to a party")

    # A registered code (registry.EVENTS): no choices, see Record.kind.
    code = models.CharField(max_length=40)
    subject = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    other_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responsibility = models.CharField(
        max_length=32, choices=Responsibility.Kind.choices, blank=True
    )
    # The record the event is about (a demand whose status changed …) and
    # a plain value such as the new status; never text.
    about = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    value = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"event {self.code}"

    @property
    def value_label(self) -> str:
        """How the app that wrote the event wants its value shown."""
        values = registry.EVENTS[self.code].values if self.code in registry.EVENTS else {}
        return str(values.get(self.value, self.value))

    @property
    def text_template(self) -> str:
        return registry.EVENTS[self.code].text


class HandOver(Record):
    """A task handed from one group to another, with its history (DESIGN
    C18): why (in the words of whoever did it, for both groups and the
    groups that steer the process), which kinds of records the receiving
    group now reads, and whether the handing group still reads them."""

    task = models.CharField(max_length=32, choices=Responsibility.Kind.choices)
    from_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    # The kinds of records passed on (registered kind names, comma-separated).
    passed_kinds = models.CharField(max_length=400, blank=True)
    passed_count = models.PositiveIntegerField(default=0)
    handing_group_stays = models.BooleanField(default=True)
    reason = EncryptedTextField(_("why"), key="data_key")

    def __str__(self) -> str:
        return f"hand-over {self.pk}"

    @property
    def kind_names(self) -> list[str]:
        return [name for name in self.passed_kinds.split(",") if name]

    @property
    def kind_labels(self) -> list[Any]:
        return [registry.kind(name).label for name in self.kind_names if name in registry.KINDS]
