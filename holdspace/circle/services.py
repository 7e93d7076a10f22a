"""Recording the people around him, informing them, his duty to tell, and the
survivor's side's consent.

Callers have passed the access core. The rules that hold whoever calls:

- Only the survivor's side gives consent and approves informings.
- An informing outside the consent in force, or during an embargo, is not
  recorded as carried out before the survivor's side approved it — checked
  on the locked row, in the transaction that records it (S52).
- Nothing that happened is dated in the future or before the process began.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.circle import access, rules, words
from holdspace.circle.events import APPROVED, ASKED, DECLINED, Code
from holdspace.circle.models import Approval, Consent, Duty, Informing, Person
from holdspace.commitments.models import LetterCopy
from holdspace.commitments.services import check_who_answers, is_her_account
from holdspace.processes import writes
from holdspace.processes.models import Group, Process
from holdspace.processes.services import (
    Floor,
    Refused,
    audit_record,
    change_audience,
    create_record,
    day_it_happened,
    record_event,
    since_the_start,
)

ONLY_SURVIVOR_SIDE = _(
    "Only the survivor's side (the group that carries the letter and the demands) can do this."
)
NO_SURVIVOR_SIDE = _(
    "This process has no survivor's side yet, so nobody can approve this. Add a support "
    "group first."
)
NEEDS_APPROVAL = _(
    "This informing needs the approval of the survivor's side before it can be recorded as "
    "carried out. Nothing was changed."
)
NEEDS_APPROVAL_NEW = _(
    "This informing needs the approval of the survivor's side before it can be recorded as "
    "carried out. Save it as planned: they are asked at once. Nothing was saved."
)


def _today() -> datetime.date:
    return timezone.localdate()


def _require_survivor_side(user: User, process: Process | Any) -> None:
    if not access.speaks_for_survivor(user, process):
        raise Refused(ONLY_SURVIVOR_SIDE)


def _dated(day: datetime.date | None, process: Process) -> datetime.date:
    return day_it_happened(day, since_the_start(process))


# People ------------------------------------------------------------------------------


def add_person(
    *,
    author: User,
    group: Group,
    relation: str,
    name: str,
    relation_note: str = "",
    stance: str = Person.Stance.UNKNOWN,
    may_contact: str = Person.MayContact.ASK_FIRST,
    occurred_on: datetime.date | None = None,
    audience: Iterable[Group] = (),
) -> Person:
    """Someone around him, known to the groups since ``occurred_on``."""
    day = _dated(occurred_on, group.process)
    with transaction.atomic():
        person = create_record(
            Person,
            author=author,
            group=group,
            audience=audience,
            texts={"name": name, "relation_note": relation_note},
            occurred_on=day,
            relation=relation,
            stance=stance,
            may_contact=may_contact,
        )
        audit_record("person.added", by=author, record=person)
    return person


def change_stance(
    person: Person,
    *,
    by: User,
    stance: str,
    may_contact: str,
    expected_version: int,
    happened_on: datetime.date | None = None,
) -> None:
    """Their stance towards the process and whether they may be contacted:
    each change an event on the chronology, dated the day it happened."""
    with transaction.atomic():
        writes.lock_version(person, expected_version)
        day = _dated(happened_on, person.process)
        changed = []
        for field, code, value in (
            ("stance", Code.PERSON_STANCE, stance),
            ("may_contact", Code.PERSON_CONTACT, may_contact),
        ):
            if getattr(person, field) != value:
                setattr(person, field, value)
                changed.append((code, value))
        if not changed:
            raise Refused(_("Nothing was different from what is saved, so nothing was changed."))
        person.version = expected_version + 1
        person.save(update_fields=["stance", "may_contact", "version"])
        for code, value in changed:
            record_event(person, code, by=by, value=value, occurred_on=day)
        audit_record("person.stance_changed", by=by, record=person)


# Informing ---------------------------------------------------------------------------

OUTCOMES: writes.Transitions = {
    Informing.Status.PLANNED: {Informing.Status.CARRIED_OUT, Informing.Status.DROPPED}
}


def needs_for(informing: Informing, day: datetime.date | None = None) -> list[rules.Need]:
    """Why ``informing`` needs approval if carried out on ``day`` (default:
    its planned day, or today once that has passed)."""
    on = day or max(informing.occurred_on, _today())
    return access.informing_needs_approval(
        informing.process_id, whom=informing.whom_id, material=informing.material, on=on
    )


def _check_copy(material: str, letter_copy: LetterCopy | None) -> LetterCopy | None:
    if material == Informing.Material.LETTER_COPY and letter_copy is None:
        raise Refused(_("Please choose which numbered copy was handed over."))
    return letter_copy if material == Informing.Material.LETTER_COPY else None


def plan_informing(
    *,
    author: User,
    group: Group,
    whom: Person,
    told_by: str,
    channel: str,
    material: str,
    occurred_on: datetime.date,
    letter_copy: LetterCopy | None = None,
    material_note: str = "",
    audience: Iterable[Group] = (),
    carried_out: bool = False,
    reaction: str = "",
    followed: str = "",
) -> Informing:
    """An informing of ``whom``: planned for ``occurred_on``, or already
    carried out that day. Outside the consent or during an embargo, the
    survivor's side is asked at once (and can read it to decide); it cannot
    be saved as carried out before they approve."""
    copy = _check_copy(material, letter_copy)
    if carried_out:
        _dated(occurred_on, group.process)
    # On its day: a plan for after an embargo needs no approval now (the
    # gate is checked again on the day it is recorded as carried out).
    needs = access.informing_needs_approval(
        group.process_id,
        whom=whom,
        material=material,
        on=occurred_on if carried_out else max(occurred_on, _today()),
    )
    if needs and carried_out:
        raise Refused(NEEDS_APPROVAL_NEW)
    with transaction.atomic():
        informing = create_record(
            Informing,
            author=author,
            group=group,
            audience=audience,
            texts={
                "told_by": told_by,
                "material_note": material_note,
                "reaction": reaction if carried_out else "",
                "followed": followed if carried_out else "",
            },
            occurred_on=occurred_on,
            whom=whom,
            channel=channel,
            material=material,
            letter_copy=copy,
            status=Informing.Status.CARRIED_OUT if carried_out else Informing.Status.PLANNED,
            outcome_recorded_at=timezone.now() if carried_out else None,
        )
        audit_record("informing.recorded", by=author, record=informing)
        if needs:
            _ask(informing, by=author, group=group)
    return informing


def _ask(informing: Informing, *, by: User, group: Group) -> Approval:
    """Ask the survivor's side; they can then read the informing."""
    side = access.survivor_side(informing.process_id)
    if side is None:
        raise Refused(NO_SURVIVOR_SIDE)
    readers = list(informing.audience_groups.all())
    if side.pk not in {g.pk for g in readers}:
        change_audience(
            informing,
            by=by,
            groups=[*readers, side],
            to_harming_party=informing.to_harming_party,
            to_harmed_party=informing.to_harmed_party,
        )
    approval = Approval.objects.create(informing=informing, asked_by=by, asked_in=group)
    record_event(informing, Code.APPROVAL, by=by, value=ASKED)
    audit_record("informing.approval_asked", by=by, record=informing, target=approval)
    return approval


