"""Where the apps that build on processes plug in.

``processes`` knows groups, memberships, records and the chronology, and no
app that builds on it. Each such app (the letter and demands, contact, the
watchdog, and those to come) registers, in its ``AppConfig.ready()``:

- its **record kinds**: the name (also the name of its model, a subclass of
  ``Record``), a label, its page, the template of its row on the chronology
  and the relations that row needs (:func:`register_kind`);
- its **events**: codes, labels, the template that words them and the labels
  of their values (:func:`register_event`);
- its **sections** of the process page and the overview (:func:`register_section`);
  a section with a page of its own (``crumb``) is also a place in the
  process's navigation (:func:`process_nav`);
- its **part of the demo** (:func:`register_demo`);
- which of its record kinds belong to the history of a task, passed on when
  the task is handed over (:func:`register_history`);
- the access rules of its URLs for the authorization matrix (:func:`register_route`;
  the older apps still list theirs in the matrix itself).

``processes`` reads these lists and never extends them by hand; a test fails
when it imports an app that registers here (DESIGN §6).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from holdspace.accounts.models import User
    from holdspace.processes.models import Process


@dataclass(frozen=True)
class RecordKind:
    """A kind of record on the chronology."""

    name: str  # the model's name in lower case: "demand" for Demand
    label: Any  # a lazy translation
    page: str  # the URL name of its page, which takes the record's id
    row: str  # the template of its row, given ``record``
    related: tuple[str, ...] = ()  # relations from Record its row reads
    app: str = "processes"  # the app label that registered it
    # Whether events name records of this kind (an event's row then loads it).
    named_by_events: bool = False
    # Whether its app alone decides if the person who caused harm reads it in
    # his portal (a message is sent to him in a deliberate step; what he wrote
    # stays readable to him): the page "who can read it" leaves that alone.
    own_portal_audience: bool = False
    # Whether a record of this kind can no longer be edited nor shared anew,
    # whoever asks (a sent report): ``frozen(record)``; the access core then
    # answers as for a record the account may not edit.
    frozen: Callable[[Any], bool] | None = None
    # Whether a record of this kind is ever edited: never for a decision kept
    # as it was taken (a hand-over, a closure, a released edition).
    editable: bool = True
    # The section of the process whose page lists records of this kind, when
    # it is not its own app's (reports are listed with contact).
    section: str = ""


@dataclass(frozen=True)
class EventKind:
    """Something Holdspace writes on the chronology when it happens."""

    code: str
    label: Any
    text: str  # the template that says what happened, given ``record`` and ``event``
    values: Mapping[str, Any] = field(default_factory=dict)  # labels of ``Event.value``
    app: str = "processes"


@dataclass(frozen=True)
class Section:
    """A part of the process page (``where="process"``) or of an account's
    overview (``where="dashboard"``): a template and the context it needs,
    read through the app's own access core."""

    name: str
    template: str
    context: Callable[[User, Process | None], dict[str, Any]]
    where: str = "process"
    order: int = 50
    app: str = "processes"
    # For pages of the section: the breadcrumb's label and URL name (taking
    # the process id), when the section has a page of its own.
    crumb: tuple[Any, str] | None = None


@dataclass(frozen=True)
class NavLink:
    """A place in the navigation inside a process: a label and the URL name
    of its page, which takes the process id."""

    name: str
    label: Any
    url_name: str
    order: int = 50
    anchor: str = ""  # a part of that page ("groups": #groups)
    app: str = "processes"


@dataclass(frozen=True)
class Route:
    """Who may open one of an app's URLs, for the authorization matrix
    (holdspace/tests/test_matrix.py names the rules and targets). With
    ``example``, the matrix makes a record the URL can point at:
    ``example(group, author)`` writes one in ``group``."""

    name: str
    methods: tuple[str, ...]
    rule: str
    target: str | None
    app: str
    example: Callable[..., Any] | None = None


