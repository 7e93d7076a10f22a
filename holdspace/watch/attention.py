"""The "needs attention" list: the alerts meant for an account, and the
decisions waiting for its own group, each once and with the page where it
can be dealt with."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.commitments import access as commitments
from holdspace.processes import access
from holdspace.processes.models import Process
from holdspace.watch import collect, rules, sources

# A change to a demand waiting for the survivor's side: not a watchdog rule
# (no date makes it due), but the first thing that group has to do.
DECISION_PENDING = "decision_pending"


@dataclass(frozen=True)
class Item:
    alert: rules.Alert
    process: Process
    url: str
    mine: bool  # a commitment_ending about the account itself
    decision: bool = False  # waits for a decision of the account's own group
    # The template that words it: the watchdog's own, or a registered source's.
    text: str = "watch/includes/alert_text.html"


def _url(alert: rules.Alert, user: User) -> str:
    for source in sources.SOURCES.values():
        better = source.leads(alert, user) if source.leads else None
        if better:
            return better
    registered = sources.of_kind(alert.kind)
    if registered is not None:
        return registered.url(alert, user)
    subject = alert.subject
    pages = {
        rules.MEETING_UPCOMING: "hs-meeting",
        rules.AGREEMENT_REVIEW_DUE: "hs-agreement",
        rules.AGREEMENT_ENDING: "hs-agreement",
        rules.STEP_OVERDUE: "hs-step",
    }
    if alert.kind in pages and subject is not None:
        return reverse(pages[alert.kind], args=[subject])
    if alert.kind == rules.MEETING_NO_SHOW:
        # Deciding how to respond happens among the groups, not on the meeting's page.
        return reverse("hs-respond", args=[alert.process])
    if alert.kind == rules.COMMITMENT_ENDING and subject is not None:
        own = alert.member == user.pk
        return reverse("hs-membership-edit" if own else "hs-group", args=[subject])
    return reverse("hs-contact-log", args=[alert.process])


def items_for(user: User, process: Process | None = None) -> list[Item]:
    """What needs this account's attention (in ``process``, or everywhere):
    decisions waiting for its own group first, then the watchdog's alerts by
    due date; each thing once, however many of its groups it concerns."""
    mine = access.processes_for(user)
    if process is not None:
        mine = mine.filter(pk=process.pk)
    processes = {p.pk: p for p in mine}
    decisions = [
        Item(
            rules.Alert(
                DECISION_PENDING,
                waiting_in.pk,
                proposal.proposed_on,
                rules.DUE,
                subject=proposal.pk,
                since=proposal.proposed_on,
            ),
            waiting_in,
            reverse("hs-demand-decide", args=[proposal.demand_id, proposal.pk]),
            mine=False,
            decision=True,
        )
        for waiting_in, proposal in commitments.decisions_waiting_for(user, mine)
    ]
    alerts = [
        Item(
            alert,
            processes[alert.process],
            _url(alert, user),
            alert.member == user.pk,
            text=_text(alert),
        )
        for alert in collect.alerts_for(user, processes=mine if process is not None else None)
        if alert.process in processes
    ]
    return _once([*decisions, *alerts])


def _text(alert: rules.Alert) -> str:
    registered = sources.of_kind(alert.kind)
    return registered.text if registered is not None else Item.text


def _once(items: list[Item]) -> list[Item]:
    """The first of the items about the same thing (the same kind and subject,
    or process): one contact group's silence is not shown twice to someone
    in two of them."""
    seen: set[tuple[object, ...]] = set()
    kept = []
    for item in items:
        key = (item.alert.kind, item.alert.subject or item.alert.process, item.alert.member)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def section_context(user: User, process: Process | None) -> dict[str, list[Item]]:
    """What needs attention, for the top of the process page or the overview."""
    return {"attention": items_for(user, process)}
