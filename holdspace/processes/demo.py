"""The demo process: invented people, places and events, spread over more
than two years, with every group kind and varied audiences.

Nothing here comes from a real case: "Process Juniper" is made up, and so is
everything written in it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.processes import registry, services
from holdspace.processes.models import Event, Group, Membership, Party, Record
from holdspace.processes.services import parties
from holdspace.processes.terminology import HarmedTerm, HarmingTerm
from holdspace.vault import compartments
from holdspace.vault.keyring import Keyring, current, using
from holdspace.vault.models import Grant

# (days after the start, group kind, author role, audience kinds, title, text)
NOTES: tuple[tuple[int, str, str, tuple[str, ...], str, str], ...] = (
    (
        0,
        "support",
        "coordinator",
        (),
        "How we want to work",
        "First meeting of the support group. M. wants the letter to go out before the summer "
        "camp. We agreed to meet every second Tuesday and to keep minutes here.",
    ),
    (
        9,
        "support",
        "member",
        (),
        "Draft of the letter",
        "The second draft is ready. M. asked us to remove the description of the evening; the "
        "letter names what happened without details.",
    ),
    (
        30,
        "support",
        "coordinator",
        ("supervision",),
        "The letter went out",
        "The letter was handed to K. in person by two of us. He said he needed time to think.",
    ),
    (
        62,
        "support",
        "member",
        (),
        "Looking for a contact group",
        "We asked four people from the cooperative whether they would form a contact group. "
        "Two said yes; one is a close friend of K. and would rather not.",
    ),
    (
        95,
        "contact",
        "coordinator",
        (),
        "Constituting meeting",
        "We talked about our time: each of us can give about two evenings a month, for at least "
        "a year. We read the support group's letter together.",
    ),
    (
        110,
        "contact",
        "member",
        ("support",),
        "First e-mail to K.",
        "We wrote to K. to introduce ourselves as the contact group and repeated the demands.",
    ),
    (
        150,
        "contact",
        "member",
        (),
        "Still no answer",
        "Five weeks and no answer. We will write once more and then talk about consequences.",
    ),
    (
        181,
        "contact",
        "coordinator",
        ("supervision",),
        "Report for supervision",
        "Two e-mails, no answer. We are unsure how long to wait before informing his new choir.",
    ),
    (
        195,
        "supervision",
        "coordinator",
        ("contact",),
        "Feedback on the first report",
        "Waiting longer is fine, but decide now what you will do if he stays silent, and write "
        "it down, so the decision does not depend on anyone's mood.",
    ),
    (
        240,
        "contact",
        "member",
        (),
        "A short reply",
        "K. answered in three sentences and asked to meet in person.",
    ),
    (
        300,
        "contact",
        "coordinator",
        ("support", "supervision"),
        "First meeting with K.",
        "We met at the library café. He said he remembers the evening differently. We agreed on "
        "two steps: he looks up three perpetrator programmes, and he tells his choir.",
    ),
    (
        330,
        "support_team",
        "coordinator",
        (),
        "Walk by the river",
        "We went walking with K.; he talked about feeling lonely. We pointed him to the crisis "
        "line and kept away from the process itself.",
    ),
    (
        390,
        "contact",
        "member",
        (),
        "Meeting missed",
        "K. did not come to the agreed meeting. One of us waited an hour at the café.",
    ),
    (
        420,
        "support",
        "coordinator",
        ("contact",),
        "What M. wants now",
        "M. does not want to hear details from the meetings, only whether the demands are met.",
    ),
    (
        480,
        "contact",
        "coordinator",
        ("supervision",),
        "Six-month report",
        "One meeting held, one missed, one reply in seven months. No programme contacted yet.",
    ),
    (
        500,
        "supervision",
        "member",
        ("contact",),
        "Feedback",
        "You are carrying a lot. Consider asking one more person to join the contact group.",
    ),
    (
        560,
        "contact",
        "member",
        (),
        "He contacted a programme",
        "K. wrote that he had a first talk with a programme. We asked for its name to check it.",
    ),
    (
        620,
        "support_team",
        "member",
        (),
        "Check-in",
        "K. seems steadier. He started volunteering at the food bank again.",
    ),
    (
        700,
        "contact",
        "coordinator",
        ("support", "supervision"),
        "Two years in",
        "Looking back: slow answers, two missed meetings, one programme started. The demand to "
        "inform new groups is still open.",
    ),
    (
        760,
        "support",
        "member",
        (),
        "M. is tired",
        "M. said she wants the process to end within a year, whatever happens.",
    ),
    (
        820,
        "contact",
        "member",
        (),
        "Planning the next meeting",
        "Next meeting in three weeks. Agenda: the programme, the choir, the time left.",
    ),
)

# Roles of the demo accounts in the demo process: username -> (group kind, role).
MEMBERS: Mapping[str, tuple[str, str]] = {
    "demo-support-coordinator": ("support", "coordinator"),
    "demo-support-member": ("support", "member"),
    "demo-contact-coordinator": ("contact", "coordinator"),
    "demo-contact-member": ("contact", "member"),
    "demo-supervision": ("supervision", "coordinator"),
    "demo-support-team": ("support_team", "coordinator"),
}

GROUP_NAMES = {
    "support": "Juniper support group",
    "contact": "Juniper contact group",
    "supervision": "Juniper supervision",
    "support_team": "Juniper support team",
}


def _added_on(event: Record, day: datetime.date) -> None:
    """A group joined the process long ago. Adding a group asks for no date
    (it is set up the day it is written down), so this one is dated by hand;
    everything else in the demo is dated through the forms' own services."""
    Record.objects.filter(pk=event.pk).update(occurred_on=day)