def ask_approval(informing: Informing, *, by: User, group: Group) -> Approval:
    """Ask (again, after a decline) for the survivor's side's approval."""
    with transaction.atomic():
        writes.still(
            informing,
            lambda i: i.status == Informing.Status.PLANNED,
            _("This informing is no longer planned. Nothing was changed."),
        )
        if access.pending_approval(informing) is not None:
            raise Refused(_("The survivor's side has already been asked. Nothing was changed."))
        if access.is_approved(informing):
            raise Refused(_("The survivor's side has already approved it. Nothing was changed."))
        return _ask(informing, by=by, group=group)


def decide_approval(
    informing: Informing,
    *,
    by: User,
    approve: bool,
    reason: str = "",
    decided_on: datetime.date | None = None,
) -> Approval:
    """The survivor's side approves or declines the informing it was asked
    about; a decline says why, for the group that asked. The survivor herself
    (the account linked to her party) may answer an informing addressed to
    her; her support group may not while it waits for her
    (:func:`holdspace.commitments.services.check_who_answers`)."""
    herself = is_her_account(by, informing.process_id)
    if not herself:
        _require_survivor_side(by, informing.process_id)
    if not approve and not reason.strip():
        raise Refused(_("Please say why you decline. The group that asked will read your reason."))
    with transaction.atomic():
        writes.lock(informing)
        check_who_answers(by, informing, herself=herself)
        approval = access.pending_approval(informing)
        if approval is None:
            raise Refused(_("Nothing waits for your approval here. Nothing was changed."))
        writes.still(
            approval,
            lambda a: a.status == Approval.Status.PENDING,
            _("This was already decided. Nothing was changed."),
        )
        floors: list[Floor] = [
            since_the_start(informing.process),
            (approval.asked_on, _("It was asked on %(date)s. Choose that day or a later one.")),
        ]
        day = day_it_happened(decided_on, *floors)
        approval.status = Approval.Status.APPROVED if approve else Approval.Status.DECLINED
        approval.decided_by, approval.decided_on, approval.decided_at = by, day, timezone.now()
        approval.decided_by_survivor = herself
        approval.decision_reason = reason
        approval.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_by_survivor",
                "decided_on",
                "decided_at",
                "decision_reason",
            ]
        )
        record_event(
            informing,
            Code.APPROVAL,
            by=by,
            value=APPROVED if approve else DECLINED,
            occurred_on=day,
        )
        audit_record(
            "informing.approved" if approve else "informing.declined",
            by=by,
            record=informing,
            target=approval,
        )
    return approval


