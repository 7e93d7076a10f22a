"""The forms of the closure app with free text, for the canary (S1), XSS
(S31) and empty-optional-field tests: name -> (persona, how to fill it in)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from holdspace.testing import World, _posted
from holdspace.testing.commitments import soon


def _closing(world: World, client: Client, text: str) -> list[str]:
    """Criteria, closing with every text, a declined statement, reopening."""
    from holdspace.closure.models import Closure, Reopening

    process = world.process.pk
    _posted(client.post(f"/p/{process}/closure/criteria/", {"criteria": text}))
    closing = {
        "criterion_0": "partly",
        "note_0": text,
        "reached": text,
        "not_reached": text,
        "statement": text,
        "kept": text,
        "delete_on": soon(30).isoformat(),
        "happened_on": soon(0).isoformat(),
    }
    _posted(client.post(f"/p/{process}/closure/close/", closing))
    closure = Closure.objects.get(process_id=process)
    if closure.statement_status == Closure.Statement.WAITING:
        answer = {"decision": "decline", "reason": text, "happened_on": soon(0).isoformat()}
        _posted(client.post(f"/p/{process}/closure/statement/", answer))
    pages = [f"/p/{process}/closure/", f"/cl/{closure.pk}/"]
    reopen = {"reasons": text, "happened_on": soon(0).isoformat()}
    _posted(client.post(f"/p/{process}/closure/reopen/", reopen))
    reopening = Reopening.objects.get(process_id=process)
    return [*pages, f"/ro/{reopening.pk}/"]


CLOSURE_FORMS: dict[str, tuple[str, Any]] = {
    "closure criteria, closing, statement, reopening": ("support-coordinator", _closing),
}
CLOSURE_OPTIONAL: dict[str, set[str]] = {
    "closure criteria, closing, statement, reopening": {
        "note_0",
        "not_reached",
        "statement",
        "kept",
    },
}
