"""The letter, demands, steps, agreements and the rota: every change atomic,
audited, and on the chronology where it matters.

Callers have passed the access core (the person may read the record, and
edit it where the view requires). The rules that hold whoever calls are
enforced here — above all: a demand is the survivor's side's. Its wording
changes, and it ends (met, withdrawn), only with their approval.

Every status change is a transition checked on the locked row
(:func:`holdspace.processes.writes.transition`, S52): of two people changing
the same thing at once, one wins and the other is told what it is now.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.commitments import deadlines
from holdspace.commitments.access import (
    speaks_for_survivor,
    survivor_side,
    survivor_side_members,
)
from holdspace.commitments.events import Code
from holdspace.commitments.models import (
    Agreement,
    Breach,
    Demand,
    DemandStatusChange,
    DemandWording,
    Evidence,
    Letter,
    LetterCopy,
    RotaException,
    RotaPerson,
    RotaSlot,
    RotaVenue,
    Step,
    WordingProposal,
)
from holdspace.processes import access, writes
from holdspace.processes.models import Event, Group, Process, Record
from holdspace.processes.services import (
    Floor,
    Refused,
    audit_record,
    create_record,
    day_it_happened,
    record_event,
    since_the_start,
)

T = TypeVar("T", RotaPerson, RotaVenue)


def _today() -> datetime.date:
    return timezone.localdate()


# When it happened (DESIGN §6) ---------------------------------------------------
# Every change is dated the day it happened, which may be long before it is
# written down here; never in the future, never before the process started,
# and never before what it changes (the demand, the step, the change before
# it), so that each history reads in the order things happened.

DEMAND_MADE = _("The demand was made on %(date)s. Choose that day or a later one.")
AFTER_THE_LAST_STATUS = _(
    "Its status last changed on %(date)s. Choose that day or a later one, so that its "
    "history keeps the order in which things happened."
)
AFTER_THE_LAST_WORDING = _(
    "Its current wording was agreed on %(date)s. Choose that day or a later one."
)
PROPOSED_ON = _("It was proposed on %(date)s. Choose that day or a later one.")
STEP_AGREED = _("The step was agreed on %(date)s. Choose that day or a later one.")
DUE_BEFORE_AGREED = _(
    "The due date cannot come before the day the step was agreed (%(date)s). If it was "
    "due earlier, change the day it was agreed."
)
AGREEMENT_STARTED = _(
    "The agreement started on %(date)s. A breach is something that happened after that."
)
REPORTED_BEFORE = _("It cannot have been reported before it happened (%(date)s).")


def _last_event(record: Record, code: str, *, but: str = "") -> datetime.date | None:
    """The day of the latest ``code`` event about ``record`` (without the value
    ``but``: what the calendar decided, such as overdue, is no one's change)."""
    events = Event.objects.filter(about=record, code=code)
    if but:
        events = events.exclude(value=but)
    day: datetime.date | None = events.aggregate(day=Max("occurred_on"))["day"]
    return day


def demand_floors(demand: Demand) -> list[Floor]:
    """What a change of ``demand``'s status cannot come before."""
    last = demand.status_changes.aggregate(day=Max("changed_on"))["day"]
    return [
        since_the_start(demand.process),
        (demand.occurred_on, DEMAND_MADE),
        (last, AFTER_THE_LAST_STATUS),
    ]


def wording_floors(demand: Demand) -> list[Floor]:
    """What a new wording of ``demand`` cannot be agreed before."""
    last = demand.wordings.aggregate(day=Max("agreed_on"))["day"]
    return [
        since_the_start(demand.process),
        (demand.occurred_on, DEMAND_MADE),
        (last, AFTER_THE_LAST_WORDING),
    ]


def since_the_demand(demand: Demand) -> list[Floor]:
    """What a proposal about ``demand``, or a step towards it, cannot come before."""
    return [since_the_start(demand.process), (demand.occurred_on, DEMAND_MADE)]


def decision_floors(proposal: WordingProposal, *, approve: bool = True) -> list[Floor]:
    """What a decision on ``proposal`` cannot come before: the proposal, and
    what an approval changes (the wording, or the status)."""
    floors = [(proposal.proposed_on, PROPOSED_ON)]
    if not approve:
        return [since_the_start(proposal.demand.process), *floors]
    if proposal.kind == WordingProposal.Kind.REWORD:
        return [*wording_floors(proposal.demand), *floors]
    return [*demand_floors(proposal.demand), *floors]


def step_floors(step: Step) -> list[Floor]:
    """What a change of ``step``'s status cannot come before."""
    return [
        since_the_start(step.process),
        (step.occurred_on, STEP_AGREED),
        (_last_event(step, Code.STEP_STATUS, but=Step.OVERDUE), AFTER_THE_LAST_STATUS),
    ]


def agreement_floors(agreement: Agreement) -> list[Floor]:
    """What a change of ``agreement``'s status (or its renewal) cannot come before."""
    last = _last_event(agreement, Code.AGREEMENT_STATUS, but=Agreement.Status.EXPIRED)
    return [since_the_start(agreement.process), (last, AFTER_THE_LAST_STATUS)]


def breach_floors(agreement: Agreement) -> list[Floor]:
    return [since_the_start(agreement.process), (agreement.starts_on, AGREEMENT_STARTED)]


HISTORY_BEGINS = _(
    "Its history goes back to %(date)s. Choose that day or an earlier one, so that its "
    "history keeps the order in which things happened."
)


def _earliest(*days: datetime.date | None) -> datetime.date | None:
    found = [day for day in days if day is not None]
    return min(found) if found else None


def demand_history_begins(demand: Demand) -> datetime.date | None:
    """The first day something happened to ``demand`` after it was made (a
    status, a wording, a proposal, a step): the day it was made cannot be
    moved past it."""
    first = demand.status_changes.order_by("created_at").values("pk")[:1]
    later = demand.status_changes.exclude(pk__in=first)
    steps = Step.objects.filter(towards=demand)
    return _earliest(
        later.aggregate(day=Min("changed_on"))["day"],
        demand.wordings.filter(number__gt=1).aggregate(day=Min("agreed_on"))["day"],
        demand.proposals.aggregate(day=Min("proposed_on"))["day"],
        steps.aggregate(day=Min("occurred_on"))["day"],
    )


def step_history_begins(step: Step) -> datetime.date | None:
    """The first day its status changed: the day it was agreed cannot be moved past it."""
    events = Event.objects.filter(about=step, code=Code.STEP_STATUS).exclude(value=Step.OVERDUE)
    day: datetime.date | None = events.aggregate(day=Min("occurred_on"))["day"]
    return day


def check_due(due_on: datetime.date, agreed_on: datetime.date) -> None:
    """A step is due on or after the day it was agreed — also in the past:
    a step agreed at a past meeting keeps its real due date, and is overdue."""
    if due_on < agreed_on:
        raise Refused(DUE_BEFORE_AGREED % {"date": formats.date_format(agreed_on, "DATE_FORMAT")})


# The survivor's side ----------------------------------------------------------


NOT_A_PARTICIPANT = _(
    "Only members of the survivor's side can be named as taking part. Nothing was changed."
)


def _require_survivor_side(user: User, process_id: Any) -> None:
    if not speaks_for_survivor(user, process_id):
        raise Refused(
            _(
                "Only the survivor's side (the group that carries the letter and the demands) "
                "can do this."
            )
        )


def _require_survivor_group(user: User, group: Group) -> None:
    side = survivor_side(group.process_id)
    if side is None or side.pk != group.pk:
        raise Refused(_("The letter and the demands are written in the survivor's side's group."))
    _require_survivor_side(user, group.process_id)


# The survivor herself ------------------------------------------------------
# With an account linked to her party, the survivor answers herself what is
# addressed to her, through these same services. If she chose to give those
# approvals herself (and has not asked for a pause), they wait for her: her
# support group cannot answer them for her.

NOT_FOR_HER = _("This is not addressed to you, so it is not yours to answer. Nothing was changed.")
WAITS_FOR_HER = _("The %(harmed)s chose to give this approval herself. It waits for her.")


def is_her_account(user: User, process_id: Any) -> bool:
    """Whether ``user`` is the account linked to the survivor of the process."""
    party = access.harmed_party_of(process_id)
    return party is not None and user.pk is not None and party.account_id == user.pk


def waits_for_her(record: Record) -> bool:
    """Whether an approval about ``record`` waits for the survivor's own
    answer: it is addressed to her, and she gives such approvals herself."""
    if not record.to_harmed_party:
        return False
    party = access.harmed_party_of(record.process_id)
    return party is not None and party.answers_herself()


def check_who_answers(by: User, record: Record, *, herself: bool) -> None:
    """Inside the deciding transaction, on her party's locked row: she answers
    only what is addressed to her; her support group answers everything else,
    and what is addressed to her unless it waits for her. Raises Refused."""
    party = access.harmed_party_of(record.process_id, lock=True)
    addressed = Record.objects.filter(pk=record.pk, to_harmed_party=True).exists()
    if herself:
        if party is None or party.account_id != by.pk or not addressed:
            raise Refused(NOT_FOR_HER)
    elif addressed and party is not None and party.answers_herself():
        raise Refused(WAITS_FOR_HER % {"harmed": record.process.terms.harmed})


# The letter ----------------------------------------------------------------


def write_letter(
    *, author: User, group: Group, occurred_on: datetime.date, title: str, body: str
) -> Letter:
    _require_survivor_group(author, group)
    with transaction.atomic():
        letter = create_record(
            Letter,
            author=author,
            group=group,
            texts={"title": title, "body": body},
            occurred_on=occurred_on,
        )
        audit_record("letter.created", by=author, target=letter, record=letter)
    return letter


def hand_out_copy(
    letter: Letter, *, by: User, recipient: str, handed_on: datetime.date, form: str
) -> LetterCopy:
    """Register a numbered copy: who got which version, when, from whom."""
    if handed_on > _today():
        raise Refused(_("A copy can only be registered once it was handed over."))
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        number = (locked.copies.aggregate(top=Max("number"))["top"] or 0) + 1
        copy = LetterCopy(
            letter=locked,
            number=number,
            letter_version=locked.version,
            handed_on=handed_on,
            handed_by=by,
            form=form,
        )
        copy.recipient = recipient
        copy.save()
        record_event(letter, Code.LETTER_COPY, by=by, value=str(number), occurred_on=handed_on)
        audit_record("letter.copy_registered", by=by, target=copy, record=letter)
    return copy


# Demands -------------------------------------------------------------------


def create_demand(
    *,
    author: User,
    group: Group,
    occurred_on: datetime.date,
    wording: str,
    reason: str,
    audience: Iterable[Group] = (),
) -> Demand:
    _require_survivor_group(author, group)
    with transaction.atomic():
        demand = create_record(
            Demand,
            author=author,
            group=group,
            audience=audience,
            texts={"wording": wording, "reason": reason},
            occurred_on=occurred_on,
        )
        # Its first wording and status date from the day it was made.
        _add_wording(demand, wording, agreed_by=author, proposed_by=author, agreed_on=occurred_on)
        DemandStatusChange.objects.create(
            demand=demand,
            status=Demand.Status.OPEN,
            changed_on=occurred_on,
            changed_by=author,
            note="",
        )
        audit_record("demand.created", by=author, target=demand, record=demand)
    return demand


def _add_wording(
    demand: Demand,
    wording: str,
    *,
    agreed_by: User,
    proposed_by: User | None,
    agreed_on: datetime.date,
    by_survivor: bool = False,
) -> None:
    number = (demand.wordings.aggregate(top=Max("number"))["top"] or 0) + 1
    entry = DemandWording(
        demand=demand,
        number=number,
        agreed_by=agreed_by,
        proposed_by=proposed_by,
        agreed_on=agreed_on,
        agreed_by_survivor=by_survivor,
    )
    entry.wording = wording
    entry.save()


def reword(
    demand: Demand,
    *,
    by: User,
    wording: str,
    expected_version: int,
    happened_on: datetime.date | None = None,
) -> None:
    """The survivor's side changes its own demand's wording directly, agreed
    on the day ``happened_on`` (default today)."""
    _require_survivor_side(by, demand.process_id)
    with transaction.atomic():
        locked = writes.lock_version(Demand.objects.get(pk=demand.pk), expected_version)
        locked.process = demand.process
        day = day_it_happened(happened_on, *wording_floors(locked))
        _apply_wording(locked, wording, agreed_by=by, proposed_by=by, agreed_on=day)
        audit_record("demand.reworded", by=by, target=locked, record=locked)


def _apply_wording(
    demand: Demand,
    wording: str,
    *,
    agreed_by: User,
    proposed_by: User | None,
    agreed_on: datetime.date,
    by_survivor: bool = False,
) -> None:
    if wording.strip() == demand.wording.strip():
        raise Refused(_("This is the wording the demand already has."))
    demand.wording = wording
    demand.version += 1
    demand.updated_at = timezone.now()
    demand.save(update_fields=["wording", "version", "updated_at"])
    _add_wording(
        demand,
        wording,
        agreed_by=agreed_by,
        proposed_by=proposed_by,
        agreed_on=agreed_on,
        by_survivor=by_survivor,
    )
    record_event(demand, Code.DEMAND_WORDING, by=agreed_by, occurred_on=agreed_on)


# Where a demand's status may go. His response to it (in progress, refused,
# open again) is recorded by any group acting on it: that only describes what
# he does. Ending it — met or withdrawn — and taking an ended demand up again
# belong to the survivor's side; the others propose an end (DESIGN C3, §6).
S = Demand.Status
ENDINGS = frozenset({S.MET, S.WITHDRAWN})
HIS_RESPONSE: writes.Transitions = {
    S.OPEN: {S.IN_PROGRESS, S.REFUSED},
    S.IN_PROGRESS: {S.OPEN, S.REFUSED},
    S.REFUSED: {S.OPEN, S.IN_PROGRESS},
}
SURVIVOR_SIDE: writes.Transitions = {
    S.OPEN: {S.IN_PROGRESS, S.REFUSED, S.MET, S.WITHDRAWN},
    S.IN_PROGRESS: {S.OPEN, S.REFUSED, S.MET, S.WITHDRAWN},
    S.REFUSED: {S.OPEN, S.IN_PROGRESS, S.MET, S.WITHDRAWN},
    S.MET: {S.OPEN, S.IN_PROGRESS},
    S.WITHDRAWN: {S.OPEN},
}
# What a proposal of each kind ends the demand with.
ENDS_WITH: dict[str, str] = {
    WordingProposal.Kind.MET: S.MET,
    WordingProposal.Kind.WITHDRAW: S.WITHDRAWN,
}
ENDING_IS_PROPOSED = _(
    "Only the survivor's side can mark a demand met or withdraw it. Propose it to them "
    "instead: nothing changes until they agree."
)


def status_choices(demand: Demand, user: User) -> list[str]:
    """The statuses ``user`` may give ``demand`` now."""
    survivor = speaks_for_survivor(user, demand.process_id)
    allowed = (SURVIVOR_SIDE if survivor else HIS_RESPONSE).get(demand.status, ())
    return [value for value in Demand.Status.values if value in allowed]


def propose(
    demand: Demand,
    *,
    by: User,
    group: Group,
    kind: str,
    wording: str,
    reason: str,
    proposed_on: datetime.date | None = None,
) -> WordingProposal:
    """A proposal to reword a demand, or to end it (met, withdrawn), made on
    ``proposed_on`` (default today): it changes nothing until the survivor's
    side approves it."""
    if kind == WordingProposal.Kind.REWORD and not wording.strip():
        raise Refused(_("Please write the wording you propose."))
    day = day_it_happened(proposed_on, *since_the_demand(demand))
    with transaction.atomic():
        writes.lock(demand)
        if demand.status in ENDINGS:
            raise Refused(
                _("This demand is “%(status)s”. Only the survivor's side can take it up again.")
                % {"status": demand.get_status_display()}
            )
        proposal = WordingProposal(
            demand=demand, kind=kind, proposed_by=by, proposed_in=group, proposed_on=day
        )
        proposal.wording = wording if kind == WordingProposal.Kind.REWORD else ""
        proposal.reason = reason
        proposal.save()
        record_event(demand, Code.DEMAND_PROPOSAL, by=by, value=kind, occurred_on=day)
        audit_record("demand.change_proposed", by=by, target=proposal, record=demand)
    return proposal


def decide(
    proposal: WordingProposal,
    *,
    by: User,
    approve: bool,
    reason: str = "",
    decided_on: datetime.date | None = None,
    participants: Iterable[User] = (),
) -> None:
    """The survivor's side approves or declines a proposal, on the day
    ``decided_on`` (default today); a decline says why, for the group that
    proposed it. An approved end is a status change like any other: refused
    if the demand ended meanwhile, or changed after that day.
    ``participants``: the members of the survivor's side who took part
    (refused if one of them is not, or no longer, such a member).

    The survivor herself (the account linked to her party) may decide a
    proposal on a demand addressed to her, alone; her support group may not
    while it waits for her (:func:`check_who_answers`)."""
    demand = proposal.demand
    herself = is_her_account(by, demand.process_id)
    if not herself:
        _require_survivor_side(by, demand.process_id)
    if not approve and not reason.strip():
        raise Refused(
            _("Please say why you decline. The group that proposed it will read your reason.")
        )
    present = {by.pk, *(user.pk for user in participants)}  # who decides takes part
    with transaction.atomic():
        writes.still(
            proposal,
            lambda p: p.status == WordingProposal.Status.PENDING,
            _("This proposal was already decided. Nothing was changed."),
        )
        check_who_answers(by, demand, herself=herself)
        if herself:
            # She decides alone; nobody of the groups is named beside her.
            if present != {by.pk}:
                raise Refused(NOT_A_PARTICIPANT)
            members = survivor_side_members(demand.process_id).none()
        else:
            members = survivor_side_members(demand.process_id).filter(pk__in=present)
            if len(present) != members.count():
                raise Refused(NOT_A_PARTICIPANT)
        proposal.status = (
            WordingProposal.Status.APPROVED if approve else WordingProposal.Status.DECLINED
        )
        if approve and proposal.kind == WordingProposal.Kind.REWORD:
            writes.lock(demand)
            day = day_it_happened(decided_on, *decision_floors(proposal))
            _apply_wording(
                demand,
                proposal.wording,
                agreed_by=by,
                proposed_by=proposal.proposed_by,
                agreed_on=day,
                by_survivor=herself,
            )
        elif approve:
            writes.transition(demand, ENDS_WITH[proposal.kind], allowed=SURVIVOR_SIDE)
            day = day_it_happened(decided_on, *decision_floors(proposal))
            _record_status(
                demand, by=by, note=reason or proposal.reason, day=day, by_survivor=herself
            )
        else:
            day = day_it_happened(decided_on, *decision_floors(proposal, approve=False))
        proposal.decided_by, proposal.decided_at, proposal.decided_on = by, timezone.now(), day
        proposal.decided_by_survivor = herself
        proposal.decision_reason = reason
        proposal.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_by_survivor",
                "decided_at",
                "decided_on",
                "decision_reason",
            ]
        )
        proposal.participants.set(members)
        audit_record(
            "demand.change_approved" if approve else "demand.change_declined",
            by=by,
            target=proposal,
            record=demand,
        )


