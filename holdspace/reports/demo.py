"""The contact group's reports to supervision in the demo process: drafted
from the records of each period, signed off by both members and sent (so
frozen), and a draft for the months since, not yet sent.

Invented, like everything in Process Juniper. Offsets count days after the
start of the process.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.processes.models import Event, Group, Process
from holdspace.reports import services
from holdspace.reports.models import Signoff
from holdspace.reports.services import Code

START = 850  # the demo process started this many days ago (as in contact.demo)

# (sent on day, period from day, to day, what the group wrote)
REPORTS = (
    (
        183,
        95,
        181,
        "Two e-mails, no answer. We wrote to his partner. We are unsure how long to "
        "wait before telling his choir.",
    ),
    (
        482,
        182,
        480,
        "He answered after five months. One meeting held, one missed. One programme "
        "contacted, nobody told yet.",
    ),
    (
        642,
        481,
        640,
        "A reflection came, mostly about himself. He had a first talk with a "
        "programme; we are checking it.",
    ),
)


def _day(today: datetime.date, offset: int) -> datetime.date:
    return today - datetime.timedelta(days=START - offset)


def build(process: Process, groups: Mapping[str, Group], users: Mapping[str, User]) -> None:
    today = timezone.localdate()
    contact = groups["contact"]
    coordinator, member = users["demo-contact-coordinator"], users["demo-contact-member"]
    for sent, start, end, text in REPORTS:
        report = services.draft(
            author=coordinator,
            group=contact,
            period_from=_day(today, start),
            period_to=_day(today, end),
            occurred_on=_day(today, end),
        )
        services.edit_draft(report, by=coordinator, expected_version=1, changes={"text": text})
        report.refresh_from_db()
        for person in (member, coordinator):
            services.sign(report, by=person)
        # They signed in the days before sending it.
        signed = datetime.datetime.combine(_day(today, sent - 1), datetime.time(20, 0))
        Signoff.objects.filter(report=report).update(
            signed_at=timezone.make_aware(signed) if timezone.is_naive(signed) else signed
        )
        Event.objects.filter(about=report, code=Code.SIGNED).update(
            occurred_on=_day(today, sent - 1)
        )
        services.send(report, by=coordinator, sent_on=_day(today, sent))
    # The months since the last report: a draft the group is still writing.
    services.draft(
        author=member,
        group=contact,
        period_from=_day(today, 641),
        period_to=today,
    )
