"""Decisions in the demo process: a consequence ladder the contact group
agreed, the draft its first step opened when K. missed the last meeting, a
decided "whom to inform" with its reasons and both questions answered, and
an open round with one objection and members still to answer.

Invented, like everything in Process Juniper. Days count back from today.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.circle.models import Person
from holdspace.decisions import services, watch
from holdspace.decisions.models import Answer, Decision, NonCooperation
from holdspace.decisions.views import steps_text
from holdspace.processes.models import Group, Process, Record
from holdspace.processes.services import change_audience
from holdspace.watch import collect

STEPS: dict[str, list[str]] = {
    NonCooperation.MISSED_MEETINGS: [
        "A written reminder of what he agreed to, with a new date.",
        "Decide together whether to inform his political group.",
        "A public statement in the places where he organises.",
    ],
    NonCooperation.SLOW_REPLIES: [
        "A reminder through a friend he trusts.",
        "A letter with a deadline of two weeks.",
        "Decide together whether to inform his surroundings.",
    ],
    NonCooperation.BREACH: [
        "Talk to him about it within a week.",
        "Tell the support group, and decide with them what follows.",
    ],
}


def _day(days_ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def build(process: Process, groups: Mapping[str, Group], users: Mapping[str, User]) -> None:
    contact, support = groups["contact"], groups["support"]
    coordinator, member = users["demo-contact-coordinator"], users["demo-contact-member"]
    _ladder(process, groups, coordinator, member)
    _inform(contact, support, coordinator, member, users["demo-support-coordinator"])
    _open_round(contact, support, coordinator, users["demo-support-coordinator"])


def _ladder(process: Process, groups: Mapping[str, Group], coordinator: User, member: User) -> None:
    ladder = services.write_ladder(groups["contact"], by=coordinator, steps=STEPS)
    change_audience(
        ladder,
        by=coordinator,
        groups=[groups["contact"], groups["support"], groups["supervision"]],
        to_harming_party=False,
        to_harmed_party=False,
    )
    agreement = services.propose(
        author=coordinator,
        group=groups["contact"],
        proposal=services.Proposal(
            topic=Decision.Topic.LADDER,
            proposal=steps_text(ladder),
            reasons="So that nobody has to improvise when he stops cooperating, and so that "
            "the support group knows in advance what we will do.",
            deadline=_day(190),
            about=[ladder],
        ),
        proposed_on=_day(200),
        ladder=ladder,
    )
    services.record_outcome(
        agreement,
        by=coordinator,
        result=Decision.Result.ADOPTED,
        outcome="We agreed the steps as written. We look at them again after a year.",
        outcome_reasons="Everyone agreed; the support group read them and had no objection.",
        participants=[coordinator, member],
        decided_on=_day(188),
        review_on=_day(188) + datetime.timedelta(days=365),
    )
    # The watchdog's tick: the last missed meeting opens its first step as a draft.
    today = timezone.localdate()
    watch.on_tick(collect.current_alerts(today, Process.objects.filter(pk=process.pk)), today)


def _political_group(contact: Group) -> list[Record]:
    """The circle's record of his political group, when the demo has one."""
    found = Person.objects.filter(
        process_id=contact.process_id, relation=Person.Relation.POLITICAL_GROUP
    ).first()
    return [] if found is None else [found]


def _inform(
    contact: Group, support: Group, coordinator: User, member: User, support_coordinator: User
) -> None:
    decision = services.propose(
        author=member,
        group=contact,
        proposal=services.Proposal(
            topic=Decision.Topic.INFORM,
            proposal="We inform his political group (the neighbourhood solidarity network) about "
            "the process and give them the letter.",
            reasons="He joined the network this year and has not told them, although we asked "
            "him twice.",
            deadline=_day(50),
            asked=[support],
            inform_whom="His political group: the neighbourhood solidarity network",
            about=_political_group(contact),
            trust_built=Decision.Criterion.YES,
            gaining_power=Decision.Criterion.UNSURE,
            criteria_reasoning="Members rely on him for the network's finances, so trust is "
            "being built. Whether he gains power there is less clear: he speaks at meetings, but "
            "he does not lead them.",
        ),
        proposed_on=_day(60),
    )
    services.record_outcome(
        decision,
        by=member,
        result=Decision.Result.ADOPTED,
        outcome="Two of us meet two people of the network and give them the letter. The "
        "support group checked that M. agrees.",
        outcome_reasons="Trust is being built with him there, and he did not tell them himself.",
        participants=[coordinator, member, support_coordinator],
        decided_on=_day(48),
        # Looked at again soon: the watchdog shows it.
        review_on=_day(-10),
    )


def _open_round(contact: Group, support: Group, coordinator: User, objector: User) -> None:
    decision = services.propose(
        author=coordinator,
        group=contact,
        proposal=services.Proposal(
            topic=Decision.Topic.GENERAL,
            proposal="We ask him to name a second programme, since the first one has not "
            "answered him in three months.",
            reasons="Waiting longer keeps the process standing still.",
            deadline=_day(-5),
            asked=[support],
        ),
        proposed_on=_day(3),
    )
    services.answer(
        decision, member=coordinator, group=contact, choice=Answer.Choice.AGREE, reason=""
    )
    services.answer(
        decision,
        member=objector,
        group=support,
        choice=Answer.Choice.OBJECT,
        reason="A second programme lets him pick the easier one. Ask the first programme "
        "directly before anything else.",
    )
