"""The circle's part of the watchdog (registered in apps.py), from plain
metadata only — dates, statuses, ids and audiences, never a word of content —
in a fixed number of queries however many processes there are:

- ``embargo_ending``: the end of the embargo in force, shown 14 days before
  (due on the day others may be told again), for the groups that read the
  consent; gone once that day has passed.
- ``inform_unconfirmed``: he says he told someone, and nobody confirmed it
  within 30 days; for the groups that read it.
- ``informing_approval``: an informing waits for the survivor's side's
  approval; for that group, if it reads the informing (S45).
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence

from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.circle import rules as circle_rules
from holdspace.circle.models import Approval, Consent, Duty, Informing
from holdspace.processes import access
from holdspace.processes.models import Group, RecordAudience, Responsibility
from holdspace.watch import rules

EMBARGO_ENDING = "embargo_ending"
INFORM_UNCONFIRMED = "inform_unconfirmed"
INFORMING_APPROVAL = "informing_approval"
LEAD_DAYS = {EMBARGO_ENDING: 14, INFORM_UNCONFIRMED: 0, INFORMING_APPROVAL: 0}
CONFIRM_WITHIN_DAYS = 30

Ids = frozenset[uuid.UUID]


def _readers(process_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Ids]:
    found: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    rows = RecordAudience.objects.filter(
        record__process_id__in=process_ids, record__kind__in=("consent", "duty", "informing")
    ).values_list("record_id", "group_id")
    for record_id, group_id in rows:
        found[record_id].add(group_id)
    return {record_id: frozenset(groups) for record_id, groups in found.items()}


def alerts(process_ids: Sequence[uuid.UUID], today: datetime.date) -> Iterator[rules.Alert]:
    readers = _readers(process_ids)
    yield from _embargoes(process_ids, today, readers)
    yield from _duties(process_ids, today, readers)
    yield from _approvals(process_ids, readers)


def _embargoes(
    process_ids: Sequence[uuid.UUID], today: datetime.date, readers: dict[uuid.UUID, Ids]
) -> Iterator[rules.Alert]:
    facts: dict[uuid.UUID, list[circle_rules.ConsentFact]] = defaultdict(list)
    for process_id, pk, whom, may_know, given, written, until in Consent.objects.filter(
        process_id__in=process_ids
    ).values_list(
        "process_id", "pk", "whom_id", "may_know", "occurred_on", "created_at", "embargo_until"
    ):
        facts[process_id].append(
            circle_rules.ConsentFact(pk, whom, may_know, given, written, until)
        )
    for process_id, consents in facts.items():
        for fact in circle_rules.in_force(consents, today).values():
            end = fact.embargo_until
            if end is None or end < today:
                continue
            yield from rules.alert(
                EMBARGO_ENDING,
                process_id,
                end,
                today,
                LEAD_DAYS[EMBARGO_ENDING],
                subject=fact.id,
                since=fact.given_on,
                groups=readers.get(fact.id, frozenset()),
            )


def _duties(
    process_ids: Sequence[uuid.UUID], today: datetime.date, readers: dict[uuid.UUID, Ids]
) -> Iterator[rules.Alert]:
    rows = Duty.objects.filter(
        process_id__in=process_ids, confirmation=Duty.Confirmation.NOT_YET
    ).values_list("pk", "process_id", "occurred_on")
    for pk, process_id, told_on in rows:
        yield from rules.alert(
            INFORM_UNCONFIRMED,
            process_id,
            told_on + datetime.timedelta(days=CONFIRM_WITHIN_DAYS),
            today,
            LEAD_DAYS[INFORM_UNCONFIRMED],
            subject=pk,
            since=told_on,
            groups=readers.get(pk, frozenset()),
        )


def _survivor_sides(process_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """The survivor's side of each process, as commitments.access.survivor_side
    says, in two queries for all of them."""
    sides: dict[uuid.UUID, uuid.UUID] = {}
    for process_id, group_id in (
        Group.objects.filter(process_id__in=process_ids, kind=Group.Kind.SUPPORT)
        .order_by("-created_at")
        .values_list("process_id", "pk")
    ):
        sides[process_id] = group_id  # the oldest is written last
    sides.update(
        Responsibility.objects.filter(
            process_id__in=process_ids, kind=Responsibility.Kind.DEMANDS
        ).values_list("process_id", "group_id")
    )
    return sides


def _approvals(
    process_ids: Sequence[uuid.UUID], readers: dict[uuid.UUID, Ids]
) -> Iterator[rules.Alert]:
    rows = list(
        Approval.objects.filter(
            informing__process_id__in=process_ids,
            informing__status=Informing.Status.PLANNED,
            status=Approval.Status.PENDING,
        ).values_list(
            "informing_id", "informing__process_id", "asked_on", "informing__to_harmed_party"
        )
    )
    if not rows:
        return
    sides = _survivor_sides(process_ids)
    hers = access.where_she_answers(process_ids)
    for informing_id, process_id, asked_on, to_her in rows:
        side = sides.get(process_id)
        if side is None or side not in readers.get(informing_id, frozenset()):
            continue
        if to_her and process_id in hers:
            continue  # it waits for her own answer, not for her support group
        # Waiting for a decision is due from the day it was asked, like a
        # change to a demand: no later date makes it more urgent.
        yield rules.Alert(
            INFORMING_APPROVAL,
            process_id,
            asked_on,
            rules.DUE,
            subject=informing_id,
            since=asked_on,
            groups=frozenset({side}),
        )


def url(alert: rules.Alert, user: User) -> str:
    pages = {
        EMBARGO_ENDING: "hs-consent",
        INFORM_UNCONFIRMED: "hs-duty",
        INFORMING_APPROVAL: "hs-informing-approval",
    }
    return reverse(pages[alert.kind], args=[alert.subject])