def record_outcome(
    informing: Informing,
    *,
    by: User,
    outcome: str,
    happened_on: datetime.date | None = None,
    reaction: str = "",
    followed: str = "",
) -> None:
    """It was carried out on ``happened_on`` (default: its day, or today),
    with their reaction and what followed — only with the survivor's side's
    approval where it needs one — or it was called off."""
    before = (informing.status, informing.occurred_on)
    try:
        _record_outcome(informing, by, outcome, happened_on, reaction, followed)
    except Refused:
        informing.status, informing.occurred_on = before  # as the page showed it
        raise


def _record_outcome(
    informing: Informing,
    by: User,
    outcome: str,
    happened_on: datetime.date | None,
    reaction: str,
    followed: str,
) -> None:
    with transaction.atomic():
        writes.transition(informing, outcome, allowed=OUTCOMES)
        day = _dated(happened_on or min(informing.occurred_on, _today()), informing.process)
        if outcome == Informing.Status.CARRIED_OUT:
            # The gate, on the locked row: approval and consent as they are now.
            if needs_for(informing, day) and not access.is_approved(informing):
                raise Refused(NEEDS_APPROVAL)
            informing.occurred_on = day
        informing.reaction, informing.followed = reaction, followed
        informing.outcome_recorded_at = timezone.now()
        informing.version += 1
        informing.save(
            update_fields=[
                "status",
                "occurred_on",
                "reaction",
                "followed",
                "outcome_recorded_at",
                "version",
            ]
        )
        record_event(informing, Code.INFORMING, by=by, value=outcome, occurred_on=day)
        audit_record("informing.outcome_recorded", by=by, record=informing)


# His duty to tell ----------------------------------------------------------------------


def record_duty(
    *,
    author: User,
    group: Group,
    description: str,
    told_on: datetime.date,
    whom: Person | None = None,
    comment: str = "",
    audience: Iterable[Group] = (),
) -> Duty:
    """He says he told someone (``whom``, if they are recorded) on ``told_on``."""
    day = _dated(told_on, group.process)
    with transaction.atomic():
        duty = create_record(
            Duty,
            author=author,
            group=group,
            audience=audience,
            texts={"description": description, "comment": comment},
            occurred_on=day,
            whom=whom,
        )
        audit_record("duty.recorded", by=author, record=duty)
    return duty


CONFIRMATIONS: writes.Transitions = {
    Duty.Confirmation.NOT_YET: {Duty.Confirmation.CONFIRMED, Duty.Confirmation.DENIED},
    # Those told may remember later, or correct themselves.
    Duty.Confirmation.DENIED: {Duty.Confirmation.CONFIRMED},
    Duty.Confirmation.CONFIRMED: {Duty.Confirmation.DENIED},
}


def confirm_duty(
    duty: Duty, *, by: User, confirmation: str, happened_on: datetime.date | None = None
) -> None:
    """Those he says he told confirmed it, or say he did not, on ``happened_on``."""
    with transaction.atomic():
        writes.transition(duty, confirmation, allowed=CONFIRMATIONS, field="confirmation")
        told = (duty.occurred_on, words.told_floor(duty.process.terms))
        day = day_it_happened(happened_on, since_the_start(duty.process), told)
        duty.confirmed_on = day
        duty.save(update_fields=["confirmation", "confirmed_on"])
        record_event(duty, Code.DUTY, by=by, value=confirmation, occurred_on=day)
        audit_record("duty.confirmation_recorded", by=by, record=duty)


# Consent -------------------------------------------------------------------------------


def give_consent(
    *,
    author: User,
    group: Group,
    may_know: str,
    whom: Person | None = None,
    embargo_until: datetime.date | None = None,
    comment: str = "",
    occurred_on: datetime.date | None = None,
    audience: Iterable[Group] = (),
) -> Consent:
    """The survivor's side says what ``whom`` (None: everyone) may be told,
    from ``occurred_on``; with an embargo, nobody else before ``embargo_until``.
    It replaces their earlier consent for the same person (or everyone)."""
    _require_survivor_side(author, group.process_id)
    side = access.survivor_side(group.process_id)
    if side is None or side.pk != group.pk:
        raise Refused(ONLY_SURVIVOR_SIDE)
    day = _dated(occurred_on, group.process)
    if embargo_until is not None and embargo_until <= day:
        raise Refused(
            _("An embargo ends after the day it is set (%(date)s). Choose a later day.")
            % {"date": formats.date_format(day, "DATE_FORMAT")}
        )
    with transaction.atomic():
        consent = create_record(
            Consent,
            author=author,
            group=group,
            audience=audience,
            texts={"comment": comment},
            occurred_on=day,
            whom=whom,
            may_know=may_know,
            embargo_until=embargo_until,
        )
        audit_record("consent.given", by=author, record=consent)
    return consent