def change_status(
    demand: Demand,
    *,
    by: User,
    status: str,
    note: str,
    seen: str | None = None,
    happened_on: datetime.date | None = None,
) -> None:
    """His response to the demand (open, in progress, refused), recorded by
    any group acting on it; met and withdrawn by the survivor's side only.
    ``seen``: the status the person saw when choosing; ``happened_on``: the
    day it changed (default today), checked against the history as it is
    once the row is locked."""
    survivor = speaks_for_survivor(by, demand.process_id)
    if status in ENDINGS and not survivor:
        raise Refused(ENDING_IS_PROPOSED)
    with transaction.atomic():
        writes.transition(
            demand, status, allowed=SURVIVOR_SIDE if survivor else HIS_RESPONSE, seen=seen
        )
        day = day_it_happened(happened_on, *demand_floors(demand))
        _record_status(demand, by=by, note=note, day=day)
        audit_record("demand.status_changed", by=by, target=demand, record=demand)


def _record_status(
    demand: Demand, *, by: User, note: str, day: datetime.date, by_survivor: bool = False
) -> None:
    """Save the status ``writes.transition`` set, with its history entry,
    dated the day it happened."""
    demand.updated_at = timezone.now()
    demand.save(update_fields=["status", "updated_at"])
    change = DemandStatusChange(
        demand=demand,
        status=demand.status,
        changed_on=day,
        changed_by=by,
        changed_by_survivor=by_survivor,
    )
    change.note = note
    change.save()
    record_event(demand, Code.DEMAND_STATUS, by=by, value=demand.status, occurred_on=day)


