"""Proposing, answering and deciding together; the consequence ladder.

Callers have passed the access core. The rules that hold whoever calls:
objecting and blocking need a reason; answers change until the deadline and
never after; an outcome is recorded once and then frozen (checked on the
locked row, S52); a later decision can replace an adopted one, once. Every
change writes an audit entry and, where the chronology shows it, an event
for the decision's readers.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.audit import services as audit
from holdspace.decisions.models import (
    Answer,
    Decision,
    Ladder,
    LadderStep,
    NonCooperation,
    Option,
)
from holdspace.processes import writes
from holdspace.processes.models import Group, Record
from holdspace.processes.services import (
    Refused,
    audit_record,
    create_record,
    day_it_happened,
    record_event,
    set_audience,
    since_the_start,
)
from holdspace.vault.keyring import current as keyring


class Code:
    """What decisions write on the chronology."""

    OPENED = "decision.opened"
    DECIDED = "decision.decided"
    REPLACED = "decision.replaced"
    WITHDRAWN = "decision.withdrawn"
    PREPARED = "decision.prepared"
    LADDER_AGREED = "ladder.agreed"


STATUSES: writes.Transitions = {
    Decision.Status.DRAFT: {Decision.Status.OPEN, Decision.Status.WITHDRAWN},
    Decision.Status.OPEN: {Decision.Status.DECIDED, Decision.Status.WITHDRAWN},
}

REASON_NEEDED = _("Please say why you object or block: the group needs your reason.")
ROUND_CLOSED = _(
    "The time to answer ended on %(date)s. Answers can no longer be given or changed; "
    "the group records the outcome."
)
NOT_OPEN = _("This decision is not open for answers (it is “%(status)s”). Nothing was changed.")
NOT_ASKED = _("Your group is not asked in this decision, so you cannot answer it.")
DEADLINE_BEFORE = _("The deadline cannot come before the day it was proposed (%(date)s).")
DEADLINE_PAST = _("Choose a deadline from today on, so that the group has time to answer.")
ALREADY_DECIDED = _("The outcome was already recorded (“%(status)s”). It cannot be changed.")
ALREADY_REPLACED = _("This decision was already replaced by a later one.")
ONLY_DECIDED = _("Only a decision whose outcome is recorded can be replaced.")
REVIEW_BEFORE = _("The day to look at it again must come after the day it was decided.")
OPTIONS_TOO_FEW = _("Give two options or more, one per line, or leave this empty.")
CHOOSE_OPTION = _("Please choose one of the options, or say it was not adopted.")


def _today() -> datetime.date:
    return timezone.localdate()


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


@dataclass(frozen=True)
class Proposal:
    """What a proposal says (from the new-decision and draft forms)."""

    topic: str
    proposal: str
    reasons: str
    deadline: datetime.date
    options: Sequence[str] = ()
    asked: Sequence[Group] = ()  # groups asked besides the proposing group
    about: Sequence[Record] = ()
    inform_whom: str = ""
    trust_built: str = ""
    gaining_power: str = ""
    criteria_reasoning: str = ""


def _check_proposal(proposal: Proposal, proposed_on: datetime.date) -> None:
    if proposal.deadline < proposed_on:
        raise Refused(DEADLINE_BEFORE % {"date": _date(proposed_on)})
    if proposed_on == _today() and proposal.deadline < _today():
        raise Refused(DEADLINE_PAST)
    if len(proposal.options) == 1:
        raise Refused(OPTIONS_TOO_FEW)


# What a proposal sets: saved with update_fields, whatever else changes meanwhile.
PROPOSAL_FIELDS = [
    "topic",
    "proposal",
    "reasons",
    "deadline",
    "inform_whom",
    "trust_built",
    "gaining_power",
    "criteria_reasoning",
]


def _apply(decision: Decision, proposal: Proposal) -> None:
    decision.topic = proposal.topic
    decision.proposal, decision.reasons = proposal.proposal, proposal.reasons
    decision.deadline = proposal.deadline
    inform = proposal.topic == Decision.Topic.INFORM
    decision.inform_whom = proposal.inform_whom if inform else ""
    decision.trust_built = proposal.trust_built if inform else ""
    decision.gaining_power = proposal.gaining_power if inform else ""
    decision.criteria_reasoning = proposal.criteria_reasoning if inform else ""


def _set_options(decision: Decision, options: Sequence[str]) -> None:
    decision.options.all().delete()
    for position, text in enumerate(options, start=1):
        option = Option(decision=decision, position=position)
        option.text = text
        option.save()


def propose(
    *,
    author: User,
    group: Group,
    proposal: Proposal,
    proposed_on: datetime.date | None = None,
    replaces: Decision | None = None,
    ladder: Ladder | None = None,
) -> Decision:
    """A new decision, open for answers from the members of ``group`` and of
    the groups ``proposal.asked`` names (all of the same process)."""
    day = day_it_happened(proposed_on, since_the_start(group.process))
    _check_proposal(proposal, day)
    asked = [g for g in proposal.asked if g.process_id == group.process_id]
    with transaction.atomic():
        if replaces is not None:
            writes.lock(replaces)  # as it is now, not as the page showed it
            if not replaces.is_decided or replaces.replaced_by_id:
                raise Refused(ALREADY_REPLACED if replaces.replaced_by_id else ONLY_DECIDED)
        decision = create_record(
            Decision,
            author=author,
            group=group,
            audience=asked,
            texts={},
            occurred_on=day,
            status=Decision.Status.OPEN,
            opened_at=timezone.now(),
            replaces=replaces,
            from_ladder=ladder,
            ladder_version=ladder.version if ladder is not None else None,
        )
        _apply(decision, proposal)
        decision.save(update_fields=PROPOSAL_FIELDS)
        _set_options(decision, proposal.options)
        decision.about.set(proposal.about)
        record_event(decision, Code.OPENED, by=author, value=decision.topic, occurred_on=day)
        audit_record("decision.proposed", by=author, record=decision)
    return decision


def open_draft(
    decision: Decision, *, by: User, proposal: Proposal, group: Group | None = None
) -> Decision:
    """A prepared decision, edited, goes to the groups it asks: from now on
    they answer."""
    _check_proposal(proposal, _today())
    with transaction.atomic():
        writes.transition(decision, Decision.Status.OPEN, allowed=STATUSES)
        _apply(decision, proposal)
        if decision.author_id is None:
            decision.author = by  # who wrote the proposal from the prepared step
        decision.occurred_on = _today()
        decision.opened_at = timezone.now()
        decision.version += 1
        decision.save(
            update_fields=[
                *PROPOSAL_FIELDS,
                "status",
                "author",
                "occurred_on",
                "opened_at",
                "version",
            ]
        )
        keeper = group or decision.author_group
        asked = [g for g in proposal.asked if g.process_id == decision.process_id]
        set_audience(decision, [decision.author_group, keeper, *asked])
        _set_options(decision, proposal.options)
        decision.about.set(proposal.about)
        record_event(decision, Code.OPENED, by=by, value=decision.topic)
        audit_record("decision.opened", by=by, record=decision)
    return decision


def withdraw(decision: Decision, *, by: User) -> None:
    with transaction.atomic():
        writes.transition(decision, Decision.Status.WITHDRAWN, allowed=STATUSES)
        decision.save(update_fields=["status"])
        record_event(decision, Code.WITHDRAWN, by=by)
        audit_record("decision.withdrawn", by=by, record=decision)


# The consent round ----------------------------------------------------------------


def round_closed(decision: Decision, today: datetime.date | None = None) -> bool:
    """The deadline has passed: answers no longer change."""
    return decision.deadline is not None and (today or _today()) > decision.deadline


def answer(
    decision: Decision,
    *,
    member: User,
    group: Group,
    choice: str,
    reason: str,
    preferred: Option | None = None,
) -> Answer:
    """``member``'s answer (in ``group``, an asked group): given or changed
    while the round is open and its deadline has not passed."""
    if choice in Answer.NEEDS_REASON and not reason.strip():
        raise Refused(REASON_NEEDED)
    with transaction.atomic():
        writes.lock(decision)
        if decision.status != Decision.Status.OPEN:
            raise Refused(NOT_OPEN % {"status": decision.get_status_display()})
        if round_closed(decision):
            raise Refused(ROUND_CLOSED % {"date": _date(decision.deadline)})  # type: ignore[arg-type]  # a closed round has a deadline
        if not decision.audience_groups.filter(pk=group.pk).exists():
            raise Refused(NOT_ASKED)
        given = Answer.objects.filter(decision=decision, member=member).first()
        if given is None:
            given = Answer(decision=decision, member=member, group=group)
        else:
            given.changes += 1
        given.answer = choice
        given.reason = reason
        given.preferred = preferred if preferred and preferred.decision_id == decision.pk else None
        given.answered_at = timezone.now()
        given.save()  # a new row, or one locked with its decision
        audit_record(
            "decision.answered" if given.changes == 0 else "decision.answer_changed",
            by=member,
            record=decision,
            target=given,
        )
    return given


# The outcome ------------------------------------------------------------------------


def record_outcome(
    decision: Decision,
    *,
    by: User,
    result: str,
    outcome: str,
    outcome_reasons: str,
    participants: Iterable[User],
    decided_on: datetime.date | None = None,
    review_on: datetime.date | None = None,
    chosen_option: Option | None = None,
) -> Decision:
    """The outcome, recorded once: adopted (with the option chosen, if the
    decision had options) or not. A ladder agreed this way is agreed from
    that day; a decision replaced this way shows who replaced it."""
    if result not in Decision.Result.values:
        raise Refused(CHOOSE_OPTION)
    if chosen_option is not None and chosen_option.decision_id != decision.pk:
        raise Refused(CHOOSE_OPTION)
    day = day_it_happened(
        decided_on,
        since_the_start(decision.process),
        (decision.occurred_on, _("It was proposed on %(date)s. Choose that day or a later one.")),
    )
    if review_on is not None and review_on <= day:
        raise Refused(REVIEW_BEFORE)
    with transaction.atomic():
        try:
            writes.transition(decision, Decision.Status.DECIDED, allowed=STATUSES)
        except Refused:
            if decision.status == Decision.Status.DECIDED:
                raise Refused(ALREADY_DECIDED % {"status": decision.get_result_display()}) from None
            raise
        if result == Decision.Result.ADOPTED and decision.options.exists() and not chosen_option:
            raise Refused(CHOOSE_OPTION)
        decision.result = result
        decision.chosen_option = chosen_option if result == Decision.Result.ADOPTED else None
        decision.outcome, decision.outcome_reasons = outcome, outcome_reasons
        decision.decided_on, decision.decided_at = day, timezone.now()
        decision.review_on = review_on
        decision.version += 1
        decision.save(
            update_fields=[
                "status",
                "result",
                "chosen_option",
                "outcome",
                "outcome_reasons",
                "decided_on",
                "decided_at",
                "review_on",
                "version",
            ]
        )
        decision.participants.set(participants)
        record_event(decision, Code.DECIDED, by=by, value=result, occurred_on=day)
        audit_record("decision.decided", by=by, record=decision)
        if result == Decision.Result.ADOPTED:
            _replace(decision, by=by, day=day)
            _agree_ladder(decision, by=by, day=day)
    return decision


def _replace(decision: Decision, *, by: User, day: datetime.date) -> None:
    old = decision.replaces
    if old is None:
        return
    writes.still(old, lambda o: o.replaced_by_id is None, ALREADY_REPLACED)
    old.replaced_by = decision
    old.save(update_fields=["replaced_by"])
    record_event(old, Code.REPLACED, by=by, occurred_on=day)
    audit_record("decision.replaced", by=by, record=old)


def _agree_ladder(decision: Decision, *, by: User, day: datetime.date) -> None:
    ladder = decision.from_ladder
    if decision.topic != Decision.Topic.LADDER or ladder is None:
        return
    writes.lock(ladder)
    if ladder.version != decision.ladder_version:
        return  # the steps changed during the round: what was agreed is in the decision
    ladder.agreed_version, ladder.agreed_on, ladder.agreed_by = ladder.version, day, decision
    ladder.save(update_fields=["agreed_version", "agreed_on", "agreed_by"])
    record_event(ladder, Code.LADDER_AGREED, by=by, occurred_on=day)
    audit_record("ladder.agreed", by=by, record=ladder)


# The consequence ladder ---------------------------------------------------------------


def write_ladder(
    group: Group,
    *,
    by: User,
    steps: Mapping[str, Sequence[str]],
    expected_version: int | None = None,
    ladder: Ladder | None = None,
) -> Ladder:
    """The steps ``group`` proposes for each kind of non-cooperation. A new
    ladder, or a change to one (then it must be agreed again). Raises
    Refused when someone saved the ladder since it was opened (S38)."""
    with transaction.atomic():
        if ladder is None:
            ladder = create_record(Ladder, author=by, group=group, texts={}, keeper=group)
            audit_record("ladder.written", by=by, record=ladder)
        else:
            writes.lock_version(ladder, expected_version or 0)
            ladder.version += 1
            ladder.updated_at = timezone.now()
            ladder.save(update_fields=["version", "updated_at"])
            audit_record("ladder.changed", by=by, record=ladder)
        _set_steps(ladder, steps)
    return ladder


def _set_steps(ladder: Ladder, steps: Mapping[str, Sequence[str]]) -> None:
    """Keep each step's row where its place stays, so that a decision
    pointing at step 2 still does."""
    current = {(s.kind, s.position): s for s in ladder.steps.all()}
    wanted = {
        (kind, position): text
        for kind, texts in steps.items()
        for position, text in enumerate((t for t in texts if t.strip()), start=1)
    }
    for place, step in current.items():
        if place not in wanted:
            step.delete()
    for (kind, position), text in wanted.items():
        step = current.get((kind, position)) or LadderStep(
            ladder=ladder, kind=kind, position=position
        )
        if step.pk is None or step.text != text:
            step.text = text
            step.save()  # a new row, or one of the ladder locked by the caller


def steps_by_kind(ladder: Ladder) -> dict[str, list[LadderStep]]:
    found: dict[str, list[LadderStep]] = {kind: [] for kind in NonCooperation.values}
    for step in ladder.steps.all():
        found.setdefault(step.kind, []).append(step)
    return found


TAKEN = (Decision.Status.DRAFT, Decision.Status.OPEN)


def next_position(ladder: Ladder, kind: str) -> int:
    """The place of the next step of ``kind``: after every step already
    adopted, prepared or asked (a step the group did not adopt may come again)."""
    positions = [
        position
        for position, status, result in ladder.ladder_decisions.filter(
            ladder_kind=kind
        ).values_list("ladder_position", "status", "result")
        if position is not None
        and (status in TAKEN or (status == Decision.Status.DECIDED and result == "adopted"))
    ]
    return max(positions, default=0) + 1


@dataclass(frozen=True)
class Rung:
    """A step of a ladder and where the group stands with it."""

    step: LadderStep
    state: str  # done, declined, open, draft, next, later
    decision: Decision | None


def position(
    ladder: Ladder, readable: Collection[uuid.UUID] | QuerySet[Any] | None = None
) -> dict[str, list[Rung]]:
    """For each kind with steps: each step, what was done with it, and which
    comes next — from the decisions in ``readable`` only, when given: a page
    shows its reader no trace of a decision it may not read (S45)."""
    latest: dict[tuple[str, int], Decision] = {}
    considered = ladder.ladder_decisions.exclude(status=Decision.Status.WITHDRAWN)
    if readable is not None:
        considered = considered.filter(pk__in=readable)
    for decision in considered.order_by("created_at"):
        if decision.ladder_position is not None:
            latest[(decision.ladder_kind, decision.ladder_position)] = decision
    found: dict[str, list[Rung]] = {}
    for kind, steps in steps_by_kind(ladder).items():
        if not steps:
            continue
        upcoming = next_position(ladder, kind)
        rungs = []
        for step in steps:
            taken = latest.get((kind, step.position))
            if taken is None:
                state = "next" if step.position == upcoming else "later"
            elif taken.status == Decision.Status.DECIDED:
                state = "done" if taken.result == "adopted" else "declined"
                if state == "declined" and step.position == upcoming:
                    state = "next"
            else:
                state = str(taken.status)
            rungs.append(Rung(step, state, taken))
        found[kind] = rungs
    return found


def prepare_ladder_agreement(ladder: Ladder, *, by: User, steps_text: str) -> Decision:
    """A prepared decision asking the ladder's group to agree its steps as
    they stand (``steps_text``: the steps, written out, kept with the decision)."""
    with transaction.atomic():
        decision = create_record(
            Decision,
            author=by,
            group=ladder.keeper,
            texts={"proposal": steps_text, "reasons": ""},
            status=Decision.Status.DRAFT,
            topic=Decision.Topic.LADDER,
            from_ladder=ladder,
            ladder_version=ladder.version,
        )
        decision.about.set([ladder])
        audit_record("decision.prepared", by=by, record=decision)
    return decision


def _already(trigger: str) -> bool:
    """Whether ``trigger`` opened a draft before (saves making a key for nothing;
    the unique trigger decides when two ticks race)."""
    return Decision.objects.filter(trigger=trigger).exists()


def prepare_next_step(ladder: Ladder, *, kind: str, by: User) -> Decision:
    """A member of the ladder's group prepares its next step of ``kind`` by
    hand: for what the watchdog cannot see (he refuses to meet or to work on
    himself, joined a group without telling them), or before it does. While
    a step of that kind is prepared or asked, that one is returned: a double
    click prepares one draft, and steps are taken one after the other."""
    with transaction.atomic():
        writes.lock(ladder)
        if not ladder.is_agreed:
            raise Refused(LADDER_NOT_AGREED)
        # A step of this kind still prepared or asked: that one first (and a
        # second click finds the draft the first one made).
        waiting = ladder.ladder_decisions.filter(
            ladder_kind=kind, status__in=(Decision.Status.DRAFT, Decision.Status.OPEN)
        ).first()
        if waiting is not None:
            return waiting
        place = next_position(ladder, kind)
        if not ladder.steps.filter(kind=kind, position=place).exists():
            raise Refused(NO_NEXT_STEP)
        trigger = f"by-hand|{ladder.pk}|{kind}|{place}"
        earlier = Decision.objects.filter(trigger=trigger).first()
        if earlier is not None:
            return earlier
    made = prepare_from_ladder(
        ladder, kind=kind, about=None, trigger=trigger, today=_today(), by=by
    )
    return made or Decision.objects.get(trigger=trigger)


LADDER_NOT_AGREED = _(
    "These steps are not agreed (or changed since): ask your group to agree them first."
)
NO_NEXT_STEP = _("Every step your group agreed for this is taken; nothing is left to prepare.")


def prepare_from_ladder(
    ladder: Ladder,
    *,
    kind: str,
    about: Record | None,
    trigger: str,
    today: datetime.date,
    by: User | None = None,
) -> Decision | None:
    """What the watchdog does when it sees a trigger for ``ladder``'s group:
    a draft decision pointing at the next agreed step of ``kind``, addressed
    to that group only. None when this trigger already opened one (on
    another server, or on an earlier tick). Nobody is told anything.

    Runs without anybody's key: the step's text is read by the member who
    opens the draft. Call inside no transaction of the caller's own."""
    return prepare_draft(
        ladder.keeper, kind=kind, about=about, trigger=trigger, today=today, ladder=ladder, by=by
    )


