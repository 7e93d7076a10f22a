"""Drafts of long forms: kept while writing, shown again, gone once saved
(issue 12)."""

from __future__ import annotations

import secrets

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Draft
from holdspace.processes.models import Membership
from holdspace.testing import World, client_for, log_in_through_forms, stored_bytes
from holdspace.testing.world import fresh_world

pytestmark = pytest.mark.django_db

SAVE = reverse("hs-draft-save")
NOTE = b"This form holds a draft you were writing earlier."


def _url(world: World) -> str:
    return reverse("hs-note-new", args=[world.groups["support"].pk])


def _draft(client: Client, url: str, text: str, **extra: str) -> None:
    response = client.post(SAVE, {"hs_draft_for": url, "title": "Minutes", "body": text, **extra})
    assert response.status_code == 204


def test_a_draft_comes_back_with_a_note_and_a_way_to_discard_it(world: World) -> None:
    text = f"An hour of minutes {secrets.token_hex(6)}"
    client = client_for(world, "support-member")
    _draft(client, _url(world), text)
    page = client.get(_url(world))
    assert text.encode() in page.content
    assert NOTE in page.content
    assert b"Discard this draft" in page.content


def test_discarding_empties_the_form(world: World) -> None:
    text = f"Not this {secrets.token_hex(6)}"
    client = client_for(world, "support-member")
    _draft(client, _url(world), text)
    response = client.post(reverse("hs-draft-discard"), {"next": _url(world)})
    assert response["Location"] == _url(world)
    page = client.get(_url(world))
    assert text.encode() not in page.content and NOTE not in page.content
    assert b"The draft is discarded." in page.content


def test_saving_the_form_deletes_the_draft(world: World) -> None:
    text = f"Saved at last {secrets.token_hex(6)}"
    client = client_for(world, "support-member")
    _draft(client, _url(world), text)
    token = "t" * 24
    response = client.post(
        _url(world),
        {"occurred_on": "2026-01-05", "title": "Minutes", "body": text, "submission": token},
    )
    assert response.status_code == 302
    assert not Draft.objects.exists()
    # A last draft still on its way after the save does not bring it back.
    _draft(client, _url(world), text, submission=token)
    assert not Draft.objects.exists()
    assert NOTE not in client.get(_url(world)).content


def test_another_account_never_sees_it(world: World) -> None:
    text = f"Mine alone {secrets.token_hex(6)}"
    _draft(client_for(world, "support-member"), _url(world), text)
    page = client_for(world, "support-coordinator").get(_url(world))
    assert page.status_code == 200
    assert text.encode() not in page.content and NOTE not in page.content


def test_it_is_not_shown_once_access_was_lost(world: World) -> None:
    text = f"Gone {secrets.token_hex(6)}"
    client = client_for(world, "support-member")
    _draft(client, _url(world), text)
    user = world.personas["support-member"]
    Membership.objects.filter(user=user, group=world.groups["support"]).delete()
    page = client.get(_url(world))
    assert page.status_code == 404 and text.encode() not in page.content


def test_nothing_is_kept_for_what_is_not_a_page(world: World) -> None:
    client = client_for(world, "support-member")
    _draft(client, "/no/such/page/", "text")
    _draft(client, "https://example.org/", "text")
    assert not Draft.objects.exists()


def test_sending_drafts_does_not_keep_the_session_alive_S25(world: World) -> None:
    client = Client()
    with time_machine.travel("2026-11-22 23:00:00", tick=False) as traveller:
        log_in_through_forms(client, world.personas["support-member"])
        for _ in range(3):
            traveller.shift(10 * 60)
            client.post(SAVE, {"hs_draft_for": _url(world), "body": "still here"})
        traveller.shift(60)
        assert client.get(reverse("hs-dashboard")).status_code == 302


def test_forms_with_text_areas_send_drafts(world: World) -> None:
    page = client_for(world, "support-member").get(_url(world))
    assert b"holdspace/drafts.js" in page.content
    assert b'data-hs-draft-url="/account/drafts/save/"' in page.content


@pytest.mark.skipif(connection.vendor != "sqlite", reason="searches the SQLite files")
@pytest.mark.django_db(transaction=True)
def test_a_draft_is_never_stored_in_the_clear_S1(
    transactional_db: None, caplog: pytest.LogCaptureFixture
) -> None:
    canary = f"canary-{secrets.token_hex(8)}"
    with fresh_world() as world, caplog.at_level("DEBUG"):
        client = client_for(world, "support-member")
        _draft(client, _url(world), canary)
        assert Draft.objects.exists()
        stored = stored_bytes()
        for variant in (canary, canary.upper(), canary.encode().hex(), _url(world)):
            assert variant.encode() not in stored
        assert canary.encode() in client.get(_url(world)).content
    assert canary not in caplog.text
