"""The toy's part of the watchdog: proof that an app adds alert kinds, their
wording, their page and a tick hook without an edit in ``watch``."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator, Sequence

from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.processes.models import RecordAudience
from holdspace.tests.toy.models import Toy
from holdspace.watch import rules

TOY_DUE = "toy_due"
WAIT_DAYS = 7
# What the tick hook was given, for the tests.
TICKED: list[int] = []


def alerts(process_ids: Sequence[uuid.UUID], today: datetime.date) -> Iterator[rules.Alert]:
    """A toy is due a week after it happened, for the groups that read it."""
    readers: dict[uuid.UUID, set[uuid.UUID]] = {}
    for record_id, group_id in RecordAudience.objects.filter(
        record__process_id__in=process_ids, record__kind="toy"
    ).values_list("record_id", "group_id"):
        readers.setdefault(record_id, set()).add(group_id)
    for pk, process_id, on in Toy.objects.filter(process_id__in=process_ids).values_list(
        "pk", "process_id", "occurred_on"
    ):
        due = on + datetime.timedelta(days=WAIT_DAYS)
        who = frozenset(readers.get(pk, ()))
        yield from rules.alert(TOY_DUE, process_id, due, today, 3, subject=pk, groups=who)


def url(alert: rules.Alert, user: User) -> str:
    return reverse("hs-toy", args=[alert.subject])


def on_tick(alerts: Sequence[rules.Alert], today: datetime.date) -> int:
    TICKED.append(sum(alert.kind == TOY_DUE for alert in alerts))
    return 0
