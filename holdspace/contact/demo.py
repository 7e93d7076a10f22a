"""Two years of contact in the demo process: e-mails (some never answered),
a silence of five months, meetings held and missed, reports to supervision
and a meeting coming up — so that every alert of the watchdog shows.

Invented, like everything in Process Juniper. Offsets count days after the
start of the process (negative: days from today into the future).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from holdspace.accounts.models import User
from holdspace.commitments.demo import Builder
from holdspace.contact import services
from holdspace.contact.models import Meeting
from holdspace.processes.models import Group, Process

START = 850  # the demo process started this many days ago

# (day after the start, direction, counterpart, channel, answered on day, summary)
CONTACTS: tuple[tuple[int, str, str, str, int | None, str], ...] = (
    (
        105,
        "outgoing",
        "him",
        "email",
        265,
        "We introduced ourselves as the contact group and "
        "repeated the three demands from the letter.",
    ),
    (
        110,
        "outgoing",
        "surroundings",
        "email",
        None,
        "We told his partner that a contact group exists and asked her to read the letter.",
    ),
    (
        150,
        "outgoing",
        "him",
        "email",
        265,
        "Second e-mail: we asked whether he had read the demands and what he has done about them.",
    ),
    (
        200,
        "outgoing",
        "surroundings",
        "call",
        None,
        "We asked a friend of his to tell him that we are waiting for an answer.",
    ),
    (265, "incoming", "him", "email", None, "Three sentences. He asks to meet in person."),
    (330, "outgoing", "him", "call", 330, "We agreed on the date of the second meeting."),
    (392, "outgoing", "him", "email", 420, "We asked why he did not come, and for a new date."),
    (420, "incoming", "him", "email", None, "He says he forgot, and proposes two dates."),
    (
        560,
        "incoming",
        "him",
        "email",
        None,
        "He writes that he had a first talk with a programme in the city.",
    ),
    (600, "outgoing", "him", "email", 640, "We asked for the name of the programme, to check it."),
    (
        745,
        "outgoing",
        "him",
        "email",
        None,
        "After the missed meeting: we asked him to answer "
        "within two weeks and proposed a new date.",
    ),
)

# (day, internal, outcome, agenda, minutes, follow-ups)
MEETINGS: tuple[tuple[int, bool, str, str, str, str], ...] = (
    (
        95,
        True,
        "held",
        "How we want to work; what each of us can give.",
        "We agreed to meet every second week and to report to supervision every three months.",
        "",
    ),
    (
        300,
        False,
        "held",
        "The demands; his view; next steps.",
        "He says he remembers the "
        "evening differently. We repeated the survivor's account without discussing it.",
        "He looks up three programmes.\nHe tells his choir about the process.",
    ),
    (390, False, "no_show", "The programmes he found.", "", ""),
    (
        480,
        False,
        "held",
        "The programmes; the choir.",
        "He contacted one programme. He has not told the choir.",
        "He sends a written reflection before the next meeting.",
    ),
    (
        660,
        False,
        "held",
        "His reflection; the programme.",
        "The reflection came a day late. It speaks mostly about how hard the process is for him.",
        "",
    ),
    (740, False, "no_show", "The programme; informing new groups.", "", ""),
)


def _day(offset: int) -> int:
    """Days ago, from a day after the start."""
    return START - offset


def build(process: Process, groups: Mapping[str, Group], users: Mapping[str, User]) -> None:
    b = Builder(process, groups, users)
    contact = groups["contact"]
    coordinator, member = users["demo-contact-coordinator"], users["demo-contact-member"]
    for day, direction, counterpart, channel, answered, summary in CONTACTS:
        services.log_contact(
            author=member if day % 2 else coordinator,
            group=contact,
            occurred_on=b.day(_day(day)),
            channel=channel,
            direction=direction,
            counterpart=counterpart,
            counterpart_note="his partner" if counterpart == "surroundings" else "",
            summary=summary,
            answered_on=None if answered is None else b.day(_day(answered)),
        )
    for day, internal, outcome, agenda, minutes, follow_ups in MEETINGS:
        _meeting(
            b, contact, [coordinator, member], day, internal, outcome, agenda, minutes, follow_ups
        )
    _upcoming(b, contact, [coordinator, member])


def _meeting(
    b: Builder,
    group: Group,
    people: list[User],
    day: int,
    internal: bool,
    outcome: str,
    agenda: str,
    minutes: str,
    follow_ups: str,
) -> None:
    services.plan_meeting(
        author=people[0],
        group=group,
        occurred_on=b.day(_day(day)),
        starts_at=datetime.time(18, 30),
        internal=internal,
        place="" if internal else "The library café, back room",
        agenda=agenda,
        preparation_asked="" if internal else "A few lines on what he did since we last met.",
        attendees=people,
        outcome=outcome,
        minutes=minutes,
        follow_ups=follow_ups,
    )


def _upcoming(b: Builder, group: Group, people: list[User]) -> None:
    for days_ahead, internal, agenda in (
        (9, False, "The missed meeting; your programme; how we stay in touch from here."),
        (20, True, "Supervision: how we respond to the second missed meeting."),
    ):
        services.plan_meeting(
            author=people[0],
            group=group,
            occurred_on=b.day(-days_ahead),
            starts_at=datetime.time(18, 30),
            internal=internal,
            place="" if internal else "The library café, back room",
            agenda=agenda,
            preparation_asked="",
            attendees=people,
            outcome=Meeting.Outcome.SCHEDULED,
        )
