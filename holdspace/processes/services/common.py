"""What every change shares: refusals, audit entries, events on the
chronology, and the day something happened (DESIGN §6)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.audit import services as audit
from holdspace.processes import writes
from holdspace.processes.models import (
    Event,
    Group,
    InvitationLink,
    Membership,
    Process,
    Record,
    RecordAudience,
)
from holdspace.vault import compartments as vault
from holdspace.vault.keyring import current as keyring
from holdspace.vault.models import Compartment, Wrap

R = TypeVar("R", bound=Record)


class Refused(Exception):
    """A rule stops the change; ``message`` tells the person why, kindly."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class EditConflict(Exception):
    """Someone saved the record since this edit began; nothing was saved."""

    def __init__(self, current: Record) -> None:
        super().__init__("edit conflict")
        self.current = current


def _audit(action: str, *, by: User | None, target: Any, group: Group) -> None:
    """An audit entry in the group's part of the process's log."""
    audit.log(action, user=by, target=target, process_id=group.process_id, group_id=group.pk)


def audit_record(action: str, *, by: User, record: Record, target: Any = None) -> None:
    """An audit entry about a record (or a part of it, `target`) in its
    author group's part of the process's log."""
    audit.log(
        action,
        user=by,
        target=record if target is None else target,
        process_id=record.process_id,
        group_id=record.author_group_id,
    )


def _today() -> datetime.date:
    return timezone.localdate()


# When something happened (DESIGN §6) ---------------------------------------------
# Groups often start using Holdspace years into a process: a change can be
# written down long after it happened. It is dated the day it happened
# (``occurred_on``), and the moment it was written stays beside it
# (``created_at``).

NOT_YET = _("Choose today or a day in the past.")
BEFORE_THE_PROCESS = _("The process started on %(date)s. Choose that day or a later one.")
BEFORE_THE_LAST_HAND_OVER = _(
    "This task was last handed over on %(date)s. Choose that day or a later one, so that "
    "the chronology keeps the order in which things happened."
)

# A day a change cannot come before, and what to say if it does (with %(date)s).
Floor = tuple[datetime.date | None, Any]


def since_the_start(process: Process) -> Floor:
    return (process.started_on, BEFORE_THE_PROCESS)


def day_it_happened(day: datetime.date | None, *floors: Floor) -> datetime.date:
    """The day a change happened: today unless ``day`` is given.

    Raises Refused, saying which rule and which day, when ``day`` is in the
    future or before one of ``floors`` (the start of the process, the record
    the change is about, the change before it).
    """
    today = _today()
    day = day or today
    if day > today:
        raise Refused(NOT_YET)
    for floor, message in floors:
        if floor is not None and day < floor:
            raise Refused(message % {"date": formats.date_format(floor, "DATE_FORMAT")})
    return day


def _event(
    code: str,
    *,
    process: Process,
    by: User | None,
    group: Group,
    audience: Iterable[Group],
    subject: User | None = None,
    other_group: Group | None = None,
    responsibility: str = "",
    about: Record | None = None,
    value: str = "",
    occurred_on: datetime.date | None = None,
) -> Event:
    event = Event.objects.create(
        occurred_on=occurred_on or timezone.localdate(),
        kind=Record.Kind.EVENT,
        process=process,
        author=by,
        author_group=group,
        code=code,
        subject=subject,
        other_group=other_group,
        responsibility=responsibility,
        about=about,
        value=value,
    )
    set_audience(event, audience)
    return event


def record_event(
    record: Record,
    code: str,
    *,
    by: User | None,
    value: str = "",
    occurred_on: datetime.date | None = None,
) -> Event:
    """An event on the chronology about ``record``, for the same readers,
    shown as coming from the group of ``by`` that reads the record."""
    return _event(
        code,
        process=record.process,
        by=by,
        group=_acting_group(by, record),
        audience=record.audience_groups.all(),
        about=record,
        value=value,
        occurred_on=occurred_on,
    )


def _acting_group(user: User | None, record: Record) -> Group:
    """The group ``user`` acts in on ``record``: the author group if they are
    in it, else their first group in its audience (Holdspace: the author group)."""
    if user is not None:
        mine = set(
            Membership.objects.active()
            .filter(user=user, group__process_id=record.process_id)
            .values_list("group_id", flat=True)
        )
        if record.author_group_id not in mine:
            for group in record.audience_groups.all().order_by("created_at"):
                if group.pk in mine:
                    return group
    return record.author_group


def set_audience(record: Record, groups: Iterable[Group]) -> None:
    """Who may read a record: the audience rows for the access core, and the
    record key sealed to exactly those groups' compartments for the vault."""
    chosen = {group.pk: group for group in groups}
    RecordAudience.objects.filter(record=record).delete()
    RecordAudience.objects.bulk_create(
        RecordAudience(record=record, group=g) for g in chosen.values()
    )
    if record.data_key_id is None:
        return  # events carry no text
    compartments = Compartment.objects.filter(group_id__in=chosen)
    Wrap.objects.filter(
        data_key_id=record.data_key_id, compartment__kind=Compartment.Kind.GROUP
    ).exclude(compartment__in=compartments).delete()
    for compartment in compartments:
        keyring().share(record.data_key_id, compartment)


def _save_versioned(instance: Any, expected_version: int, changes: dict[str, Any]) -> None:
    """Save ``changes`` only if nobody saved since ``expected_version`` (S38).

    The row is locked and saved through the model, so that encrypted fields
    are encrypted on the way.
    """
    locked = writes.lock_version(type(instance).objects.get(pk=instance.pk), expected_version)
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.version = expected_version + 1
    locked.save(update_fields=[*changes, "version"])


# Single-use links that carry a key (a group's, a party's) -------------------


def seal_into_link(link: InvitationLink, compartment: Compartment, token: str) -> None:
    """Lock the compartment's key into a new link with its token (which the
    server never stores); in the caller's transaction."""
    link.sealed_key = vault.seal_for_invitation(keyring(), compartment, link.pk, token)
    link.save(update_fields=["sealed_key"])


def withdraw_link(link: InvitationLink) -> bool:
    """Make a link unusable, inside the caller's transaction; False if it was
    withdrawn a moment ago (once is enough, S52)."""
    if writes.lock(link).revoked_at is not None:
        return False
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    return True