def prepare_draft(
    group: Group,
    *,
    kind: str,
    about: Record | None,
    trigger: str,
    today: datetime.date,
    ladder: Ladder | None = None,
    by: User | None = None,
) -> Decision | None:
    """A draft decision on how to respond to ``kind``, for ``group`` only:
    with the next step of ``ladder``, or (without one) with nothing written
    yet. None when ``trigger`` already opened one."""
    if _already(trigger):
        return None
    place, step = None, None
    if ladder is not None:
        place = next_position(ladder, kind)
        step = ladder.steps.filter(kind=kind, position=place).first()
    try:
        with transaction.atomic():
            decision = Decision(
                kind="decision",
                process_id=group.process_id,
                author=None,
                author_group=group,
                occurred_on=today,
                status=Decision.Status.DRAFT,
                topic=Decision.Topic.RESPOND,
                from_ladder=ladder,
                ladder_version=ladder.version if ladder is not None else None,
                ladder_kind=kind,
                ladder_position=place if step is not None else None,
                ladder_step=step,
                trigger=trigger,
            )
            decision.data_key = keyring().new_data_key(group.process_id)
            decision.save()  # a new row
            set_audience(decision, [group])
            if about is not None:
                decision.about.set([about])
            audit.log(
                "decision.prepared",
                user=by,
                target=decision,
                process_id=decision.process_id,
                group_id=group.pk,
            )
            record_event(decision, Code.PREPARED, by=by, value=kind, occurred_on=today)
    except IntegrityError:
        return None  # the same trigger, at the same moment, elsewhere
    return decision