@dataclass(frozen=True)
class TaskHistory:
    """The record kinds that make up the history of a task (contact with the
    person who caused harm, the demands …): what a hand-over of that task
    passes on to the group taking it, unless the handing group chooses less."""

    task: str  # a Responsibility kind
    kinds: tuple[str, ...]  # registered record kinds
    app: str = "processes"


@dataclass(frozen=True)
class DemoPart:
    """Part of the demo process: ``build(process, groups, users)``."""

    name: str
    build: Callable[..., None]
    order: int = 50
    app: str = "processes"


KINDS: dict[str, RecordKind] = {}
EVENTS: dict[str, EventKind] = {}
SECTIONS: dict[str, Section] = {}
NAV: dict[str, NavLink] = {}
ROUTES: dict[str, Route] = {}
DEMO: dict[str, DemoPart] = {}
HISTORIES: dict[str, TaskHistory] = {}


def _add(table: dict[str, Any], key: str, entry: Any) -> None:
    if key in table and table[key] != entry:
        raise ValueError(f"{key} is registered twice")
    table[key] = entry


def register_kind(kind: RecordKind) -> None:
    _add(KINDS, kind.name, kind)


def register_event(event: EventKind) -> None:
    _add(EVENTS, event.code, event)


def register_section(section: Section) -> None:
    _add(SECTIONS, section.name, section)


def register_nav(link: NavLink) -> None:
    _add(NAV, link.name, link)


def register_route(route: Route) -> None:
    _add(ROUTES, route.name, route)


def register_demo(part: DemoPart) -> None:
    _add(DEMO, part.name, part)


def register_history(history: TaskHistory) -> None:
    _add(HISTORIES, f"{history.app}:{history.task}", history)


def history_kinds(task: str) -> list[str]:
    """The record kinds of a task's history, as the apps registered them."""
    kinds = [name for h in HISTORIES.values() if h.task == task for name in h.kinds]
    return [name for name in dict.fromkeys(kinds) if name in KINDS]


def kind(name: str) -> RecordKind:
    """The registered kind ``name``; KeyError for one nobody registered."""
    return KINDS[name]


def kind_choices() -> list[tuple[str, Any]]:
    return [(entry.name, entry.label) for entry in KINDS.values()]


def sections(where: str) -> list[Section]:
    return sorted(
        (s for s in SECTIONS.values() if s.where == where), key=lambda s: (s.order, s.name)
    )


def process_nav() -> list[NavLink]:
    """The places of the navigation inside a process, in order: those
    registered with :func:`register_nav` and every section with a page."""
    links = list(NAV.values())
    for section in SECTIONS.values():
        if section.crumb is not None and section.where == "process":
            label, url_name = section.crumb
            links.append(NavLink(section.name, label, url_name, section.order, app=section.app))
    return sorted(links, key=lambda link: (link.order, link.name))


def demo_parts() -> list[DemoPart]:
    return sorted(DEMO.values(), key=lambda part: (part.order, part.name))


def related_of(name: str) -> tuple[str, ...]:
    """What one record of kind ``name`` loads with it, in the same query."""
    related = ["author", "author_group", name, *KINDS[name].related]
    if name == "event":
        related += ["event__subject", "event__other_group", "event__about"]
        related += [f"event__about__{e.name}" for e in KINDS.values() if e.named_by_events]
    return tuple(related)


def timeline_related() -> tuple[str, ...]:
    """What a page of the chronology loads with each record, in one query:
    every kind's child row and what its row needs, and what an event needs
    to name the record it is about."""
    related = ["author", "author_group", "event__subject", "event__other_group", "event__about"]
    for entry in KINDS.values():
        related += [entry.name, *entry.related]
        if entry.named_by_events:
            related.append(f"event__about__{entry.name}")
    return tuple(dict.fromkeys(related))


def apps() -> set[str]:
    """The labels of the apps that plug into processes (not processes itself)."""
    tables: list[Mapping[str, Any]] = [KINDS, EVENTS, SECTIONS, NAV, ROUTES, DEMO, HISTORIES]
    found = {entry.app for table in tables for entry in table.values()}
    return found - {"processes"}
