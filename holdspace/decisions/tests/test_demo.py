"""The demo process shows decisions of every kind, and their alerts."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from holdspace.decisions.models import Answer, Decision, Ladder, NonCooperation

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_ladder_its_draft_and_decisions_of_every_kind(tmp_path: Path) -> None:
    call_command("demo", credentials=str(tmp_path / "c.json"))
    ladder = Ladder.objects.get()
    assert ladder.is_agreed and ladder.agreed_by is not None
    # The last missed meeting opened the first agreed step, as a draft.
    draft = Decision.objects.get(
        status=Decision.Status.DRAFT, ladder_kind=NonCooperation.MISSED_MEETINGS
    )
    assert draft.ladder_position == 1 and draft.about.filter(kind="meeting").exists()
    inform = Decision.objects.get(topic=Decision.Topic.INFORM)
    assert inform.is_decided and inform.trust_built and inform.gaining_power
    (open_round,) = Decision.objects.filter(status=Decision.Status.OPEN)
    answers = list(Answer.objects.filter(decision=open_round).values_list("answer", flat=True))
    assert sorted(answers) == ["agree", "object"]
    out = io.StringIO()
    call_command("watch", json=True, stdout=out)
    kinds = {row["kind"] for row in json.loads(out.getvalue())["alerts"]}
    assert {"decision_due", "decision_review_due", "meeting_no_show"} <= kinds
