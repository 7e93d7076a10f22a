"""The forms of the circle app with free text, for the canary (S1), XSS
(S31) and empty-optional-field tests: name -> (persona, how to fill it in)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from holdspace.testing import World, _posted
from holdspace.testing.commitments import soon


def _person(world: World, client: Client, text: str) -> tuple[Any, list[str]]:
    from holdspace.circle.models import Person

    group = world.groups["contact"]
    data = {
        "relation": "partner",
        "name": text,
        "relation_note": text,
        "stance": "unsure",
        "may_contact": "yes",
        "occurred_on": soon(-10).isoformat(),
        "share_with": [world.groups["support"].pk],
    }
    _posted(client.post(f"/g/{group.pk}/people/new/", data))
    person = Person.objects.latest("created_at")
    edit = {
        "relation": "partner",
        "name": f"{text} 2",
        "relation_note": text,
        "occurred_on": soon(-9).isoformat(),
        "version": 1,
    }
    _posted(client.post(f"/pe/{person.pk}/edit/", edit))
    process = world.process.pk
    return person, [f"/pe/{person.pk}/", f"/r/{person.pk}/history/", f"/p/{process}/timeline/"]


def _person_pages(world: World, client: Client, text: str) -> list[str]:
    return _person(world, client, text)[1] + [f"/p/{world.process.pk}/surroundings/"]


def _informing(world: World, client: Client, text: str) -> list[str]:
    """Planned outside any consent (so the survivor's side is asked), then
    edited; the approval and what happened are the next form's."""
    from holdspace.circle.models import Informing

    person, _pages = _person(world, client, "Someone")
    data = {
        "status": "planned",
        "occurred_on": soon(3).isoformat(),
        "told_by": text,
        "channel": "in_person",
        "material": "letter",
        "material_note": text,
        "share_with": [world.groups["support"].pk],
    }
    _posted(client.post(f"/pe/{person.pk}/inform/", data))
    informing = Informing.objects.latest("created_at")
    edit = {
        "occurred_on": soon(2).isoformat(),
        "told_by": f"{text} 2",
        "material_note": text,
        "version": 1,
    }
    _posted(client.post(f"/in/{informing.pk}/edit/", edit))
    return [f"/in/{informing.pk}/", f"/r/{informing.pk}/history/", f"/pe/{person.pk}/"]


def _approval_and_outcome(world: World, client: Client, text: str) -> list[str]:
    """The survivor's side declines with a reason, is asked again, approves;
    then what happened, with their reaction."""
    from holdspace.circle.models import Informing
    from holdspace.circle.services import add_person, ask_approval, plan_informing
    from holdspace.vault.keyring import using

    support, contact = world.groups["support"], world.groups["contact"]
    member = world.personas["contact-member"]
    with using(world.keyring):
        person = add_person(
            author=member, group=contact, relation="friend", name="Someone", audience=[support]
        )
        informing = plan_informing(
            author=member,
            group=contact,
            whom=person,
            told_by="Two of us",
            channel=Informing.Channel.CALL,
            material=Informing.Material.PERSPECTIVE,
            occurred_on=soon(-1),
        )
    url = f"/in/{informing.pk}/approval/"
    _posted(client.post(url, {"decision": "decline", "reason": text}))
    with using(world.keyring):
        ask_approval(informing, by=member, group=contact)
    _posted(client.post(url, {"decision": "approve", "reason": ""}))
    outcome = {"outcome": "carried_out", "reaction": text, "followed": text}
    _posted(client.post(f"/in/{informing.pk}/outcome/", outcome))
    return [f"/in/{informing.pk}/", f"/p/{world.process.pk}/timeline/"]


def _duty(world: World, client: Client, text: str) -> list[str]:
    from holdspace.circle.models import Duty

    group = world.groups["contact"]
    data = {
        "description": text,
        "occurred_on": soon(-5).isoformat(),
        "comment": text,
        "share_with": [world.groups["support"].pk],
    }
    _posted(client.post(f"/g/{group.pk}/duties/new/", data))
    duty = Duty.objects.latest("created_at")
    edit = {
        "description": f"{text} 2",
        "occurred_on": soon(-4).isoformat(),
        "comment": text,
        "version": 1,
    }
    _posted(client.post(f"/du/{duty.pk}/edit/", edit))
    _posted(client.post(f"/du/{duty.pk}/confirm/", {"confirmation": "confirmed"}))
    return [f"/du/{duty.pk}/", f"/r/{duty.pk}/history/", f"/p/{world.process.pk}/surroundings/"]


def _consent(world: World, client: Client, text: str) -> list[str]:
    from holdspace.circle.models import Consent

    group = world.groups["support"]
    data = {
        "whom": "everyone",
        "may_know": "letter",
        "embargo_until": soon(20).isoformat(),
        "occurred_on": soon(-1).isoformat(),
        "comment": text,
        "share_with": [world.groups["contact"].pk],
    }
    _posted(client.post(f"/g/{group.pk}/consent/new/", data))
    consent = Consent.objects.latest("created_at")
    _posted(client.post(f"/co/{consent.pk}/edit/", {"comment": f"{text} 2", "version": 1}))
    process = world.process.pk
    return [f"/co/{consent.pk}/", f"/r/{consent.pk}/history/", f"/p/{process}/timeline/"]


CIRCLE_FORMS: dict[str, tuple[str, Any]] = {
    "person around him, edit": ("contact-member", _person_pages),
    "informing, edit": ("contact-member", _informing),
    "informing approval, outcome": ("support-member", _approval_and_outcome),
    "duty to inform, edit": ("contact-member", _duty),
    "consent to tell, edit": ("support-member", _consent),
}
# For each form above, the optional free-text fields that may be sent empty.
CIRCLE_OPTIONAL: dict[str, set[str]] = {
    "person around him, edit": {"relation_note"},
    "informing, edit": {"material_note"},
    "informing approval, outcome": {"reaction", "followed"},
    "duty to inform, edit": {"comment"},
    "consent to tell, edit": {"comment"},
}
