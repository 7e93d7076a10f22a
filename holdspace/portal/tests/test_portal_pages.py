"""His portal (S16, S44): he sees what is addressed to him, field by field,
and nothing else; every member and the survivor get 404 on his pages; what
he writes lands in the contact group's space only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.circle.models import Duty
from holdspace.portal.models import Answer
from holdspace.portal.tests.helpers import HIDDEN, SHOWN, day, message, portal_world
from holdspace.processes import access
from holdspace.testing import GROUP_KINDS, World, assert_pages_well_structured, client_for

pytestmark = pytest.mark.django_db

PAGES = (
    "hs-portal",
    "hs-portal-demands",
    "hs-portal-agreements",
    "hs-portal-meetings",
    "hs-portal-messages",
    "hs-portal-write",
    "hs-portal-told",
)
MEMBERS = [f"{kind}-{role}" for kind in GROUP_KINDS for role in ("coordinator", "member")]


def _everything(world: World, client: object) -> bytes:
    pages = [reverse(name) for name in PAGES]
    content = b""
    for url in pages:
        response = client.get(url)  # type: ignore[attr-defined]  # a test client
        assert response.status_code == 200, url
        content += response.content
    return content


def test_it_shows_him_what_is_addressed_to_him_and_nothing_else_S16(world: World) -> None:
    made = portal_world(world)
    client = client_for(world, "portal")
    content = _everything(world, client)
    content += client.get(reverse("hs-portal-message", args=[made.sent.pk])).content
    for text in SHOWN:
        assert text.encode() in content, text
    for text in HIDDEN:
        assert text.encode() not in content, text
    # No member's name, no group's name, no note of any group.
    for persona in MEMBERS:
        assert world.personas[persona].username.encode() not in content, persona
    for group in world.groups.values():
        assert str(group.name).encode() not in content
    for note in world.notes.values():
        assert str(note.title).encode() not in content


def test_an_unsent_message_does_not_reach_him(world: World) -> None:
    made = portal_world(world)
    client = client_for(world, "portal")
    assert client.get(reverse("hs-portal-message", args=[made.sent.pk])).status_code == 200
    assert client.get(reverse("hs-portal-message", args=[made.unsent.pk])).status_code == 404
    # Nor a record of another kind addressed to him (the shared note).
    assert client.get(reverse("hs-portal-message", args=[world.shared_note.pk])).status_code == 404


@pytest.mark.parametrize("persona", [*MEMBERS, "survivor", "admin", "outsider"])
def test_his_pages_refuse_everyone_else_S44(world: World, persona: str) -> None:
    made = portal_world(world)
    client = client_for(world, persona)
    for url in [reverse(name) for name in PAGES] + [
        reverse("hs-portal-message", args=[made.sent.pk])
    ]:
        assert client.get(url).status_code == 404, url


def test_the_internal_pages_refuse_him_S44(world: World) -> None:
    made = portal_world(world)
    client = client_for(world, "portal")
    for name in ("hs-message", "hs-message-send", "hs-message-edit"):
        assert client.get(reverse(name, args=[made.sent.pk])).status_code == 404, name
    group = world.groups["contact"].pk
    assert client.get(reverse("hs-message-new", args=[group])).status_code == 404


def test_a_reflection_lands_on_the_contact_groups_chronology_only(world: World) -> None:
    made = portal_world(world)
    client = client_for(world, "portal")
    response = client.post(
        reverse("hs-portal-write"),
        {"answer_kind": "reflection", "about": str(made.meeting.pk), "body": "What I thought."},
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.about_id == made.meeting.pk
    assert answer.author_group == world.groups["contact"]
    assert answer.occurred_on == day(0)
    contact_member = world.personas["contact-member"]
    assert answer.pk in {r.pk for r in access.timeline_for(contact_member, world.process)}
    for persona in ("support-member", "support-coordinator", "supervision-member"):
        visible = access.timeline_for(world.personas[persona], world.process)
        assert answer.pk not in {r.pk for r in visible}, persona
    page = client_for(world, "contact-member").get(f"/p/{world.process.pk}/timeline/")
    assert b"From him, through the portal" in page.content
    # He reads it again on his own page, with what it was about.
    mine = client.get(reverse("hs-portal-messages")).content
    assert b"What I thought." in mine


def test_he_can_only_write_about_his_own_upcoming_meetings_and_open_steps(world: World) -> None:
    made = portal_world(world)
    client = client_for(world, "portal")
    for about in (made.internal_meeting.pk, made.unsent.pk, world.notes["contact"].pk):
        response = client.post(
            reverse("hs-portal-write"),
            {"answer_kind": "progress", "about": str(about), "body": "Hello"},
        )
        assert response.status_code == 200
        assert b"Please choose" in response.content
    assert not Answer.objects.exists()


def test_a_reply_answers_the_message(world: World) -> None:
    made = portal_world(world)
    client = client_for(world, "portal")
    url = reverse("hs-portal-message", args=[made.sent.pk])
    assert client.post(url, {"body": "Thank you, I will come."}).status_code == 302
    reply = Answer.objects.get()
    assert (reply.answer_kind, reply.about_id) == (Answer.Kind.REPLY, made.sent.pk)
    assert b"Thank you, I will come." in client.get(url).content
    page = client_for(world, "contact-member").get(reverse("hs-message", args=[made.sent.pk]))
    assert b"Thank you, I will come." in page.content


def test_telling_someone_new_records_a_duty_for_the_contact_group(world: World) -> None:
    client = client_for(world, "portal")
    response = client.post(
        reverse("hs-portal-told"),
        {"description": "The new choir, through its contact person.", "told_on": str(day(-2))},
    )
    assert response.status_code == 302
    duty = Duty.objects.get()
    assert duty.author_group == world.groups["contact"]
    assert duty.occurred_on == day(-2)
    assert not duty.to_harming_party
    told = Answer.objects.get()
    assert (told.answer_kind, told.about_id) == (Answer.Kind.TOLD, duty.pk)
    assert b"The new choir" in client.get(reverse("hs-portal-messages")).content


def test_a_told_day_in_the_future_is_refused(world: World) -> None:
    client = client_for(world, "portal")
    response = client.post(
        reverse("hs-portal-told"), {"description": "My partner.", "told_on": str(day(3))}
    )
    assert response.status_code == 200
    assert b"My partner." in response.content
    assert not Duty.objects.exists()


def test_every_portal_page_is_well_structured(world: World) -> None:
    made = portal_world(world)
    message(world, "A second message.")
    urls = [reverse(name) for name in PAGES]
    urls.append(reverse("hs-portal-message", args=[made.sent.pk]))
    assert_pages_well_structured(world, urls, ("portal",))
