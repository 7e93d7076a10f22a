"""Due dates for the watchdog: plain metadata, nothing else."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.utils import timezone

from holdspace.commitments import access, services
from holdspace.commitments.deadlines import (
    AGREEMENT_END,
    AGREEMENT_REVIEW,
    STEP_DUE,
    Deadline,
    deadlines,
    is_overdue,
)
from holdspace.commitments.models import Agreement, Step
from holdspace.testing import World, client_for
from holdspace.testing.commitments import add_records, soon
from holdspace.watch import rules

pytestmark = pytest.mark.django_db


def test_open_steps_and_agreements_in_force_give_their_dates(world: World) -> None:
    own, other = add_records(world)
    Agreement.objects.filter(pk=own.agreement.pk).update(review_on=soon(45))
    services.set_step_status(
        other.step, by=world.personas["contact-member"], status=Step.Status.DONE
    )
    Agreement.objects.filter(pk=other.plain_agreement.pk).update(status=Agreement.Status.ENDED)
    found = {(d.kind, d.record_id, d.due_on) for d in deadlines()}
    assert found == {
        (STEP_DUE, own.step.pk, soon()),
        (AGREEMENT_REVIEW, own.agreement.pk, soon(45)),
        (AGREEMENT_END, own.agreement.pk, soon(90)),
        (AGREEMENT_END, own.plain_agreement.pk, soon(90)),
        (AGREEMENT_END, other.agreement.pk, soon(90)),
    }
    mine = deadlines([world.process.pk])
    assert {d.process_id for d in mine} == {world.process.pk} and len(mine) == 4
    assert [d.due_on for d in mine] == sorted(d.due_on for d in mine)


def test_a_deadline_carries_no_content() -> None:
    names = {field.name for field in dataclasses.fields(Deadline)}
    assert names == {"kind", "process_id", "record_id", "due_on"}


@pytest.mark.parametrize(("days_ago", "overdue"), [(-1, False), (0, False), (1, True)])
def test_overdue_means_the_same_for_steps_agreements_reviews_and_the_watchdog(
    world: World, days_ago: int, overdue: bool
) -> None:
    """The day itself is due, not overdue; the day after, everything says overdue."""
    today = timezone.localdate()
    due = today - datetime.timedelta(days=days_ago)
    assert is_overdue(due, today) is overdue
    own, _other = add_records(world)
    Step.objects.filter(pk=own.step.pk).update(due_on=due)
    Agreement.objects.filter(pk=own.agreement.pk).update(review_on=due, ends_on=due)
    step = Step.objects.get(pk=own.step.pk)
    agreement = Agreement.objects.get(pk=own.agreement.pk)
    assert step.is_overdue(today) is overdue
    assert agreement.is_expired(today) is overdue
    assert agreement.review_overdue(today) is overdue
    assert (rules.severity(due, today, rules.LEAD_DAYS[rules.STEP_OVERDUE]) == rules.OVERDUE) is (
        overdue
    )
    summary = access.summary(world.personas["contact-member"], world.process)
    assert summary["steps_overdue"] == int(overdue)
    assert summary["agreements_in_force"] == 2 - int(overdue)
    page = client_for(world, "contact-member").get(f"/a/{agreement.pk}/").content.decode()
    assert ("overdue" in page) is overdue
    # What the calendar notes on the chronology agrees with the pages.
    assert services.note_due_dates(today) == 2 * int(overdue)


def test_nothing_without_a_due_date_is_overdue() -> None:
    assert not is_overdue(None, datetime.date(2026, 1, 1))
