"""Reminders for him, through the watchdog (holdspace.watch.sources), from
plain metadata only — dates, statuses, ids — never a word of content:

- ``portal_step_due``: a step addressed to him, still open, shown 7 days
  before its due date and while it is overdue;
- ``portal_meeting_soon``: a meeting with him addressed to him, shown 7 days
  before it; gone once its day has passed.

Each alert is for his account alone (``users``, never ``groups``): members
never see his alerts, and he sees none of theirs (his account is in no
group, S44). His reminder e-mail says only "something needs your attention".
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator, Sequence

from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.commitments.models import Step
from holdspace.contact.models import Contact, Meeting
from holdspace.processes.models import Party
from holdspace.watch import rules

PORTAL_STEP_DUE = "portal_step_due"
PORTAL_MEETING_SOON = "portal_meeting_soon"
LEAD_DAYS = {PORTAL_STEP_DUE: 7, PORTAL_MEETING_SOON: 7}


def alerts(process_ids: Sequence[uuid.UUID], today: datetime.date) -> Iterator[rules.Alert]:
    """His alerts in those processes, in three queries however many there are."""
    accounts = {
        process_id: frozenset({account_id})
        for process_id, account_id in Party.objects.filter(
            process_id__in=process_ids, role=Party.Role.HARMING, account__isnull=False
        ).values_list("process_id", "account_id")
    }
    if not accounts:
        return
    steps = Step.objects.filter(
        process_id__in=list(accounts), to_harming_party=True, status=Step.Status.OPEN
    ).values_list("pk", "process_id", "due_on")
    for pk, process_id, due in steps:
        yield from rules.alert(
            PORTAL_STEP_DUE, process_id, due, today, LEAD_DAYS[PORTAL_STEP_DUE],
            subject=pk, users=accounts[process_id],
        )  # fmt: skip
    meetings = Meeting.objects.filter(
        process_id__in=list(accounts),
        to_harming_party=True,
        internal=False,
        counterpart=Contact.Counterpart.HARMING,
        outcome=Meeting.Outcome.SCHEDULED,
        occurred_on__gte=today,
    ).values_list("pk", "process_id", "occurred_on")
    for pk, process_id, on in meetings:
        yield from rules.alert(
            PORTAL_MEETING_SOON, process_id, on, today, LEAD_DAYS[PORTAL_MEETING_SOON],
            subject=pk, users=accounts[process_id],
        )  # fmt: skip


def url(alert: rules.Alert, user: User) -> str:
    if alert.kind == PORTAL_MEETING_SOON:
        return reverse("hs-portal-meetings")
    return reverse("hs-portal-demands")
