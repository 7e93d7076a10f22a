"""What an edition of the conclusion report holds, drawn for one audience.

:func:`draw` reads the records the edition may hold (see
:func:`holdspace.conclusion.access.records_for_edition`) and turns them into
plain data — strings, dates as ISO text, lists — ready to be frozen as JSON
when the edition is released and rendered as a page, Markdown or a PDF.

Names: each edition shows members' names, groups' names and the parties'
pseudonyms only where its audience may see them (:data:`SHOWN`); elsewhere
a member is "Member A", a group "the contact group", the two people the
process's terms. The same replacements are made in everything the groups
wrote (:class:`Names.scrub`), so that a name typed into a text does not reach
an audience that may not see it.
"""

from __future__ import annotations

import datetime
import re
import string
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from holdspace.accounts.models import User
from holdspace.conclusion import access
from holdspace.conclusion.models import Audience, Conclusion
from holdspace.contact import figures
from holdspace.processes import access as core
from holdspace.processes import registry
from holdspace.processes.models import Event, Group, Membership, Party, Process, Record
from holdspace.vault.fields import UnreadableText

# Which names each audience sees: (members, groups, pseudonyms and the process's name).
SHOWN: dict[str, tuple[bool, bool, bool]] = {
    Audience.SUPERVISION: (True, True, True),
    Audience.SURVIVOR: (False, True, True),
    Audience.COMMUNITY: (False, False, False),
}

# The field of a record that says in a few words what it is, by kind.
SUMMARY = {
    "note": "title",
    "letter": "title",
    "demand": "wording",
    "step": "description",
    "decision": "proposal",
}
SUMMARY_WORDS = 25


def _text(value: Any) -> str:
    """A text as the report shows it; one that cannot be opened stays out."""
    if value is None or isinstance(value, UnreadableText):
        return ""
    return str(value)


