"""The letter: versions kept, and a register of numbered copies so the group
knows who holds which version."""

from __future__ import annotations

import pytest
from django.test import Client

from holdspace.commitments.events import Code
from holdspace.commitments.models import Letter, LetterCopy
from holdspace.processes.models import Event
from holdspace.testing import World, assert_refused, client_for, database_snapshot

pytestmark = pytest.mark.django_db


def _write(client: Client, world: World) -> Letter:
    response = client.post(
        f"/g/{world.groups['support'].pk}/letter/new/",
        {"occurred_on": "2026-03-01", "title": "To the cooperative", "body": "First version."},
    )
    letter = Letter.objects.get()
    assert response["Location"] == f"/l/{letter.pk}/"
    return letter


def test_copies_are_numbered_and_keep_the_version_they_had(world: World) -> None:
    client = client_for(world, "support-member")
    letter = _write(client, world)
    copy = {"recipient": "K., in person", "handed_on": "2026-03-02", "form": "printed"}
    client.post(f"/l/{letter.pk}/copies/new/", copy)
    client.post(
        f"/l/{letter.pk}/edit/",
        {
            "occurred_on": "2026-03-01",
            "title": "To the cooperative",
            "body": "Second.",
            "version": 1,
        },
    )
    client.post(f"/l/{letter.pk}/copies/new/", {**copy, "recipient": "The plenary"})
    rows = list(LetterCopy.objects.values_list("number", "letter_version"))
    assert rows == [(1, 1), (2, 2)]
    page = client.get(f"/l/{letter.pk}/").content.decode()
    assert "K., in person" in page and "The plenary" in page and "older version" in page
    history = client.get(f"/r/{letter.pk}/history/").content.decode()
    assert "First version." in history
    assert Event.objects.filter(code=Code.LETTER_COPY, about=letter).count() == 2


def test_the_letter_is_the_survivors_sides_and_follows_its_audience(world: World) -> None:
    letter = _write(client_for(world, "support-coordinator"), world)
    contact = client_for(world, "contact-member")
    assert contact.get(f"/l/{letter.pk}/").status_code == 404
    assert contact.get(f"/g/{world.groups['contact'].pk}/letter/new/").status_code == 404
    client_for(world, "support-coordinator").post(
        f"/r/{letter.pk}/audience/", {"groups": [world.groups["contact"].pk]}
    )
    assert b"First version." in contact.get(f"/l/{letter.pk}/").content
    # Reading is not editing: the letter's text stays the support group's.
    assert contact.get(f"/l/{letter.pk}/edit/").status_code == 404


def test_a_copy_handed_over_in_the_future_is_refused(world: World) -> None:
    client = client_for(world, "support-member")
    letter = _write(client, world)
    data = {"recipient": "Someone", "handed_on": "2999-01-01", "form": "digital"}
    message = "Register a copy once it was handed over."
    assert_refused(client, f"/l/{letter.pk}/copies/new/", data, message, "Someone")


def test_a_stale_edit_of_the_letter_shows_both_versions_and_saves_nothing(world: World) -> None:
    client = client_for(world, "support-member")
    letter = _write(client, world)
    data = {"occurred_on": "2026-03-01", "title": "To the cooperative", "version": 1}
    client.post(f"/l/{letter.pk}/edit/", {**data, "body": "Theirs."})
    before = database_snapshot()
    response = client.post(f"/l/{letter.pk}/edit/", {**data, "body": "Mine."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Theirs." in page and "Mine." in page
    assert database_snapshot() == before
