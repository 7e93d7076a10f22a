"""The decisions' part of the watchdog (holdspace.watch.sources).

- ``decision_due``: an open decision's deadline, shown 7 days before, to the
  members of the asked groups who have not answered yet.
- ``decision_review_due``: a decided decision's review date, shown 14 days
  before, to its readers (until a later decision replaces it).
- On each tick: a trigger the watchdog sees (a missed meeting, an
  unanswered attempt, a breach of an agreement) opens one draft decision
  per group whose agreed ladder has steps for it; the alert then leads there.
  A group without steps for missed meetings gets a draft too once he missed
  two meetings in a row: deciding together is due either way.

Plain metadata only: dates, statuses, ids; never a word of content.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models import F
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.commitments.models import Breach
from holdspace.contact.models import Contact, Meeting
from holdspace.decisions import services
from holdspace.decisions.models import Answer, Decision, Ladder, LadderStep, NonCooperation
from holdspace.processes import access
from holdspace.processes.models import Group, Membership, Process, Record, RecordAudience
from holdspace.vault.keyring import Keyring, using
from holdspace.watch import rules

DECISION_DUE = "decision_due"
DECISION_REVIEW_DUE = "decision_review_due"
LEAD_DAYS = {DECISION_DUE: 7, DECISION_REVIEW_DUE: 14}
# Alerts that open a draft from the ladder, and the kind of non-cooperation each is.
TRIGGERS = {
    rules.MEETING_NO_SHOW: NonCooperation.MISSED_MEETINGS,
    rules.NO_ANSWER: NonCooperation.SLOW_REPLIES,
}
# A breach recorded this recently (days) opens a draft; older ones were before the tick ran.
BREACH_DAYS = 14

Ids = frozenset[uuid.UUID]


def _readers(ids: list[uuid.UUID]) -> dict[uuid.UUID, Ids]:
    found: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for record_id, group_id in RecordAudience.objects.filter(record_id__in=ids).values_list(
        "record_id", "group_id"
    ):
        found[record_id].add(group_id)
    return {record_id: frozenset(groups) for record_id, groups in found.items()}


def alerts(process_ids: Sequence[uuid.UUID], today: datetime.date) -> Iterator[rules.Alert]:
    """Deadlines of open decisions and review dates of decided ones, in four
    queries however many processes there are."""
    rows = list(
        Decision.objects.filter(process_id__in=process_ids)
        .filter(status__in=(Decision.Status.OPEN, Decision.Status.DECIDED))
        .values_list("pk", "process_id", "status", "deadline", "review_on", "replaced_by")
    )
    readers = _readers([row[0] for row in rows])
    members: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for group_id, user_id in (
        Membership.objects.active()
        .filter(group__process_id__in=process_ids)
        .exclude(user__parties__process_id=F("group__process_id"))
        .values_list("group_id", "user_id")
    ):
        members[group_id].add(user_id)
    answered: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for decision_id, user_id in Answer.objects.filter(
        decision__process_id__in=process_ids, decision__status=Decision.Status.OPEN
    ).values_list("decision_id", "member_id"):
        answered[decision_id].add(user_id)
    for pk, process_id, status, deadline, review_on, replaced_by in rows:
        groups = readers.get(pk, frozenset())
        if status == Decision.Status.OPEN and deadline is not None:
            asked = set().union(*(members[g] for g in groups)) if groups else set()
            waiting = frozenset(asked - answered[pk])
            if waiting:
                yield from rules.alert(
                    DECISION_DUE, process_id, deadline, today, LEAD_DAYS[DECISION_DUE],
                    subject=pk, users=waiting,
                )  # fmt: skip
        if status == Decision.Status.DECIDED and review_on is not None and replaced_by is None:
            yield from rules.alert(
                DECISION_REVIEW_DUE, process_id, review_on, today,
                LEAD_DAYS[DECISION_REVIEW_DUE], subject=pk, groups=groups,
            )  # fmt: skip


def url(alert: rules.Alert, user: User) -> str:
    return reverse("hs-decision", args=[alert.subject])


# Triggers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    process: uuid.UUID
    kind: str  # a NonCooperation
    key: str  # what opened it, without the group
    groups: Ids  # the groups that see it
    about: uuid.UUID | None = None  # the meeting, the attempt, the agreement


def trigger_key(alert: rules.Alert) -> str | None:
    """What identifies the trigger of an alert (None: the alert is no trigger)."""
    if alert.kind == rules.MEETING_NO_SHOW and alert.subject is not None:
        return f"{alert.kind}|{alert.subject}"
    if alert.kind == rules.NO_ANSWER and alert.since is not None:
        return f"{alert.kind}|{alert.process}|{alert.since.isoformat()}"
    return None


def _key(trigger_key: str, group: uuid.UUID) -> str:
    return f"{trigger_key}|{group}"


def _first_attempt(alert: rules.Alert, group: uuid.UUID) -> uuid.UUID | None:
    """The unanswered attempt a silence counts from, as the group reads it."""
    if alert.since is None:
        return None
    found = (
        Contact.objects.filter(
            process_id=alert.process,
            occurred_on=alert.since,
            direction=Contact.Direction.OUTGOING,
            counterpart=Contact.Counterpart.HARMING,
            audience__group_id=group,
        )
        .values_list("pk", flat=True)
        .first()
    )
    return found


def _from_alerts(found: Sequence[rules.Alert]) -> Iterator[Trigger]:
    for alert in found:
        key = trigger_key(alert)
        if key is None or alert.kind not in TRIGGERS:
            continue
        for group in alert.groups:
            about = alert.subject if alert.kind == rules.MEETING_NO_SHOW else None
            if alert.kind == rules.NO_ANSWER:
                about = _first_attempt(alert, group)
            yield Trigger(alert.process, TRIGGERS[alert.kind], key, frozenset({group}), about)


def _breaches(process_ids: Sequence[uuid.UUID], today: datetime.date) -> Iterator[Trigger]:
    recent = today - datetime.timedelta(days=BREACH_DAYS)
    rows = list(
        Breach.objects.filter(
            agreement__process_id__in=process_ids, reported_on__gte=recent
        ).values_list("pk", "agreement_id", "agreement__process_id", "reported_on")
    )
    readers = _readers([row[1] for row in rows])
    for pk, agreement_id, process_id, _reported in rows:
        yield Trigger(
            process_id,
            NonCooperation.BREACH,
            f"breach|{pk}",
            readers.get(agreement_id, frozenset()),
            agreement_id,
        )


def on_tick(found: Sequence[rules.Alert], today: datetime.date) -> int:
    """Open one draft decision per trigger and group with an agreed ladder
    holding steps for it; how many were opened. Safe to run twice and on
    two servers at once (the trigger key is unique)."""
    processes = {alert.process for alert in found}
    active = list(Process.objects.filter(status=Process.Status.ACTIVE).values_list("pk", flat=True))
    triggers = [*_from_alerts(found), *_breaches(active, today)]
    processes |= {t.process for t in triggers}
    ladders = {
        ladder.keeper_id: ladder
        for ladder in Ladder.objects.filter(process_id__in=processes).select_related("keeper")
        if ladder.is_agreed
    }
    with_steps = set(
        LadderStep.objects.filter(ladder__in=list(ladders.values())).values_list(
            "ladder__keeper_id", "kind"
        )
    )
    abouts = Record.objects.in_bulk([t.about for t in triggers if t.about is not None])
    groups = Group.objects.in_bulk({group for t in triggers for group in t.groups})
    opened = 0
    with using(Keyring()):  # a fresh key for each draft, sealed to the group; nothing opened
        for trigger in triggers:
            for group in trigger.groups:
                ladder = ladders.get(group)
                if ladder is None or (group, trigger.kind) not in with_steps:
                    # Without steps agreed for it: after two missed meetings
                    # in a row, the group is still asked to decide together.
                    ladder = None
                    if not _missed_twice(trigger, group, today):
                        continue
                made = services.prepare_draft(
                    groups[group],
                    kind=trigger.kind,
                    about=abouts.get(trigger.about) if trigger.about else None,
                    trigger=_key(trigger.key, group),
                    today=today,
                    ladder=ladder,
                )
                opened += made is not None
    return opened


def _missed_twice(trigger: Trigger, group: uuid.UUID, today: datetime.date) -> bool:
    """Whether he missed the last two meetings with him that ``group`` reads."""
    if trigger.kind != NonCooperation.MISSED_MEETINGS:
        return False
    latest = (
        Meeting.objects.filter(
            process_id=trigger.process,
            internal=False,
            counterpart=Contact.Counterpart.HARMING,
            outcome__in=(Meeting.Outcome.HELD, Meeting.Outcome.NO_SHOW),
            occurred_on__lte=today,
            audience__group_id=group,
        )
        .order_by("-occurred_on", "-created_at")
        .values_list("outcome", flat=True)[:2]
    )
    return list(latest) == [Meeting.Outcome.NO_SHOW, Meeting.Outcome.NO_SHOW]


def leads(alert: rules.Alert, user: User) -> str | None:
    """The draft (or decision) a trigger opened for one of the account's
    groups, for the alert about that trigger."""
    key = trigger_key(alert)
    if key is None or alert.kind not in TRIGGERS:
        return None
    mine = access.group_ids_for(user, alert.process) & set(alert.groups)
    keys = [_key(key, group) for group in sorted(mine)]
    found = (
        Decision.objects.filter(trigger__in=keys, audience__group_id__in=mine)
        .values_list("pk", flat=True)
        .first()
    )
    return reverse("hs-decision", args=[found]) if found else None
