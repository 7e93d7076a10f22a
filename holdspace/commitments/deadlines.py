"""Due dates of the letter, demands and agreements as plain metadata, for the
watchdog: kinds, ids, dates and statuses — never a word of content, and no
key needed to read them. And what "overdue" means, the same on every page."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

STEP_DUE = "step_due"
AGREEMENT_REVIEW = "agreement_review"
AGREEMENT_END = "agreement_end"


def is_overdue(due: datetime.date | None, today: datetime.date | None = None) -> bool:
    """The one meaning of overdue — for steps, agreements' ends and reviews,
    and the watchdog alike: the due day has passed. On the day itself a thing
    is due, not yet overdue; without a due date nothing is."""
    return due is not None and due < (today or timezone.localdate())


def overdue(field: str, today: datetime.date | None = None) -> Q:
    """:func:`is_overdue` as a query on the date ``field``."""
    return Q(**{f"{field}__lt": today or timezone.localdate()})


@dataclass(frozen=True)
class Deadline:
    kind: str
    process_id: uuid.UUID
    record_id: uuid.UUID
    due_on: datetime.date


def deadlines(process_ids: Iterable[uuid.UUID] | None = None) -> list[Deadline]:
    """Open steps' due dates, and the review and end dates of agreements in
    force, sorted by date."""
    from holdspace.commitments.models import Agreement, Step  # the models use is_overdue

    steps = Step.objects.filter(status=Step.Status.OPEN)
    agreements = Agreement.objects.filter(status=Agreement.Status.AGREED)
    if process_ids is not None:
        ids = list(process_ids)
        steps, agreements = steps.filter(process_id__in=ids), agreements.filter(process_id__in=ids)
    found = [
        Deadline(STEP_DUE, process_id, pk, due_on)
        for pk, process_id, due_on in steps.values_list("pk", "process_id", "due_on")
    ]
    for pk, process_id, review_on, ends_on in agreements.values_list(
        "pk", "process_id", "review_on", "ends_on"
    ):
        if review_on is not None:
            found.append(Deadline(AGREEMENT_REVIEW, process_id, pk, review_on))
        if ends_on is not None:
            found.append(Deadline(AGREEMENT_END, process_id, pk, ends_on))
    return sorted(found, key=lambda deadline: (deadline.due_on, deadline.kind))