# Steps and evidence ----------------------------------------------------------


def add_step(
    demand: Demand,
    *,
    author: User,
    group: Group,
    description: str,
    due_on: datetime.date,
    agreed_on: datetime.date | None = None,
) -> Step:
    """A step the person who caused harm agreed to take, on ``agreed_on``
    (default today), by ``due_on`` — which may have passed: a step agreed at
    a past meeting keeps its real due date, and is then simply overdue. Its
    readers are the demand's readers."""
    day = day_it_happened(agreed_on, *since_the_demand(demand))
    check_due(due_on, day)
    with transaction.atomic():
        step = create_record(
            Step,
            author=author,
            group=group,
            audience=demand.audience_groups.all(),
            texts={"description": description},
            towards=demand,
            due_on=due_on,
            occurred_on=day,
        )
        audit_record("step.created", by=author, target=step, record=step)
    return step


# A step is done, dropped, or open again; any of these may follow another.
STEP_CHANGES: writes.Transitions = {
    status: set(Step.Status.values) - {status} for status in Step.Status.values
}


def set_step_status(
    step: Step,
    *,
    by: User,
    status: str,
    seen: str | None = None,
    happened_on: datetime.date | None = None,
) -> None:
    """Done, dropped or open again, on the day it happened (default today)."""
    with transaction.atomic():
        writes.transition(step, status, allowed=STEP_CHANGES, seen=seen)
        day = day_it_happened(happened_on, *step_floors(step))
        step.closed_on = None if status == Step.Status.OPEN else day
        step.updated_at = timezone.now()
        step.save(update_fields=["status", "closed_on", "updated_at"])
        record_event(step, Code.STEP_STATUS, by=by, value=status, occurred_on=day)
        audit_record("step.status_changed", by=by, target=step, record=step)


