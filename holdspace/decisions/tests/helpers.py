"""Decisions, ladders and missed meetings for the decisions tests."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from holdspace.contact import services as contact
from holdspace.contact.models import Meeting
from holdspace.decisions import services
from holdspace.decisions.models import Decision, Ladder, NonCooperation
from holdspace.testing import World
from holdspace.testing.commitments import soon
from holdspace.vault.keyring import using


def propose(
    world: World,
    *,
    author: str = "contact-coordinator",
    group: str = "contact",
    asked: Sequence[str] = (),
    deadline: datetime.date | None = None,
    options: Sequence[str] = (),
    text: str = "We write to him once more.",
) -> Decision:
    with using(world.keyring):
        return services.propose(
            author=world.personas[author],
            group=world.groups[group],
            proposal=services.Proposal(
                topic=Decision.Topic.GENERAL,
                proposal=text,
                reasons="He has not answered in a month.",
                deadline=deadline or soon(7),
                options=options,
                asked=[world.groups[kind] for kind in asked],
            ),
        )


def decide(world: World, decision: Decision, *, review_on: datetime.date | None = None) -> None:
    with using(world.keyring):
        services.record_outcome(
            decision,
            by=world.personas["contact-coordinator"],
            result=Decision.Result.ADOPTED,
            outcome="We write to him.",
            outcome_reasons="Everyone agreed.",
            participants=[world.personas["contact-coordinator"]],
            review_on=review_on,
        )


def agreed_ladder(world: World, steps: Sequence[str] = ("Write to him.", "Call him.")) -> Ladder:
    """The contact group's ladder for missed meetings, agreed through a decision."""
    coordinator = world.personas["contact-coordinator"]
    with using(world.keyring):
        ladder = services.write_ladder(
            world.groups["contact"],
            by=coordinator,
            steps={NonCooperation.MISSED_MEETINGS: list(steps)},
        )
        agreement = services.propose(
            author=coordinator,
            group=world.groups["contact"],
            proposal=services.Proposal(
                topic=Decision.Topic.LADDER,
                proposal="These steps.",
                reasons="",
                deadline=soon(7),
            ),
            ladder=ladder,
        )
    decide(world, agreement)
    ladder.refresh_from_db()
    assert ladder.is_agreed
    return ladder


def missed_meeting(world: World, days_ago: int = 3) -> Meeting:
    with using(world.keyring):
        return contact.plan_meeting(
            author=world.personas["contact-coordinator"],
            group=world.groups["contact"],
            occurred_on=soon(-days_ago),
            starts_at=None,
            internal=False,
            place="",
            agenda="The programme.",
            preparation_asked="",
            attendees=[],
            outcome=Meeting.Outcome.NO_SHOW,
        )
