"""The form of the conclusion report with free text, for the canary (S1),
XSS (S31) and empty-optional-field tests: name -> (persona, how to fill it in)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from holdspace.testing import World, _posted


def _conclusion(world: World, client: Client, text: str) -> list[str]:
    """The support group begins the report, edits it and releases the
    edition for its own side."""
    from holdspace.conclusion.models import Conclusion, Edition

    texts = {"achieved": text, "not_achieved": f"not {text}", "lessons": f"lessons {text}"}
    _posted(client.post(f"/p/{world.process.pk}/conclusion/new/", texts))
    conclusion = Conclusion.objects.get(process=world.process)
    edited = {**texts, "occurred_on": conclusion.occurred_on.isoformat(), "version": 1}
    _posted(client.post(f"/cr/{conclusion.pk}/edit/", edited))
    _posted(client.post(f"/cr/{conclusion.pk}/release/", {"edition": "survivor"}))
    edition = Edition.objects.get(made_from=conclusion)
    return [f"/cr/{conclusion.pk}/", f"/ce/{edition.pk}/"]


CONCLUSION_FORMS: dict[str, tuple[str, Any]] = {
    "conclusion report, edit, edition": ("support-coordinator", _conclusion),
}
CONCLUSION_OPTIONAL: dict[str, set[str]] = {
    "conclusion report, edit, edition": {"achieved", "not_achieved", "lessons"},
}
