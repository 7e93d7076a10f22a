"""The forms of the portal with free text, for the canary (S1), XSS (S31)
and empty-optional-field tests: name -> (persona, how to fill it in)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from holdspace.testing import World, _posted
from holdspace.testing.commitments import soon


def _message(world: World, client: Client, text: str) -> list[str]:
    """A message to him, written, edited and sent by the contact group."""
    from holdspace.portal.models import Message

    group = world.groups["contact"]
    _posted(client.post(f"/g/{group.pk}/message/new/", {"body": f"first {text}"}))
    message = Message.objects.latest("created_at")
    _posted(client.post(f"/pm/{message.pk}/edit/", {"body": text, "version": message.version}))
    _posted(client.post(f"/pm/{message.pk}/send/"))
    return [f"/pm/{message.pk}/", f"/p/{world.process.pk}/timeline/"]


def _his_answers(world: World, client: Client, text: str) -> list[str]:
    """What he writes in his portal: a reflection, a reply to a message, and
    whom he told."""
    from holdspace.portal import services
    from holdspace.processes.models import Party
    from holdspace.testing import keyring_of
    from holdspace.vault.keyring import using

    coordinator = world.personas["contact-coordinator"]
    with using(keyring_of(coordinator)):
        message = services.write_message(
            author=coordinator, group=world.groups["contact"], body="Please write back."
        )
        services.send_message(message, by=coordinator)
    assert world.process.parties.get(role=Party.Role.HARMING).account == world.personas["portal"]
    _posted(client.post("/portal/write/", {"answer_kind": "reflection", "about": "", "body": text}))
    _posted(client.post(f"/portal/messages/{message.pk}/", {"body": text}))
    _posted(client.post("/portal/told/", {"description": text, "told_on": soon(0).isoformat()}))
    return ["/portal/messages/", f"/portal/messages/{message.pk}/"]


PORTAL_FORMS: dict[str, tuple[str, Any]] = {
    "message to him, edit, send": ("contact-coordinator", _message),
    "his reflection, reply, whom he told": ("portal", _his_answers),
}
PORTAL_OPTIONAL: dict[str, set[str]] = {
    "message to him, edit, send": set(),
    "his reflection, reply, whom he told": set(),
}