def add_evidence(
    record: Record, *, by: User, happened_on: datetime.date, source: str, text: str
) -> Evidence:
    if happened_on > _today():
        raise Refused(_("Evidence is about something that has happened."))
    with transaction.atomic():
        evidence = Evidence(record=record, happened_on=happened_on, source=source, added_by=by)
        evidence.text = text
        evidence.save()
        audit_record("evidence.added", by=by, target=evidence, record=record)
    return evidence


def assess_evidence(
    evidence: Evidence, *, by: User, assessment: str, note: str, expected_version: int
) -> None:
    with transaction.atomic():
        locked = writes.lock_version(Evidence.objects.get(pk=evidence.pk), expected_version)
        locked.assessment, locked.assessment_note = assessment, note
        locked.version += 1
        locked.save(update_fields=["assessment", "assessment_note", "version"])
        audit_record("evidence.assessed", by=by, target=locked, record=evidence.record)


# Agreements ----------------------------------------------------------------


def check_dates(
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    review_on: datetime.date | None,
) -> dict[str, str]:
    """What is wrong with an agreement's dates, by field (empty when fine)."""
    problems: dict[str, str] = {}
    if ends_on is None and kind not in Agreement.OPEN_ENDED:
        problems["ends_on"] = str(
            _(
                "Short agreements need an end date: they are easier to accept and are "
                "looked at again when they end. Only no-contact agreements may stay open."
            )
        )
    if ends_on is not None and ends_on <= starts_on:
        problems["ends_on"] = str(_("The end must come after the start."))
    if review_on is not None and review_on < starts_on:
        problems["review_on"] = str(_("The review cannot come before the start."))
    if review_on is not None and ends_on is not None and review_on > ends_on:
        problems["review_on"] = str(_("The review should come before the end."))
    return problems


