"""The demo's second process, Process Rowan: small, and ended. Its steering
groups agreed criteria, closed it forty days ago with the outcome, a public
statement the survivor's support group approved and that was released, and
a retention plan: everything is deleted in 140 days.

Invented, like everything in the demo. Days count back from today.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.closure import services
from holdspace.processes import services as core
from holdspace.processes.models import Group, Membership, Process
from holdspace.processes.terminology import HarmedTerm, HarmingTerm
from holdspace.vault import compartments
from holdspace.vault.keyring import current
from holdspace.vault.models import Grant

CRITERIA = [
    "He acknowledges the harm in his own words, in writing.",
    "He stays away from the places she named for a year.",
    "He takes part in a programme for men who caused harm.",
]


def build(process: Process, groups: Mapping[str, Group], users: Mapping[str, User]) -> None:
    """Process Rowan, beside Process Juniper (``process`` stays as it is)."""
    founder = users["demo-support-coordinator"]
    today = timezone.localdate()
    start = today - datetime.timedelta(days=3 * 365)
    rowan = core.create_process(
        founder,
        core.NewProcess(
            name="Process Rowan",
            started_on=start,
            harmed_term=HarmedTerm.SURVIVOR,
            harming_term=HarmingTerm.PERSON_WHO_CAUSED_HARM,
            harmed_pseudonym="L.",
            harming_pseudonym="T.",
            group_kind=Group.Kind.SUPPORT,
            group_name="Rowan support group",
            commitment_until=None,
        ),
    )
    support = rowan.groups.get()
    contact = core.add_group(
        rowan, by=founder, kind=Group.Kind.CONTACT, name="Rowan contact group", purpose=""
    )
    _join(support, users["demo-support-member"], Membership.Role.MEMBER)
    _join(contact, users["demo-contact-coordinator"], Membership.Role.COORDINATOR)
    Membership.objects.filter(group=contact, user=founder).delete()
    Grant.objects.filter(compartment__group=contact, user=founder).delete()
    core.write_note(
        author=users["demo-support-member"],
        group=support,
        occurred_on=start + datetime.timedelta(days=400),
        title="L. on the last two years",
        body="She feels safe in her neighbourhood again. She wants the process to end.",
    )
    services.set_criteria(rowan, by=founder, group=support, texts=CRITERIA)
    _close(rowan, founder, support, today)


def _join(group: Group, user: User, role: str) -> None:
    Membership.objects.create(group=group, user=user, role=role)
    compartments.grant(current(), group.compartment, user)


def _close(rowan: Process, founder: User, support: Group, today: datetime.date) -> Any:
    closure = services.close(
        rowan,
        by=founder,
        group=support,
        closing=services.Closing(
            reached=(
                "T. wrote an acknowledgement in his own words, and has kept away from the "
                "places L. named since."
            ),
            not_reached="He left the programme after four sessions.",
            results=[
                services.Result(CRITERIA[0], "yes", "His letter of last spring."),
                services.Result(CRITERIA[1], "yes", ""),
                services.Result(CRITERIA[2], "partly", "Four of twelve sessions."),
            ],
            statement=(
                "The accountability process with T. has ended. He acknowledged the harm "
                "he caused. We thank everyone who carried it."
            ),
            kept=(
                "The export for L.'s side, kept by her support group until she asks for it "
                "to be destroyed."
            ),
            delete_on=today + datetime.timedelta(days=140),
            closed_on=today - datetime.timedelta(days=40),
        ),
    )
    services.answer_statement(
        closure,
        by=founder,
        approve=True,
        herself=False,
        answered_on=today - datetime.timedelta(days=38),
    )
    services.release_statement(closure, by=founder)
    return closure