def build(users: Mapping[str, User], private_keys: Mapping[str, bytes]) -> None:
    """Create Process Juniper with the demo accounts in their groups.

    It runs with the founder's keyring: the founder sets every group up and
    so holds every key while building, then leaves the other groups.
    """
    founder = users["demo-support-coordinator"]
    with using(Keyring(founder.pk, private_keys[founder.username])):
        _build(users, founder)


def _build(users: Mapping[str, User], founder: User) -> None:
    start = timezone.localdate() - datetime.timedelta(days=850)
    process = services.create_process(
        founder,
        services.NewProcess(
            name="Process Juniper",
            started_on=start,
            harmed_term=HarmedTerm.SURVIVOR,
            harming_term=HarmingTerm.PERSON_WHO_CAUSED_HARM,
            harmed_pseudonym="M.",
            harming_pseudonym="K.",
            group_kind=Group.Kind.SUPPORT,
            group_name=GROUP_NAMES["support"],
            commitment_until=start + datetime.timedelta(days=1100),
        ),
    )
    groups = {Group.Kind.SUPPORT.value: process.groups.get()}
    # Until there is a contact group, the support group keeps in touch with K.
    services.hand_over(
        process,
        "contact",
        to=groups["support"],
        by=founder,
        happened_on=start,
        reason="Nobody else is there yet, so we keep in touch with K. ourselves for now.",
    )
    days = {"contact": 90, "supervision": 170, "support_team": 320}
    for kind, day in days.items():
        group = services.add_group(
            process, by=founder, kind=kind, name=GROUP_NAMES[kind], purpose=""
        )
        groups[kind] = group
        _added_on(
            Event.objects.get(process=process, code="group.added", other_group=group),
            start + datetime.timedelta(days=day),
        )
    for username, (kind, role) in MEMBERS.items():
        if username == founder.username:
            continue
        Membership.objects.create(
            group=groups[kind],
            user=users[username],
            role=role,
            joined_on=start + datetime.timedelta(days=days.get(kind, 0)),
            # One commitment ends soon: the group should look for someone new.
            commitment_until=timezone.localdate()
            + datetime.timedelta(days=20 if username == "demo-contact-member" else 200),
            capacity_note="Two evenings a month.",
        )
        compartments.grant(current(), groups[kind].compartment, users[username])
    # The founder set the new groups up for their own coordinators.
    handed_over = [groups[kind] for kind in days]
    Membership.objects.filter(group__in=handed_over, user=founder).delete()
    Grant.objects.filter(compartment__group__in=handed_over, user=founder).delete()
    _pending_member(groups["contact"], users["demo-pending"])
    services.hand_over(
        process,
        "contact",
        to=groups["contact"],
        by=users["demo-support-coordinator"],
        happened_on=start + datetime.timedelta(days=100),
        reason=(
            "The new contact group has the time and the distance that we do not have. "
            "Everything we wrote about our contact with K. goes with it."
        ),
    )
    _write_notes(groups, users, start)
    for part in registry.demo_parts():
        part.build(process, groups, users)
    for role, username in (
        (Party.Role.HARMED, "demo-survivor"),
        (Party.Role.HARMING, "demo-portal"),
    ):
        parties.link_account(process.parties.get(role=role), users[username])


def _pending_member(group: Group, user: User) -> None:
    Membership.objects.create(
        group=group,
        user=user,
        status=Membership.Status.PENDING,
        conflict_of_interest="K. and I shared a flat for three years; we are still friends.",
        commitment_until=timezone.localdate() + datetime.timedelta(days=365),
    )


def _author(users: Mapping[str, User], kind: str, role: str) -> User:
    for username, (group_kind, group_role) in MEMBERS.items():
        if group_kind == kind and (group_role == role or kind in ("supervision", "support_team")):
            return users[username]
    raise KeyError(kind)


def _write_notes(
    groups: Mapping[str, Group], users: Mapping[str, User], start: datetime.date
) -> None:
    for day, kind, role, audience, title, text in NOTES:
        author = _author(users, kind, role)
        note = services.write_note(
            author=author,
            group=groups[kind],
            occurred_on=start + datetime.timedelta(days=day),
            title=title,
            body=text,
        )
        if audience:
            services.change_audience(
                note,
                by=author,
                groups=[groups[k] for k in audience],
                to_harming_party=False,
                to_harmed_party=False,
            )
