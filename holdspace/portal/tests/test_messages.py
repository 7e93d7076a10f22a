"""Messages to him, for the group carrying contact: written for the group
only, sent deliberately once (S52), never changed afterwards."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.audit.models import Entry
from holdspace.portal import services
from holdspace.portal.models import Answer, Message
from holdspace.portal.tests.helpers import message, party, portal_world
from holdspace.processes.services import Refused
from holdspace.testing import World, assert_pages_well_structured, client_for
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db


def test_a_contact_member_writes_a_message_that_waits_for_sending(world: World) -> None:
    client = client_for(world, "contact-member")
    url = reverse("hs-message-new", args=[world.groups["contact"].pk])
    response = client.post(url, {"body": "Hello, here is the next date."})
    assert response.status_code == 302
    written = Message.objects.get()
    assert not written.is_sent
    assert not written.to_harming_party
    assert {g.pk for g in written.audience_groups.all()} == {world.groups["contact"].pk}
    portal = client_for(world, "portal").get(reverse("hs-portal-messages"))
    assert b"here is the next date" not in portal.content


def test_only_the_group_carrying_contact_writes_messages(world: World) -> None:
    client = client_for(world, "support-member")
    url = reverse("hs-message-new", args=[world.groups["support"].pk])
    response = client.post(url, {"body": "From the wrong group."})
    assert response.status_code == 200
    assert b"carries contact" in response.content
    assert not Message.objects.exists()
    with pytest.raises(Refused), using(world.keyring):
        services.write_message(
            author=world.personas["support-member"], group=world.groups["support"], body="No"
        )


def test_sending_twice_sends_once_S52(world: World) -> None:
    unsent = message(world, "Please write before we meet.", send=False)
    client = client_for(world, "contact-member")
    url = reverse("hs-message-send", args=[unsent.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    unsent.refresh_from_db()
    first = unsent.sent_at
    assert unsent.is_sent and unsent.to_harming_party
    again = client.post(url, follow=True)
    assert b"already sent" in again.content
    unsent.refresh_from_db()
    assert unsent.sent_at == first
    assert Entry.objects.filter(action="message.sent").count() == 1
    portal = client_for(world, "portal").get(reverse("hs-portal-message", args=[unsent.pk]))
    assert b"Please write before we meet." in portal.content


def test_a_sent_message_is_never_edited(world: World) -> None:
    sent = message(world, "The date is fixed.")
    client = client_for(world, "contact-coordinator")
    url = reverse("hs-message-edit", args=[sent.pk])
    response = client.get(url, follow=True)
    assert b"already sent" in response.content
    response = client.post(url, {"body": "Changed.", "version": sent.version}, follow=True)
    assert b"already sent" in response.content
    sent.refresh_from_db()
    assert sent.body == "The date is fixed."
    with pytest.raises(Refused), using(world.keyring):
        services.edit_message(
            sent, by=world.personas["contact-coordinator"], expected_version=sent.version, body="X"
        )


def test_an_unsent_message_can_be_edited_and_keeps_its_earlier_text(world: World) -> None:
    draft = message(world, "First words.", send=False)
    client = client_for(world, "contact-coordinator")
    url = reverse("hs-message-edit", args=[draft.pk])
    assert client.post(url, {"body": "Better words.", "version": draft.version}).status_code == 302
    draft.refresh_from_db()
    assert draft.body == "Better words."
    assert draft.revisions.count() == 1


def test_an_edit_opened_before_sending_changes_nothing_S38(world: World) -> None:
    draft = message(world, "First words.", send=False)
    opened_at = draft.version
    with using(world.keyring):
        services.send_message(draft, by=world.personas["contact-coordinator"])
    client = client_for(world, "contact-coordinator")
    url = reverse("hs-message-edit", args=[draft.pk])
    client.post(url, {"body": "Too late.", "version": opened_at})
    draft.refresh_from_db()
    assert draft.body == "First words."


def test_other_groups_see_nothing_of_the_messages(world: World) -> None:
    made = portal_world(world)
    support = client_for(world, "support-member")
    assert support.get(reverse("hs-message", args=[made.sent.pk])).status_code == 404
    page = support.get(f"/p/{world.process.pk}/").content
    assert b"Messages to him" not in page
    contact = client_for(world, "contact-member").get(f"/p/{world.process.pk}/").content
    assert b"Messages to him" in contact
    assert reverse("hs-message-new", args=[world.groups["contact"].pk]).encode() in contact


def test_his_answer_shows_what_it_is_about(world: World) -> None:
    made = portal_world(world)
    with using(world.keyring):
        answer = services.write_answer(
            party(world),
            by=world.personas["portal"],
            kind=Answer.Kind.REFLECTION,
            body="Before we meet.",
            about=made.meeting,
        )
    page = client_for(world, "contact-member").get(reverse("hs-answer", args=[answer.pk]))
    assert b"Before we meet." in page.content
    assert made.meeting.get_absolute_url().encode() in page.content
    assert client_for(world, "support-member").get(page.request["PATH_INFO"]).status_code == 404


def test_every_message_page_is_well_structured(world: World) -> None:
    made = portal_world(world)
    with using(world.keyring):
        answer = services.write_answer(
            party(world), by=world.personas["portal"], kind=Answer.Kind.REPLY, body="Yes.",
            about=made.sent,
        )  # fmt: skip
    urls = [
        reverse("hs-message-new", args=[world.groups["contact"].pk]),
        reverse("hs-message", args=[made.sent.pk]),
        reverse("hs-message", args=[made.unsent.pk]),
        reverse("hs-message-edit", args=[made.unsent.pk]),
        reverse("hs-message-send", args=[made.unsent.pk]),
        reverse("hs-answer", args=[answer.pk]),
        f"/p/{world.process.pk}/",
        f"/p/{world.process.pk}/timeline/",
    ]
    assert_pages_well_structured(world, urls, ("contact-coordinator",))


def test_who_can_read_it_never_unsends_a_message_nor_sends_a_draft(world: World) -> None:
    """The page for a record's readers leaves his portal alone for messages:
    only the deliberate step sends one, and nothing takes it back."""
    sent = message(world, "The date stands.", send=True)
    draft = message(world, "Not ready yet.", send=False)
    client = client_for(world, "contact-coordinator")
    for record, flag in ((sent, True), (draft, False)):
        url = reverse("hs-record-audience", args=[record.pk])
        page = client.get(url).content.decode()
        assert 'name="to_harming_party"' not in page
        posted = {"groups": [world.groups["supervision"].pk], "to_harming_party": "on"}
        if flag:
            posted.pop("to_harming_party")
        assert client.post(url, posted).status_code == 302
        record.refresh_from_db()
        assert record.to_harming_party is flag
    portal = client_for(world, "portal")
    assert portal.get(reverse("hs-portal-message", args=[sent.pk])).status_code == 200
    assert portal.get(reverse("hs-portal-message", args=[draft.pk])).status_code == 404
