"""The "needs attention" list: the alerts meant for an account, each with the
page where it can be dealt with."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.processes import access
from holdspace.processes.models import Process
from holdspace.watch import collect, rules


@dataclass(frozen=True)
class Item:
    alert: rules.Alert
    process: Process
    url: str
    mine: bool  # a commitment_ending about the account itself


def _url(alert: rules.Alert, user: User) -> str:
    subject = alert.subject
    pages = {
        rules.MEETING_UPCOMING: "hs-meeting",
        rules.MEETING_NO_SHOW: "hs-meeting",
        rules.AGREEMENT_REVIEW_DUE: "hs-agreement",
        rules.AGREEMENT_ENDING: "hs-agreement",
        rules.STEP_OVERDUE: "hs-step",
    }
    if alert.kind in pages and subject is not None:
        return reverse(pages[alert.kind], args=[subject])
    if alert.kind == rules.COMMITMENT_ENDING and subject is not None:
        own = alert.member == user.pk
        return reverse("hs-membership-edit" if own else "hs-group", args=[subject])
    return reverse("hs-contact-log", args=[alert.process])


def items_for(user: User, process: Process | None = None) -> list[Item]:
    """What needs this account's attention (in ``process``, or everywhere)."""
    mine = access.processes_for(user)
    scope = mine.filter(pk=process.pk) if process is not None else None
    found = collect.alerts_for(user, processes=scope)
    processes = {p.pk: p for p in mine.filter(pk__in={a.process for a in found})}
    return [
        Item(alert, processes[alert.process], _url(alert, user), alert.member == user.pk)
        for alert in found
    ]


def section_context(user: User, process: Process | None) -> dict[str, list[Item]]:
    """What needs attention, for the top of the process page or the overview."""
    return {"attention": items_for(user, process)}