def create_agreement(
    *,
    author: User,
    group: Group,
    agreement_kind: str,
    terms: str,
    binds: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    review_on: datetime.date | None,
    status: str,
    renews: Agreement | None = None,
    occurred_on: datetime.date | None = None,
) -> Agreement:
    """A new agreement, on the chronology from ``occurred_on`` (default: its
    start, or today if it starts later); agreed at once, that is when."""
    problems = check_dates(agreement_kind, starts_on, ends_on, review_on)
    if problems:
        raise Refused(" ".join(problems.values()))
    with transaction.atomic():
        agreement = create_record(
            Agreement,
            author=author,
            group=group,
            audience=renews.audience_groups.all() if renews else (),
            texts={"terms": terms, "binds": binds},
            agreement_kind=agreement_kind,
            starts_on=starts_on,
            ends_on=ends_on,
            review_on=review_on,
            status=status,
            renews=renews,
            occurred_on=occurred_on or min(starts_on, _today()),
        )
        if status == Agreement.Status.AGREED:
            record_event(
                agreement,
                Code.AGREEMENT_STATUS,
                by=author,
                value=status,
                occurred_on=agreement.occurred_on,
            )
        audit_record("agreement.created", by=author, target=agreement, record=agreement)
    return agreement


AGREEMENT_CHANGES: writes.Transitions = {
    Agreement.Status.PROPOSED: {Agreement.Status.AGREED, Agreement.Status.ENDED},
    Agreement.Status.AGREED: {Agreement.Status.ENDED, Agreement.Status.RENEWED},
    Agreement.Status.EXPIRED: {Agreement.Status.ENDED, Agreement.Status.RENEWED},
}
# People agree or end; a renewal renews (see renew).
BY_HAND = frozenset({Agreement.Status.AGREED, Agreement.Status.ENDED})


