"""Reports in the test world, written as a group would."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from holdspace.contact import services as contact
from holdspace.contact.models import Contact, Meeting
from holdspace.reports import services
from holdspace.reports.models import Report
from holdspace.testing import World

TOKEN = re.compile(r'name="submission" value="([^"]+)"')


def ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def attempt(
    world: World, days_ago: int, summary: str, group: str = "contact", **more: Any
) -> Contact:
    return contact.log_contact(
        author=world.personas[f"{group}-member"],
        group=world.groups[group],
        occurred_on=ago(days_ago),
        channel="email",
        direction=more.pop("direction", "outgoing"),
        counterpart=more.pop("counterpart", "him"),
        counterpart_note="",
        summary=summary,
        **more,
    )


def meeting(world: World, days_ago: int, outcome: str, agenda: str) -> Meeting:
    return contact.plan_meeting(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        occurred_on=ago(days_ago),
        outcome=outcome,
        starts_at=None,
        internal=False,
        place="",
        agenda=agenda,
        preparation_asked="",
        attendees=[],
    )


def draft(world: World, start: int = 90, end: int = 0, text: str = "Our words.") -> Report:
    report = services.draft(
        author=world.personas["contact-coordinator"],
        group=world.groups["contact"],
        period_from=ago(start),
        period_to=ago(end),
    )
    if text:
        services.edit_draft(
            report,
            by=world.personas["contact-coordinator"],
            expected_version=1,
            changes={"text": text},
        )
        report.refresh_from_db()
    return report


def sent(world: World, text: str = "Our words as sent.", days_ago: int = 0) -> Report:
    report = draft(world, text=text)
    services.sign(report, by=world.personas["contact-member"])
    services.send(report, by=world.personas["contact-coordinator"], sent_on=ago(days_ago))
    report.refresh_from_db()
    return report


def token(client: Client, url: str) -> str:
    found = TOKEN.search(client.get(url).content.decode())
    assert found is not None, "the form carries a one-time token"
    return found.group(1)


def linked(report: Report) -> set[str]:
    """The ids of the records the report's lines link to."""
    return {str(line["record"]) for line in report.lines() if line.get("record")}
