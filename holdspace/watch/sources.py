"""Where other apps add to the watchdog (DESIGN §6: watchdog rules are
registered, like record kinds).

An app that has dates worth watching (decisions, the people around him …)
registers a :class:`Source` in its ``AppConfig.ready()``:

- ``kinds``: its alert kinds and how many days before the due date each
  appears (the lead time);
- ``alerts(process_ids, today)``: its alerts in those processes — read from
  plain metadata only (dates, statuses, ids: never a word of content, no
  key), each saying who should see it (``groups`` or ``users``), in a fixed
  number of queries however many processes there are;
- ``text``: the template that words its alerts on the "needs attention"
  list, given ``alert``, ``item`` (``item.process``), ``date`` and ``since``;
- ``url(alert, user)``: the page where the alert is dealt with;
- optionally ``leads(alert, user)``: a better page for *another* app's alert
  (the draft decision a missed meeting opened), or None;
- optionally ``on_tick(alerts, today)``: what the app does on each
  ``holdspace tick`` with all current alerts (open a draft decision); it
  must be safe to run twice and from two servers at once.

``watch`` reads these lists and never imports the apps that fill them.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from holdspace.accounts.models import User
    from holdspace.watch.rules import Alert


@dataclass(frozen=True)
class Source:
    name: str
    kinds: Mapping[str, int]  # alert kind -> lead days
    alerts: Callable[[Sequence[uuid.UUID], datetime.date], Iterable[Alert]]
    text: str
    url: Callable[[Alert, User], str]
    app: str
    leads: Callable[[Alert, User], str | None] | None = None
    on_tick: Callable[[Sequence[Alert], datetime.date], int] | None = None


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    if source.name in SOURCES and SOURCES[source.name] != source:
        raise ValueError(f"{source.name} is registered twice")
    for other in SOURCES.values():
        if other.name != source.name and set(other.kinds) & set(source.kinds):
            raise ValueError(f"{source.name} registers an alert kind of {other.name}")
    SOURCES[source.name] = source


def of_kind(kind: str) -> Source | None:
    """The source that registered alerts of ``kind`` (None: the watchdog's own)."""
    return next((s for s in SOURCES.values() if kind in s.kinds), None)


def kinds() -> list[str]:
    return [kind for source in SOURCES.values() for kind in source.kinds]


def lead_days(kind: str) -> int:
    source = of_kind(kind)
    if source is None:
        raise KeyError(kind)
    return source.kinds[kind]