@dataclass
class Names:
    """How one edition names the people and groups of a process."""

    process: Process
    members: bool
    groups: bool
    pseudonyms: bool
    _letters: dict[Any, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None
    _replacements: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_edition(cls, process: Process, edition: str) -> Names:
        members, groups, pseudonyms = SHOWN[edition]
        names = cls(process, members, groups, pseudonyms)
        names._learn()
        return names

    def member(self, user_id: Any, username: str) -> str:
        if self.members:
            return username
        if user_id not in self._letters:
            count = len(self._letters)
            letter = string.ascii_uppercase[count % 26] + ("" if count < 26 else str(count // 26))
            self._letters[user_id] = letter
        return _("Member %(letter)s") % {"letter": self._letters[user_id]}

    def group(self, group: Group) -> str:
        if self.groups and _text(group.name):
            return _text(group.name)
        return _("the %(kind)s") % {"kind": group.get_kind_display()}

    def party(self, party: Party) -> str:
        terms = self.process.terms
        term = terms.harmed if party.role == Party.Role.HARMED else terms.harming
        if self.pseudonyms and _text(party.pseudonym):
            return _text(party.pseudonym)
        return _("the %(term)s") % {"term": term}

    def process_name(self) -> str:
        return _text(self.process.name) if self.pseudonyms else ""

    def _learn(self) -> None:
        """Every name the edition must not show, and what it shows instead."""
        replace: dict[str, str] = {}
        parties = list(Party.objects.filter(process=self.process).select_related("account"))
        if not self.members:
            rows = (
                Membership.objects.filter(group__process=self.process)
                .order_by("joined_on", "id")
                .values_list("user_id", "user__username")
            )
            for user_id, username in rows:
                replace.setdefault(username, self.member(user_id, username))
            # A party's account name is never shown: the process's word instead.
            for party in parties:
                if party.account is not None:
                    replace[party.account.username] = self.party_term(party)
        if not self.groups:
            # Without an article: texts say "the Juniper contact group" as often as not.
            for group in Group.objects.filter(process=self.process):
                replace[_text(group.name)] = str(group.get_kind_display())
        if not self.pseudonyms:
            for party in parties:
                replace[_text(party.pseudonym)] = self.party(party)
            replace[_text(self.process.name)] = _("this process")
        self._replacements = {name: value for name, value in replace.items() if name.strip()}
        if self._replacements:
            alternatives = sorted(self._replacements, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<!\w)(" + "|".join(re.escape(name) for name in alternatives) + r")(?!\w)",
                re.IGNORECASE,
            )

    def party_term(self, party: Party) -> str:
        terms = self.process.terms
        term = terms.harmed if party.role == Party.Role.HARMED else terms.harming
        return _("the %(term)s") % {"term": term}

    def scrub(self, text: Any) -> str:
        """``text`` with every name this edition may not show replaced."""
        plain = _text(text)
        if self._pattern is None or not plain:
            return plain
        lowered = {name.lower(): value for name, value in self._replacements.items()}
        return self._pattern.sub(lambda found: lowered[found.group(0).lower()], plain)


def _models() -> dict[str, type[Record]]:
    """The model of each kind of record, by its name ("note": Note)."""
    from django.apps import apps

    return {
        model.__name__.lower(): model
        for model in apps.get_models()
        if issubclass(model, Record) and model is not Record
    }


def _summaries(records: list[Record], names: Names) -> dict[Any, str]:
    """A few words on each record whose kind has them, one query per kind
    (joining every kind's table for thousands of rows costs far more)."""
    models = _models()
    found: dict[Any, str] = {}
    for kind, field_name in SUMMARY.items():
        ids = [record.pk for record in records if record.kind == kind]
        if not ids or kind not in models:
            continue
        for row in models[kind].objects.filter(pk__in=ids).only("pk", "data_key", field_name):
            words = names.scrub(getattr(row, field_name, "")).split()
            more = " …" if len(words) > SUMMARY_WORDS else ""
            found[row.pk] = " ".join(words[:SUMMARY_WORDS]) + more
    return found


def _what(record: Record) -> str:
    if record.kind == Record.Kind.EVENT:
        event: Event = record.event
        found = registry.EVENTS.get(event.code)
        label = str(found.label) if found else event.code
        return f"{label}: {event.value_label}" if event.value else label
    return str(record.kind_label)


def chronology(records: list[Record], names: Names) -> list[dict[str, str]]:
    """One row per record, oldest first, by the day it happened."""
    groups = {group.pk: names.group(group) for group in Group.objects.filter(process=names.process)}
    summaries = _summaries(records, names)
    return [
        {
            "on": record.occurred_on.isoformat(),
            "what": _what(record),
            "by": groups[record.author_group_id],
            "summary": summaries.get(record.pk, ""),
        }
        for record in records
    ]


def demands(ids: set[Any], names: Names) -> list[dict[str, Any]]:
    from holdspace.commitments.models import Demand

    found = (
        Demand.objects.filter(pk__in=ids)
        .prefetch_related("wordings", "status_changes")
        .order_by("occurred_on", "created_at")
    )
    rows = []
    for demand in found:
        history = [
            (w.agreed_on, _("Wording %(number)s agreed") % {"number": w.number})
            for w in demand.wordings.all()
        ]
        history += [
            (c.changed_on, _("Now %(status)s") % {"status": c.get_status_display()})
            for c in demand.status_changes.all()
        ]
        rows.append(
            {
                "wording": names.scrub(demand.wording),
                "since": demand.occurred_on.isoformat(),
                "outcome": str(demand.get_status_display()),
                "history": [{"on": on.isoformat(), "what": what} for on, what in sorted(history)],
            }
        )
    return rows


def decisions(ids: set[Any], names: Names) -> list[dict[str, str]]:
    from holdspace.decisions.models import Decision

    found = Decision.objects.filter(pk__in=ids, status=Decision.Status.DECIDED).order_by(
        "decided_on", "created_at"
    )
    return [
        {
            "on": (decision.decided_on or decision.occurred_on).isoformat(),
            "proposal": names.scrub(decision.proposal),
            "result": str(decision.get_result_display()),
            "outcome": names.scrub(decision.outcome),
            "reasons": names.scrub(decision.outcome_reasons or decision.reasons),
        }
        for decision in found
    ]


def contact_figures(ids: set[Any], today: datetime.date, term: Any) -> list[list[str]]:
    """Replies, silences, meetings held and missed, from the contacts and
    meetings the edition holds (none: no figures)."""
    from holdspace.contact.models import Contact, Meeting

    exchanges = [
        figures.Exchange(
            on=on,
            outgoing=direction == Contact.Direction.OUTGOING,
            with_him=counterpart == Contact.Counterpart.HARMING,
            answered_on=answered_on,
        )
        for on, direction, counterpart, answered_on in Contact.objects.filter(
            pk__in=ids
        ).values_list("occurred_on", "direction", "counterpart", "answered_on")
    ]
    gatherings = [
        figures.Gathering(on=on, outcome=outcome)
        for on, outcome in Meeting.objects.filter(
            pk__in=ids, internal=False, counterpart=Contact.Counterpart.HARMING
        ).values_list("occurred_on", "outcome")
    ]
    if not exchanges and not gatherings:
        return []
    found = figures.compute(exchanges, gatherings, today=today)
    longest = found.longest_silence.days if found.longest_silence else 0
    return [
        [_("Attempts to reach the %(term)s") % {"term": term}, str(found.attempts)],
        [_("Replies and messages from the %(term)s") % {"term": term}, str(found.replies)],
        [_("Attempts never answered"), str(found.unanswered)],
        [_("Times of silence"), str(len(found.silences))],
        [_("Longest silence, in days"), str(longest)],
        [_("Meetings held"), str(found.meetings_held)],
        [_("Meetings missed"), str(found.no_shows)],
        [_("Meetings cancelled by the %(term)s") % {"term": term}, str(found.cancelled_by_him)],
    ]


def draw(user: User, conclusion: Conclusion, edition: str) -> dict[str, Any]:
    """The edition ``edition`` of the report as ``user`` may draw it now."""
    process = conclusion.process
    names = Names.for_edition(process, edition)
    records = list(
        access.records_for_edition(user, process, edition)
        .select_related("event")
        .order_by("occurred_on", "created_at")
    )
    # Events carry no text: only the other records' keys are opened.
    core.open_keys([r for r in records if r.kind != Record.Kind.EVENT], conclusion.data_key_id)
    ids = {record.pk for record in records}
    today = timezone.localdate()
    parties = {party.role: party for party in Party.objects.filter(process=process)}
    return {
        "edition": edition,
        "made_on": today.isoformat(),
        "process": names.process_name(),
        "harmed": names.party(parties[Party.Role.HARMED]) if Party.Role.HARMED in parties else "",
        "harming": (
            names.party(parties[Party.Role.HARMING]) if Party.Role.HARMING in parties else ""
        ),
        "written": [
            {"heading": _("What was achieved"), "text": names.scrub(conclusion.achieved)},
            {"heading": _("What was not achieved"), "text": names.scrub(conclusion.not_achieved)},
            {"heading": _("Lessons for others"), "text": names.scrub(conclusion.lessons)},
        ],
        "chronology": chronology(records, names),
        "demands": demands({r.pk for r in records if r.kind == "demand"}, names),
        "decisions": decisions({r.pk for r in records if r.kind == "decision"}, names),
        "figures": contact_figures(ids, today, process.terms.harming),
    }
