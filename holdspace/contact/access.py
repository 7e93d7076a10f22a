"""The access core for contacts and meetings.

Built on :mod:`holdspace.processes.access`: a contact or meeting is
a record, read by its audience, edited by its author or the author group's
coordinators, acted on (an answer, an outcome) by members of a group in its
audience. Figures and the chart are made only of what the account may read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from holdspace.accounts.models import User
from holdspace.commitments.models import Demand
from holdspace.contact import figures
from holdspace.contact.models import Contact, Meeting
from holdspace.processes import access
from holdspace.processes.models import Group, Process


def _visible(user: User, process: Process) -> QuerySet[Any]:
    return access.records_visible_to(user, process).values("pk")


def contacts_of(user: User, process: Process) -> QuerySet[Contact]:
    return Contact.objects.filter(pk__in=_visible(user, process)).order_by(
        "-occurred_on", "-created_at"
    )


def meetings_of(user: User, process: Process) -> QuerySet[Meeting]:
    return Meeting.objects.filter(pk__in=_visible(user, process)).order_by(
        "-occurred_on", "-starts_at", "-created_at"
    )


def unanswered_attempts(user: User, process: Process) -> QuerySet[Contact]:
    """Our attempts to reach him, readable by the account, still unanswered."""
    return contacts_of(user, process).filter(
        direction=Contact.Direction.OUTGOING,
        counterpart=Contact.Counterpart.HARMING,
        answered_on=None,
    )


def people_of(group: Group) -> QuerySet[User]:
    """The active members of a group the account belongs to (for attendees)."""
    return access.active_members(group)


def demands_to_act_on(user: User, process: Process) -> list[Demand]:
    demands = Demand.objects.filter(pk__in=_visible(user, process)).prefetch_related(
        "audience_groups"
    )
    return [demand for demand in demands if access.may_act(user, demand)]


def history(user: User, process: Process) -> tuple[list[figures.Exchange], list[figures.Gathering]]:
    """The plain dates behind the figures and the chart, from what the account
    may read (internal meetings and meetings with his surroundings are not
    meetings with him)."""
    exchanges = [
        figures.Exchange(
            on=on,
            outgoing=direction == Contact.Direction.OUTGOING,
            with_him=counterpart == Contact.Counterpart.HARMING,
            answered_on=answered_on,
        )
        for on, direction, counterpart, answered_on in contacts_of(user, process).values_list(
            "occurred_on", "direction", "counterpart", "answered_on"
        )
    ]
    gatherings = [
        figures.Gathering(on=on, outcome=outcome)
        for on, outcome in meetings_of(user, process)
        .filter(internal=False, counterpart=Contact.Counterpart.HARMING)
        .values_list("occurred_on", "outcome")
    ]
    return exchanges, gatherings
