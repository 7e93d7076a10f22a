"""Writing the conclusion report and releasing its editions.

Each function is one transaction with its audit entry (content-free); the
callers have passed the access core.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.conclusion import access, build
from holdspace.conclusion.models import Audience, Conclusion, Edition
from holdspace.processes import services as core
from holdspace.processes import writes
from holdspace.processes.models import Group, Process
from holdspace.processes.services import Refused

ALREADY_BEGUN = _("This process already has a conclusion report. Nothing new was begun.")
ALREADY_RELEASED = _(
    "This edition was released on %(date)s. A released edition does not change; "
    "nothing was changed."
)


@dataclass(frozen=True)
class Written:
    """What the group writes itself."""

    achieved: str
    not_achieved: str
    lessons: str
    occurred_on: datetime.date | None = None


def begin(process: Process, *, by: User, group: Group, written: Written) -> Conclusion:
    """Begin the report of ``process`` in ``group`` (one that steers it).

    Raises Refused when the process already has one (checked with the
    process's row locked, so two people beginning at once make one report)."""
    with transaction.atomic():
        writes.lock(process)
        if access.conclusion_of(process) is not None:
            raise Refused(ALREADY_BEGUN)
        day = core.day_it_happened(written.occurred_on, core.since_the_start(process))
        conclusion = core.create_record(
            Conclusion,
            author=by,
            group=group,
            texts={
                "achieved": written.achieved,
                "not_achieved": written.not_achieved,
                "lessons": written.lessons,
            },
            occurred_on=day,
        )
        core.audit_record("conclusion.begun", by=by, record=conclusion)
    return conclusion


def release(conclusion: Conclusion, edition: str, *, by: User) -> Edition:
    """Freeze the edition ``edition`` as ``by`` may draw it now, for its
    audience (and the writing group) to read.

    Raises Refused when it was released before (checked with the report's row
    locked: two people releasing at once release it once)."""
    if edition not in Audience.values:
        raise Refused(_("Choose one of the three editions."))
    with transaction.atomic():
        writes.lock(conclusion)
        before = Edition.objects.filter(made_from=conclusion, made_for=edition).first()
        if before is not None:
            day = formats.date_format(timezone.localtime(before.released_at), "DATE_FORMAT")
            raise Refused(ALREADY_RELEASED % {"date": day})
        content = build.draw(by, conclusion, edition)
        released = core.create_record(
            Edition,
            author=by,
            group=conclusion.author_group,
            audience=access.audience_groups(conclusion.process_id, edition),
            texts={"content": json.dumps(content)},
            made_from=conclusion,
            made_for=edition,
            occurred_on=timezone.localdate(),
        )
        core.audit_record("conclusion.released", by=by, record=conclusion, target=released)
    return released