def set_agreement_status(
    agreement: Agreement,
    *,
    by: User,
    status: str,
    seen: str | None = None,
    happened_on: datetime.date | None = None,
) -> None:
    """Agreed or ended, on the day it happened (default today)."""
    if status not in BY_HAND:
        raise Refused(_("An agreement cannot go from this status to that one."))
    with transaction.atomic():
        writes.transition(agreement, status, allowed=AGREEMENT_CHANGES, seen=seen)
        day = day_it_happened(happened_on, *agreement_floors(agreement))
        agreement.updated_at = timezone.now()
        agreement.save(update_fields=["status", "updated_at"])
        record_event(agreement, Code.AGREEMENT_STATUS, by=by, value=status, occurred_on=day)
        audit_record("agreement.status_changed", by=by, target=agreement, record=agreement)


def renew(
    agreement: Agreement,
    *,
    by: User,
    terms: str,
    binds: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    review_on: datetime.date | None,
    happened_on: datetime.date | None = None,
) -> Agreement:
    """New terms, agreed on ``happened_on`` (default today), linked to the old
    ones, which are marked renewed — once: the old agreement's row is locked
    first, so a second renewal started at the same moment is refused rather
    than failing on the database."""
    if agreement.status == Agreement.Status.RENEWED:
        raise Refused(_("This agreement was already renewed."))
    if agreement.status in (Agreement.Status.PROPOSED, Agreement.Status.ENDED):
        raise Refused(_("Only an agreed agreement can be renewed."))
    with transaction.atomic():
        writes.transition(agreement, Agreement.Status.RENEWED, allowed=AGREEMENT_CHANGES)
        day = day_it_happened(happened_on, *agreement_floors(agreement))
        agreement.save(update_fields=["status"])
        renewal = create_agreement(
            author=by,
            group=agreement.author_group,
            agreement_kind=agreement.agreement_kind,
            terms=terms,
            binds=binds,
            starts_on=starts_on,
            ends_on=ends_on,
            review_on=review_on,
            status=Agreement.Status.AGREED,
            renews=agreement,
            occurred_on=day,
        )
        record_event(
            agreement,
            Code.AGREEMENT_STATUS,
            by=by,
            value=Agreement.Status.RENEWED,
            occurred_on=day,
        )
    return renewal


