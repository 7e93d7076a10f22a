"""The forms of the decisions app with free text, for the canary (S1), XSS
(S31) and empty-optional-field tests: name -> (persona, how to fill it in)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from holdspace.testing import World, _posted
from holdspace.testing.commitments import soon


def _decision(world: World, client: Client, text: str) -> list[str]:
    """A "whom to inform" proposal with options, an answer with a reason,
    the outcome, and a replacement."""
    from holdspace.decisions.models import Decision

    process = world.process.pk
    proposal = {
        "topic": "inform",
        "proposal": text,
        "reasons": text,
        "inform_whom": text,
        "trust_built": "yes",
        "gaining_power": "unsure",
        "criteria_reasoning": text,
        "options": f"{text}\nanother {text}",
        "asked": [world.groups["support"].pk],
        "deadline": soon(7).isoformat(),
        "proposed_on": soon(0).isoformat(),
    }
    _posted(client.post(f"/p/{process}/decisions/new/", proposal))
    decision = Decision.objects.latest("created_at")
    _posted(client.post(f"/dc/{decision.pk}/answer/", {"answer": "agree", "reason": text}))
    option = decision.options.filter(position=1).first()  # none when options are left empty
    outcome = {
        "result": f"option-{option.pk}" if option else "adopted",
        "outcome": text,
        "outcome_reasons": text,
        "decided_on": soon(0).isoformat(),
        "review_on": soon(30).isoformat(),
    }
    _posted(client.post(f"/dc/{decision.pk}/outcome/", outcome))
    _posted(client.post(f"/dc/{decision.pk}/replace/", {**proposal, "options": ""}))
    later = Decision.objects.latest("created_at")
    return [f"/dc/{decision.pk}/", f"/dc/{later.pk}/", f"/p/{process}/decisions/"]


def _ladder(world: World, client: Client, text: str) -> list[str]:
    """The contact group's steps, agreed through a prepared decision."""
    from holdspace.decisions.models import Decision, Ladder

    group = world.groups["contact"]
    steps = {"missed_meetings": f"{text}\nanother {text}", "slow_replies": text}
    _posted(client.post(f"/g/{group.pk}/ladder/new/", steps))
    ladder = Ladder.objects.get(keeper=group)
    _posted(client.post(f"/ld/{ladder.pk}/edit/", {**steps, "breach": text, "version": 1}))
    _posted(client.post(f"/ld/{ladder.pk}/agree/"))
    draft = Decision.objects.latest("created_at")
    prepared = {
        "topic": "ladder",
        "proposal": text,
        "reasons": text,
        "options": "",
        "deadline": soon(7).isoformat(),
    }
    _posted(client.post(f"/dc/{draft.pk}/prepare/", prepared))
    process = world.process.pk
    return [f"/p/{process}/ladder/", f"/dc/{draft.pk}/", f"/p/{process}/timeline/"]


DECISIONS_FORMS: dict[str, tuple[str, Any]] = {
    "decision, answer, outcome, replacement": ("contact-coordinator", _decision),
    "ladder, edit, prepared decision": ("contact-coordinator", _ladder),
}
# For each form above, the optional free-text fields that may be sent empty.
DECISIONS_OPTIONAL: dict[str, set[str]] = {
    "decision, answer, outcome, replacement": {"reasons", "reason", "options"},
    "ladder, edit, prepared decision": {"slow_replies", "breach", "reasons"},
}
