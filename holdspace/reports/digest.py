"""What a group may report about a period: one dated line per record.

:func:`collect` reads, through the access core, exactly the records of the
group's process that the *group* may read (not what one member may read
through another group) and that happened in the period: contacts made and
missed, his replies and the silences, meetings and no-shows, the letter,
demands, steps and agreements and what changed about them (breaches
included), decisions, and what is still open at the end (open decisions,
the watchdog's alerts for the group). Each line is dated by when it
happened and links to its record.

Lines say what kind of thing happened, never what a record says: the words
of a contact or of the minutes stay in their records, behind their own
audience. A conclusion report can build on the same lines for a whole
process.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from holdspace.contact import figures
from holdspace.contact.models import Contact, Meeting
from holdspace.contact.words import outcome_label
from holdspace.decisions.models import Decision
from holdspace.processes import registry
from holdspace.processes.models import Event, Group, Record
from holdspace.processes.terminology import Terms
from holdspace.reports.access import readable_by_group

# The kinds of records a report is drafted from, besides contacts, meetings
# and events (notes are a group's own; reports do not report on reports).
OTHER_KINDS = (
    "message",
    "answer",
    "letter",
    "demand",
    "step",
    "agreement",
    "decision",
    "ladder",
    "informing",
)

# The apps whose events are changes to report: demands, steps, agreements and
# breaches; decisions; informing people around him (not who joined a group).
EVENT_APPS = ("commitments", "decisions", "circle")

# The watchdog's alerts that are no risk but a reminder (a meeting ahead, the
# report itself).
NOT_RISKS = ("meeting_upcoming", "report_due")

# Sections of a report, in the order it shows them.
CONTACT, MEETINGS, CHANGES, OPEN = "contact", "meetings", "changes", "open"


@dataclass(frozen=True)
class Line:
    """One thing that happened: its day, which part of the report it
    belongs to, the words, and the record it links to (if any)."""

    on: str  # ISO date
    section: str
    words: str
    record: str = ""  # the record's id
    kind: str = ""  # the record's kind (for its page)
    warning: bool = False  # a silence, a no-show, a breach: shown as such

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def collect(
    group: Group,
    period_from: datetime.date,
    period_to: datetime.date,
    *,
    today: datetime.date | None = None,
) -> list[Line]:
    """The lines of ``group``'s report for the period, by day."""
    today = today or timezone.localdate()
    terms = group.process.terms
    readable = readable_by_group(group)
    in_period = readable.filter(occurred_on__gte=period_from, occurred_on__lte=period_to)
    lines: list[Line] = []
    contacts = list(Contact.objects.filter(pk__in=readable.values("pk")))
    lines += _contacts(contacts, period_from, period_to, terms)
    meetings = list(Meeting.objects.filter(pk__in=in_period.values("pk")))
    lines += _meetings(meetings, terms)
    lines += _silences(contacts, readable, period_from, period_to, terms)
    lines += _others(in_period)
    lines += _events(in_period)
    lines += _open(group, readable, period_to, today)
    order = {CONTACT: 0, MEETINGS: 1, CHANGES: 2, OPEN: 3}
    return sorted(lines, key=lambda line: (order[line.section], line.on, line.words))


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _contacts(
    contacts: Iterable[Contact], start: datetime.date, end: datetime.date, terms: Terms
) -> list[Line]:
    lines = []
    for contact in contacts:
        channel = contact.get_channel_display()
        with_him = contact.counterpart == Contact.Counterpart.HARMING
        outgoing = contact.direction == Contact.Direction.OUTGOING
        if start <= contact.occurred_on <= end:
            if outgoing and with_him:
                if contact.answered_on is not None and contact.answered_on <= end:
                    words = _("We reached out (%(channel)s); answered on %(day)s.") % {
                        "channel": channel,
                        "day": _day(contact.answered_on),
                    }
                else:
                    words = _("We reached out (%(channel)s); no answer by the end of the period.")
                    words %= {"channel": channel}
            elif outgoing:
                words = _("We reached out to someone in the surroundings (%(channel)s).") % {
                    "channel": channel
                }
            elif with_him:
                words = terms.pick(
                    he=_("He got in touch (%(channel)s)."),
                    she=_("She got in touch (%(channel)s)."),
                    they=_("They got in touch (%(channel)s)."),
                    none=_("The %(term)s got in touch (%(channel)s)."),
                    channel=channel,
                )
            else:
                words = _("Someone in the surroundings got in touch (%(channel)s).") % {
                    "channel": channel
                }
            unanswered = (
                outgoing and with_him and not (contact.answered_on and contact.answered_on <= end)
            )
            lines.append(_line(contact, contact.occurred_on, CONTACT, words, unanswered))
        answered = contact.answered_on
        if (
            outgoing
            and with_him
            and answered is not None
            and start <= answered <= end
            and answered != contact.occurred_on
        ):
            words = terms.pick(
                he=_("He answered our attempt of %(day)s."),
                she=_("She answered our attempt of %(day)s."),
                they=_("They answered our attempt of %(day)s."),
                none=_("The %(term)s answered our attempt of %(day)s."),
                day=_day(contact.occurred_on),
            )
            lines.append(_line(contact, answered, CONTACT, words))
    return lines


def _meetings(meetings: Iterable[Meeting], terms: Terms) -> list[Line]:
    lines = []
    for meeting in meetings:
        if meeting.internal:
            words = _("Internal meeting of the group: %(outcome)s.")
        elif meeting.with_surroundings:
            words = _("Meeting with people from the surroundings: %(outcome)s.")
        else:
            words = _("Meeting: %(outcome)s.")
        words %= {"outcome": outcome_label(meeting.outcome, terms)}
        no_show = meeting.with_him and meeting.outcome == Meeting.Outcome.NO_SHOW
        lines.append(_line(meeting, meeting.occurred_on, MEETINGS, words, no_show))
    return lines