def record_breach(
    agreement: Agreement,
    *,
    by: User,
    happened_on: datetime.date,
    reported_by: str,
    what: str,
    severity: str,
    response: str,
    reported_on: datetime.date | None = None,
) -> Breach:
    """A breach on the day it happened, reported to the group on
    ``reported_on`` (default today); on the chronology on the day it happened."""
    if happened_on > _today():
        raise Refused(_("A breach is something that has happened."))
    day_it_happened(happened_on, *breach_floors(agreement))
    reported = day_it_happened(reported_on, (happened_on, REPORTED_BEFORE))
    with transaction.atomic():
        breach = Breach(
            agreement=agreement,
            happened_on=happened_on,
            reported_on=reported,
            severity=severity,
            recorded_by=by,
        )
        breach.reported_by, breach.what, breach.response = reported_by, what, response
        breach.save()
        record_event(
            agreement, Code.AGREEMENT_BREACHED, by=by, value=severity, occurred_on=happened_on
        )
        audit_record("agreement.breach_recorded", by=by, target=breach, record=agreement)
    return breach


# The rota --------------------------------------------------------------------


def add_rota_person(agreement: Agreement, *, by: User, pseudonym: str) -> RotaPerson:
    person = RotaPerson(agreement=agreement, position=agreement.rota_people.count())
    person.pseudonym = pseudonym
    return _add_to_rota(person, "rota.person_added", by=by, agreement=agreement)


