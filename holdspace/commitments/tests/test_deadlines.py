"""Due dates for the watchdog: plain metadata, nothing else."""

from __future__ import annotations

import dataclasses

import pytest

from holdspace.commitments import services
from holdspace.commitments.deadlines import (
    AGREEMENT_END,
    AGREEMENT_REVIEW,
    STEP_DUE,
    Deadline,
    deadlines,
)
from holdspace.commitments.models import Agreement, Step
from holdspace.testing import World
from holdspace.testing.commitments import add_records, soon

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