def _silences(
    contacts: list[Contact],
    readable: Any,
    start: datetime.date,
    end: datetime.date,
    terms: Terms,
) -> list[Line]:
    """The waits for him that touch the period, from what the group may read."""
    exchanges = [
        figures.Exchange(
            on=c.occurred_on,
            outgoing=c.direction == Contact.Direction.OUTGOING,
            with_him=c.counterpart == Contact.Counterpart.HARMING,
            answered_on=c.answered_on,
        )
        for c in contacts
    ]
    gatherings = [
        figures.Gathering(on=on, outcome=outcome)
        for on, outcome in Meeting.objects.filter(
            pk__in=readable.values("pk"), internal=False, counterpart=Contact.Counterpart.HARMING
        ).values_list("occurred_on", "outcome")
    ]
    found = figures.compute(exchanges, gatherings, today=end)
    attempts = {
        c.occurred_on: c
        for c in sorted(contacts, key=lambda c: c.created_at, reverse=True)
        if c.direction == Contact.Direction.OUTGOING
        and c.counterpart == Contact.Counterpart.HARMING
    }
    lines = []
    for silence in found.silences:
        if silence.end < start or silence.start > end:
            continue
        if silence.ongoing:
            words = _(
                "Waiting for an answer since %(day)s: %(days)s days by the end of the period."
            )
        else:
            words = _("A silence of %(days)s days, from %(day)s to %(end)s.")
        words %= {"day": _day(silence.start), "days": silence.days, "end": _day(silence.end)}
        attempt = attempts.get(silence.start)
        lines.append(
            Line(
                on=silence.start.isoformat(),
                section=CONTACT,
                words=words,
                record=str(attempt.pk) if attempt else "",
                kind="contact" if attempt else "",
                warning=True,
            )
        )
    return lines


def _others(in_period: Any) -> list[Line]:
    lines = []
    for record in in_period.filter(kind__in=OTHER_KINDS).order_by("occurred_on", "created_at"):
        if record.kind not in registry.KINDS:
            continue
        words = _("Written down: %(kind)s.") % {"kind": registry.kind(record.kind).label}
        lines.append(_line(record, record.occurred_on, CHANGES, words))
    return lines


def _events(in_period: Any) -> list[Line]:
    lines = []
    events = (
        Event.objects.filter(pk__in=in_period.filter(kind=Record.Kind.EVENT).values("pk"))
        .select_related("about")
        .order_by("occurred_on", "created_at")
    )
    for event in events:
        if event.code not in registry.EVENTS or registry.EVENTS[event.code].app not in EVENT_APPS:
            continue
        label = str(registry.EVENTS[event.code].label)
        words = f"{label[:1].upper()}{label[1:]}"
        if event.value:
            words = f"{words}: {event.value_label}"
        about = event.about
        warning = "breach" in event.code or event.value in ("broken", "breached", "not_met")
        lines.append(
            Line(
                on=event.occurred_on.isoformat(),
                section=CHANGES,
                words=f"{words}.",
                record=str(about.pk) if about is not None else "",
                kind=about.kind if about is not None else "",
                warning=warning,
            )
        )
    return lines


def _open(group: Group, readable: Any, end: datetime.date, today: datetime.date) -> list[Line]:
    """What is still open: decisions waiting for answers, the watchdog's alerts."""
    lines = []
    open_decisions = Decision.objects.filter(
        pk__in=readable.values("pk"), status=Decision.Status.OPEN, occurred_on__lte=end
    ).order_by("occurred_on")
    for decision in open_decisions:
        words = _("A decision is still open: %(topic)s.") % {"topic": decision.get_topic_display()}
        lines.append(_line(decision, decision.occurred_on, OPEN, words, True))
    if end == today:
        lines += _alerts(group, readable, today)
    return lines


def _alerts(group: Group, readable: Any, today: datetime.date) -> list[Line]:
    from holdspace.watch import collect, rules

    process = group.process
    readable_ids = set(readable.values_list("pk", flat=True))
    lines = []
    for facts in collect.facts_for([process]):
        for alert in rules.alerts(facts, today):
            if group.pk not in alert.groups or alert.kind in NOT_RISKS:
                continue
            since = _day(alert.since) if alert.since else ""
            html = render_to_string(
                "watch/includes/alert_text.html",
                {"alert": alert, "since": since, "item": {"process": process, "mine": False}},
            )
            words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()
            if not words:
                continue
            subject = alert.subject if alert.subject in readable_ids else None
            kind = (
                Record.objects.filter(pk=subject).values_list("kind", flat=True).first()
                if subject
                else ""
            )
            lines.append(
                Line(
                    on=(alert.since or alert.due_on).isoformat(),
                    section=OPEN,
                    words=words,
                    record=str(subject) if subject else "",
                    kind=kind or "",
                    warning=True,
                )
            )
    return lines


def _line(
    record: Record, on: datetime.date, section: str, words: str, warning: bool = False
) -> Line:
    return Line(
        on=on.isoformat(),
        section=section,
        words=words,
        record=str(record.pk),
        kind=record.kind,
        warning=warning,
    )


def counts(lines: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many lines each part of a report has (for the draft's first words)."""
    found = {CONTACT: 0, MEETINGS: 0, CHANGES: 0, OPEN: 0}
    for line in lines:
        found[str(line.get("section", CHANGES))] = found.get(str(line.get("section")), 0) + 1
    return found
