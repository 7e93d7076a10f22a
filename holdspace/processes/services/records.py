"""Records of every kind: writing one, who may read it, editing it (S38)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.processes import registry
from holdspace.processes.models import (
    Group,
    Note,
    Party,
    Record,
    RecordAudience,
    Revision,
)
from holdspace.processes.services.common import (
    EditConflict,
    Refused,
    _audit,
    set_audience,
)
from holdspace.processes.services.parties import SPACES, party_space
from holdspace.vault.keyring import current as keyring
from holdspace.vault.models import Compartment, Wrap

R = TypeVar("R", bound=Record)


def create_record(
    model: type[R],
    *,
    author: User,
    group: Group,
    audience: Iterable[Group] = (),
    texts: dict[str, str],
    **values: Any,
) -> R:
    """A new record of any kind with its own record key, readable by the
    author's group (and ``audience``). Call inside a transaction."""
    record = model(
        kind=model.__name__.lower(),
        process_id=group.process_id,
        author=author,
        author_group=group,
        **values,
    )
    record.data_key = keyring().new_data_key(group.process_id)
    for field, text in texts.items():
        setattr(record, field, text)
    record.save()  # a new row
    set_audience(record, [group, *audience])
    return record


def _party_audience(record: Record, to_harming_party: bool, to_harmed_party: bool) -> None:
    """Seal the record key to the party spaces it is addressed to (or unseal it)."""
    for kind, wanted in (
        (Compartment.Kind.PORTAL, to_harming_party),
        (Compartment.Kind.SURVIVOR, to_harmed_party),
    ):
        if record.data_key_id is None:
            return
        if wanted:
            keyring().share(record.data_key_id, party_space_of(record, kind))
        else:
            Wrap.objects.filter(
                data_key_id=record.data_key_id,
                compartment__process_id=record.process_id,
                compartment__kind=kind,
            ).delete()


def party_space_of(record: Record, kind: str) -> Compartment:
    role = next(role for role, space in SPACES.items() if space == kind)
    return party_space(Party.objects.get(process_id=record.process_id, role=role))


# Records -----------------------------------------------------------------


def write_note(
    *,
    author: User,
    group: Group,
    occurred_on: datetime.date,
    title: str,
    body: str,
) -> Note:
    """A note for the author's group only (widening is a separate, explicit step)."""
    with transaction.atomic():
        note = create_record(
            Note,
            author=author,
            group=group,
            texts={"title": title, "body": body},
            occurred_on=occurred_on,
        )
        _audit("note.created", by=author, target=note, group=group)
    return note


def _snapshot(record: Record, fields: Iterable[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in fields:
        value = getattr(record, field)
        dated = isinstance(value, datetime.date | datetime.time)
        values[field] = value.isoformat() if dated else value
    return values


FROZEN = _(
    "This can no longer be changed (it was sent or released meanwhile). Nothing was changed."
)


def _refuse_frozen(locked: Record) -> None:
    """Refuses a change to a record its app has frozen (a sent report, a
    released edition), read from the row locked by the caller: sending and
    editing at the same moment never both happen."""
    kind = registry.KINDS.get(locked.kind)
    if kind is not None and kind.frozen is not None and kind.frozen(locked):
        raise Refused(FROZEN)


def edit_record(
    record: Record, *, by: User, expected_version: int, changes: dict[str, Any]
) -> None:
    """Save an edit if nobody saved in between (S38); keep the old version.

    Raises EditConflict with the record as it is now, and saves nothing,
    when ``expected_version`` is not the current version.
    """
    fields: tuple[str, ...] = getattr(type(record), "CONTENT_FIELDS", ())
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        _refuse_frozen(locked)
        if locked.version != expected_version:
            raise EditConflict(locked)
        Revision.objects.create(
            record=locked,
            version=locked.version,
            edited_by=by,
            content=json.dumps(_snapshot(locked, fields)),
        )
        before = {field: getattr(locked, field) for field in changes if field in fields}
        for field, value in changes.items():
            if field not in fields:
                raise ValueError(f"{field} cannot be edited")
            setattr(locked, field, value)
        locked.version = expected_version + 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*changes, "version", "updated_at"])
        # What dates from the record's own day (a demand's first status) moves with it.
        follow = getattr(locked, "follow_edit", None)
        if follow is not None:
            follow(before)
        _audit(f"{record.kind}.edited", by=by, target=locked, group=record.author_group)


def change_audience(
    record: Record,
    *,
    by: User,
    groups: Iterable[Group],
    to_harming_party: bool,
    to_harmed_party: bool,
) -> None:
    """Who may read a record. The author's group always keeps it; every
    group must belong to the record's process. Widening is audited as such."""
    chosen = {group.pk: group for group in groups}
    if any(group.process_id != record.process_id for group in chosen.values()):
        raise Refused(_("A record can only be shared with groups of its own process."))
    chosen[record.author_group_id] = record.author_group
    with transaction.atomic():
        _refuse_frozen(Record.objects.select_for_update().get(pk=record.pk))
        before = set(
            RecordAudience.objects.filter(record=record).values_list("group_id", flat=True)
        )
        widened = (
            bool(set(chosen) - before)
            or (to_harming_party and not record.to_harming_party)
            or (to_harmed_party and not record.to_harmed_party)
        )
        set_audience(record, chosen.values())
        _party_audience(record, to_harming_party, to_harmed_party)
        Record.objects.filter(pk=record.pk).update(
            to_harming_party=to_harming_party, to_harmed_party=to_harmed_party
        )
        action = "record.audience_widened" if widened else "record.audience_narrowed"
        _audit(action, by=by, target=record, group=record.author_group)
