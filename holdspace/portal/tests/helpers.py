"""Records addressed to him and records that are not, written through the
services as the groups would write them, with a canary in every field he
must never see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from holdspace.commitments import services as commitments
from holdspace.commitments.models import Agreement, Demand, Step, WordingProposal
from holdspace.contact import services as contact
from holdspace.contact.models import Meeting
from holdspace.portal import services
from holdspace.portal.models import Message
from holdspace.processes.models import Party, Record
from holdspace.processes.services import change_audience
from holdspace.testing import World
from holdspace.vault.keyring import using

# Texts he reads, and texts he must never read.
SHOWN = (
    "Join a programme and finish it.",
    "Send us the names of three programmes.",
    "Stay away from the cooperative on Tuesdays.",
    "The library café",
    "The programme and the choir.",
    "A few lines on what you did.",
    "We look forward to seeing you.",
)
HIDDEN = (
    "HIDDEN-reason-of-the-demand",
    "HIDDEN-proposed-wording",
    "HIDDEN-internal-demand",
    "HIDDEN-internal-step",
    "HIDDEN-binds-names",
    "HIDDEN-minutes",
    "HIDDEN-follow-ups",
    "HIDDEN-internal-meeting-agenda",
    "HIDDEN-unsent-message",
    "HIDDEN-agreement-not-for-him",
)


def day(offset: int) -> datetime.date:
    """``offset`` days from today (negative: ago)."""
    return timezone.localdate() + datetime.timedelta(days=offset)


def address(world: World, *records: Record) -> None:
    """Address ``records`` to him, keeping their groups."""
    with using(world.keyring):
        for record in records:
            change_audience(
                record,
                by=world.personas["support-coordinator"],
                groups=list(record.audience_groups.all()),
                to_harming_party=True,
                to_harmed_party=False,
            )
            record.refresh_from_db(fields=["to_harming_party", "to_harmed_party"])


def party(world: World) -> Party:
    return Party.objects.select_related("process").get(
        process=world.process, role=Party.Role.HARMING
    )


@dataclass
class Portal:
    demand: Demand
    step: Step
    agreement: Agreement
    meeting: Meeting
    internal_meeting: Meeting
    sent: Message
    unsent: Message


def message(world: World, body: str, *, send: bool = True) -> Message:
    coordinator = world.personas["contact-coordinator"]
    with using(world.keyring):
        group = world.groups["contact"]
        written = services.write_message(author=coordinator, group=group, body=body)
        if send:
            services.send_message(written, by=coordinator)
    written.refresh_from_db()
    return written


def _demands(world: World) -> tuple[Demand, Step]:
    support, contact_member = world.personas["support-member"], world.personas["contact-member"]
    groups = world.groups
    with using(world.keyring):
        demand = commitments.create_demand(
            author=support,
            group=groups["support"],
            occurred_on=day(-10),
            wording=SHOWN[0],
            reason=HIDDEN[0],
            audience=[groups["contact"]],
        )
        commitments.propose(
            demand,
            by=contact_member,
            group=groups["contact"],
            kind=WordingProposal.Kind.REWORD,
            wording=HIDDEN[1],
            reason="Softer.",
        )
        step = commitments.add_step(
            demand,
            author=contact_member,
            group=groups["contact"],
            description=SHOWN[1],
            due_on=day(5),
        )
        internal = commitments.create_demand(
            author=support,
            group=groups["support"],
            occurred_on=day(-10),
            wording=HIDDEN[2],
            reason="",
            audience=[groups["contact"]],
        )
        commitments.add_step(
            internal,
            author=contact_member,
            group=groups["contact"],
            description=HIDDEN[3],
            due_on=day(5),
        )
    return demand, step


def _agreements(world: World) -> Agreement:
    with using(world.keyring):
        made = [
            commitments.create_agreement(
                author=world.personas["contact-member"],
                group=world.groups["contact"],
                agreement_kind=Agreement.Kind.SPACE_SHARING,
                terms=terms,
                binds=HIDDEN[4],
                starts_on=day(-5),
                ends_on=day(60),
                review_on=day(30),
                status=Agreement.Status.AGREED,
            )
            for terms in (SHOWN[2], HIDDEN[9])
        ]
    return made[0]


def _meetings(world: World) -> tuple[Meeting, Meeting]:
    member = world.personas["contact-member"]
    common: dict[str, Any] = {"author": member, "group": world.groups["contact"]}
    with using(world.keyring):
        with_him = contact.plan_meeting(
            **common,
            occurred_on=day(4),
            starts_at=datetime.time(18, 30),
            internal=False,
            place=SHOWN[3],
            agenda=SHOWN[4],
            preparation_asked=SHOWN[5],
            attendees=[member],
        )
        held = contact.plan_meeting(
            **common,
            occurred_on=day(-20),
            starts_at=None,
            internal=False,
            place=SHOWN[3],
            agenda="",
            preparation_asked="",
            attendees=[member],
            outcome=Meeting.Outcome.HELD,
            minutes=HIDDEN[5],
            follow_ups=HIDDEN[6],
        )
        internal = contact.plan_meeting(
            **common,
            occurred_on=day(6),
            starts_at=None,
            internal=True,
            place="",
            agenda=HIDDEN[7],
            preparation_asked="",
            attendees=[member],
        )
    address(world, held)
    return with_him, internal


def portal_world(world: World) -> Portal:
    """Demands, a step, agreements and meetings, some addressed to him; a
    sent message and an unsent one. Even an internal meeting addressed to
    him by mistake must not show."""
    demand, step = _demands(world)
    agreement = _agreements(world)
    meeting, internal = _meetings(world)
    address(world, demand, step, agreement, meeting, internal)
    sent = message(world, SHOWN[6])
    unsent = message(world, HIDDEN[8], send=False)
    return Portal(demand, step, agreement, meeting, internal, sent, unsent)
