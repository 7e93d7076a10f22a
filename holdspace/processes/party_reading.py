"""What the two people the process is about read of the records a group
shared with them that have no page of their own there (notes, and — for
the survivor — what he wrote in his portal): a date, a title and a text,
nothing else (S16, S44).

Apps with such kinds register them here (:func:`register`), so that the
party pages list every kind a group can share with a party.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from holdspace.processes import access
from holdspace.processes.models import Note, Party, Record


@dataclass(frozen=True)
class Shared:
    on: datetime.date
    title: str  # empty when the record has none
    text: str


# kind -> (the model, what it shows: record -> (title, text)), for kinds
# without a party page of their own.
READERS: dict[str, tuple[type[Record], Callable[[Any], tuple[str, str]]]] = {
    "note": (Note, lambda note: (str(note.title), str(note.body))),
}


def register(kind: str, model: type[Record], show: Callable[[Any], tuple[str, str]]) -> None:
    READERS[kind] = (model, show)


def shared_with(party: Party, *, kinds: tuple[str, ...] | None = None) -> list[Shared]:
    """Records of those kinds addressed to ``party``, newest first."""
    found: list[tuple[datetime.datetime, Shared]] = []
    for kind, (model, show) in READERS.items():
        if kinds is not None and kind not in kinds:
            continue
        ids = access.records_for_party(party).filter(kind=kind).values("pk")
        records = list(model._default_manager.filter(pk__in=ids))
        access.open_keys(records)
        for record in records:
            title, text = show(record)
            found.append((record.created_at, Shared(record.occurred_on, title, text)))
    found.sort(key=lambda pair: (pair[1].on, pair[0]), reverse=True)
    return [shared for _at, shared in found]