def add_venue(agreement: Agreement, *, by: User, name: str) -> RotaVenue:
    venue = RotaVenue(agreement=agreement, position=agreement.venues.count())
    venue.name = name
    return _add_to_rota(venue, "rota.venue_added", by=by, agreement=agreement)


def _add_to_rota(item: T, action: str, *, by: User, agreement: Agreement) -> T:
    with transaction.atomic():
        item.save()  # a new row
        audit_record(action, by=by, target=item, record=agreement)
    return item


def set_pattern(
    venue: RotaVenue,
    *,
    by: User,
    expected_version: int,
    assignments: Mapping[int, RotaPerson | None],
) -> None:
    """Who may be at the venue on each weekday; at most one person a day (the
    form refuses two before this is reached)."""
    with transaction.atomic():
        locked = writes.lock_version(RotaVenue.objects.get(pk=venue.pk), expected_version)
        RotaSlot.objects.filter(venue=locked).delete()
        RotaSlot.objects.bulk_create(
            RotaSlot(venue=locked, weekday=day, person=person)
            for day, person in sorted(assignments.items())
            if person is not None
        )
        RotaVenue.objects.filter(pk=venue.pk).update(version=expected_version + 1)
        audit_record("rota.pattern_changed", by=by, target=locked, record=venue.agreement)


def add_exception(
    venue: RotaVenue, *, by: User, date: datetime.date, change: str, person: RotaPerson | None
) -> RotaException:
    if date < _today():
        raise Refused(_("Changes can only be made for today or later."))
    if change != RotaException.Change.NOBODY and person is None:
        raise Refused(_("Please choose who comes."))
    with transaction.atomic():
        exception = RotaException.objects.create(
            venue=venue,
            date=date,
            change=change,
            person=None if change == RotaException.Change.NOBODY else person,
        )
        audit_record("rota.exception_added", by=by, target=exception, record=venue.agreement)
    return exception


def remove_exception(exception: RotaException, *, by: User) -> None:
    with transaction.atomic():
        agreement = exception.venue.agreement
        exception.delete()
        audit_record("rota.exception_removed", by=by, target=agreement, record=agreement)


# What the calendar decides ---------------------------------------------------


def note_due_dates(today: datetime.date | None = None) -> int:
    """Put on the chronology what time has decided: agreements whose end has
    passed are expired, steps past their due date are overdue. Needs no key
    (nothing is read or written but dates and statuses) and may run any
    number of times: each is noted once. Returns how many were noted."""
    day = today or _today()
    noted = 0
    one_day = datetime.timedelta(days=1)
    with transaction.atomic():
        ended = (
            Agreement.objects.select_for_update()
            .filter(deadlines.overdue("ends_on", day), status=Agreement.Status.AGREED)
            .exclude(process__status=Process.Status.CLOSED)  # read-only (closure)
            .select_related("process", "author_group")
        )
        for agreement in ended:
            end: datetime.date = agreement.ends_on  # type: ignore[assignment]  # filtered
            Agreement.objects.filter(pk=agreement.pk, status=Agreement.Status.AGREED).update(
                status=Agreement.Status.EXPIRED
            )
            record_event(
                agreement,
                Code.AGREEMENT_STATUS,
                by=None,
                value=Agreement.Status.EXPIRED,
                occurred_on=end + one_day,
            )
            noted += 1
        already = Event.objects.filter(code=Code.STEP_STATUS, value=Step.OVERDUE).values("about_id")
        late = (
            Step.objects.filter(deadlines.overdue("due_on", day), status=Step.Status.OPEN)
            .exclude(pk__in=already)
            .exclude(process__status=Process.Status.CLOSED)
            .select_related("process", "author_group")
        )
        for step in late:
            record_event(
                step,
                Code.STEP_STATUS,
                by=None,
                value=Step.OVERDUE,
                occurred_on=step.due_on + one_day,
            )
            noted += 1
    return noted
