"""Notes: written for one's own group, read only by their audience, edited
without losing anything, shared explicitly."""

from __future__ import annotations

import pytest

from holdspace.audit.models import Entry
from holdspace.processes.models import Event, Note, Revision
from holdspace.testing import World, client_for, database_snapshot

pytestmark = pytest.mark.django_db


def _note_data(**overrides: str) -> dict[str, str]:
    return {
        "occurred_on": "2026-11-20",
        "title": "After the call",
        "body": "He asked again.",
        **overrides,
    }


def test_a_note_is_for_the_authors_group_only_by_default_C2(world: World) -> None:
    client = client_for(world, "contact-member")
    response = client.post(f"/g/{world.groups['contact'].pk}/notes/new/", _note_data())
    note = Note.objects.latest("created_at")
    assert response["Location"] == f"/r/{note.pk}/"
    assert list(note.audience_groups.all()) == [world.groups["contact"]]
    assert b"He asked again." in client.get(f"/r/{note.pk}/").content
    assert client_for(world, "contact-coordinator").get(f"/r/{note.pk}/").status_code == 200
    for persona in ("support-member", "supervision-coordinator", "outsider", "admin", "portal"):
        assert client_for(world, persona).get(f"/r/{note.pk}/").status_code == 404, persona
    assert Entry.objects.filter(action="note.created", target_id=str(note.pk)).exists()


def test_a_note_dated_in_the_future_is_refused_S43(world: World) -> None:
    client = client_for(world, "contact-member")
    before = database_snapshot()
    response = client.post(
        f"/g/{world.groups['contact'].pk}/notes/new/", _note_data(occurred_on="2999-01-01")
    )
    assert b"A note is about something that has happened" in response.content
    assert b"He asked again." in response.content
    assert database_snapshot() == before


def test_another_groups_note_never_shows_on_pages_counts_or_errors(world: World) -> None:
    """A member of one group never sees another group's notes (Done when)."""
    support_note = world.notes["support"]
    client = client_for(world, "contact-member")
    secret = support_note.body.encode()
    pages = [
        client.get(f"/p/{world.process.pk}/"),
        client.get(f"/p/{world.process.pk}/timeline/"),
        client.get(f"/p/{world.process.pk}/timeline/?group={world.groups['support'].pk}"),
        client.get(f"/p/{world.process.pk}/timeline/?kind=note&page=2"),
        client.get(f"/r/{support_note.pk}/"),
        client.get(f"/r/{support_note.pk}/history/"),
        client.get(f"/r/{support_note.pk}/edit/"),
        client.post(f"/r/{support_note.pk}/audience/", {"groups": [world.groups["contact"].pk]}),
    ]
    for response in pages:
        assert secret not in response.content
        assert b"support note" not in response.content
    # The support group's filter shows only what it shared with everyone.
    filtered = pages[2].content
    assert b"shared note" in filtered and filtered.count(b'class="record ') == 1
    assert list(support_note.audience_groups.all()) == [world.groups["support"]]


def test_editing_keeps_the_earlier_version(world: World) -> None:
    note = world.notes["contact"]
    client = client_for(world, "contact-member")
    client.post(
        f"/r/{note.pk}/edit/", {**_note_data(body="Corrected account."), "version": note.version}
    )
    note.refresh_from_db()
    assert note.body == "Corrected account." and note.version == 2
    revision = Revision.objects.get(record=note)
    assert revision.values["body"] == "The body of contact note."
    history = client.get(f"/r/{note.pk}/history/").content
    assert b"The body of contact note." in history


def test_a_concurrent_edit_shows_both_versions_and_loses_nothing_S38(world: World) -> None:
    note = world.notes["contact"]
    alice, bea = client_for(world, "contact-member"), client_for(world, "contact-coordinator")
    opened_at = note.version
    bea.post(f"/r/{note.pk}/edit/", {**_note_data(body="Bea's words."), "version": opened_at})
    response = alice.post(
        f"/r/{note.pk}/edit/", {**_note_data(body="Alice's words."), "version": opened_at}
    )
    assert response.status_code == 409
    assert b"Someone else changed this meanwhile" in response.content
    assert b"Bea&#x27;s words." in response.content and b"Alice&#x27;s words." in response.content
    note.refresh_from_db()
    assert note.body == "Bea's words."
    # Saving from the conflict page keeps Alice's text on top of Bea's version.
    resolved = alice.post(
        f"/r/{note.pk}/edit/", {**_note_data(body="Alice's words."), "version": note.version}
    )
    assert resolved.status_code == 302
    note.refresh_from_db()
    assert note.body == "Alice's words."
    assert {r.values["body"] for r in Revision.objects.filter(record=note)} == {
        "The body of contact note.",
        "Bea's words.",
    }


def test_only_author_and_coordinators_edit(world: World) -> None:
    note = world.notes["contact"]
    assert client_for(world, "contact-coordinator").get(f"/r/{note.pk}/edit/").status_code == 200
    # The shared note is readable by every group, editable only in its own.
    shared = world.shared_note
    assert client_for(world, "contact-coordinator").get(f"/r/{shared.pk}/").status_code == 200
    assert client_for(world, "contact-coordinator").get(f"/r/{shared.pk}/edit/").status_code == 404


def test_widening_the_audience_is_explicit_and_audited(world: World) -> None:
    note = world.notes["contact"]
    client = client_for(world, "contact-member")
    response = client.post(
        f"/r/{note.pk}/audience/",
        {"groups": [world.groups["supervision"].pk], "to_harming_party": "on"},
    )
    assert response["Location"] == f"/r/{note.pk}/"
    note.refresh_from_db()
    assert set(note.audience_groups.all()) == {world.groups["contact"], world.groups["supervision"]}
    assert note.to_harming_party and not note.to_harmed_party
    assert Entry.objects.filter(action="record.audience_widened", target_id=str(note.pk)).exists()
    assert client_for(world, "supervision-member").get(f"/r/{note.pk}/").status_code == 200
    # What is addressed to him waits for his own pages: the internal ones
    # refuse him like anyone outside (S44).
    assert client_for(world, "portal").get(f"/r/{note.pk}/").status_code == 404
    assert client_for(world, "survivor").get(f"/r/{note.pk}/").status_code == 404


def test_an_audience_cannot_name_a_group_of_another_process(world: World) -> None:
    note = world.notes["contact"]
    client = client_for(world, "contact-member")
    before = database_snapshot()
    response = client.post(
        f"/r/{note.pk}/audience/", {"groups": [world.other_groups["contact"].pk]}
    )
    assert response.status_code == 200
    assert b"This option is not available any more." in response.content
    assert database_snapshot() == before


def test_events_are_never_edited(world: World) -> None:
    from holdspace.processes import services

    services.leave(world.memberships["contact-member"], by=world.personas["contact-member"])
    event = Event.objects.get(code="member.left")
    client = client_for(world, "contact-coordinator")
    assert client.get(f"/r/{event.pk}/").status_code == 200
    assert b"contact-member left Willow contact group" in client.get(f"/r/{event.pk}/").content
    assert client.get(f"/r/{event.pk}/edit/").status_code == 404
