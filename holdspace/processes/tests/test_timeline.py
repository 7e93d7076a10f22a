"""One chronology: newest first, paginated, filtered, never showing what the
viewer may not read, in a constant number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from holdspace.processes import services
from holdspace.processes.models import Record
from holdspace.testing import BUILDERS, World, bulk_notes, client_for
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_records(world: World) -> None:
    """Done when: constant queries for 10 and for 2,000 records."""
    client = client_for(world, "contact-member")
    group, author = world.groups["contact"], world.personas["contact-member"]
    url = f"/p/{world.process.pk}/timeline/"
    bulk_notes(group, author, 10)
    few = _queries(client, url)
    bulk_notes(group, author, 1990)
    many = _queries(client, url)
    assert few == many
    assert _queries(client, url + "?page=40") == many
    assert _queries(client, f"/p/{world.process.pk}/") == _queries(
        client, f"/p/{world.process.pk}/"
    )


def test_the_query_count_does_not_grow_with_the_groups(world: World) -> None:
    client = client_for(world, "support-coordinator")
    url = f"/p/{world.process.pk}/timeline/"
    before = _queries(client, url)
    with using(BUILDERS[world.process.pk]):
        for number in range(4):
            services.add_group(
                world.process,
                by=world.personas["support-coordinator"],
                kind="custom",
                name=f"Extra group {number}",
                purpose="",
            )
    assert b"Extra group 3" in client.get(url).content
    assert _queries(client, url) == before


def test_it_is_newest_first_and_paginated(world: World) -> None:
    group, author = world.groups["contact"], world.personas["contact-member"]
    bulk_notes(group, author, 60)
    client = client_for(world, "contact-member")
    page = client.get(f"/p/{world.process.pk}/timeline/?kind=note").content
    dates = re.findall(rb'<time datetime="(\d{4}-\d\d-\d\d)"', page)
    assert len(dates) == 25 and dates == sorted(dates, reverse=True)
    assert b"Page 1 of 3" in page


def test_other_groups_records_do_not_count_in_pages(world: World) -> None:
    bulk_notes(world.groups["support"], world.personas["support-member"], 100, title="Hidden")
    bulk_notes(world.groups["contact"], world.personas["contact-member"], 5, title="Mine")
    page = client_for(world, "contact-member").get(f"/p/{world.process.pk}/timeline/").content
    assert b"Hidden" not in page
    assert b"Page 1 of" not in page  # everything visible fits on one page
    assert page.count(b"Mine ") == 5


def test_filters_by_kind_and_group(world: World) -> None:
    from holdspace.processes import services

    services.leave(world.memberships["contact-member"], by=world.personas["contact-member"])
    client = client_for(world, "contact-coordinator")
    events = client.get(f"/p/{world.process.pk}/timeline/?kind=event").content
    assert b"left Willow contact group" in events and b"contact note" not in events
    notes = client.get(f"/p/{world.process.pk}/timeline/?kind=note").content
    assert b"contact note" in notes and b"left Willow contact group" not in notes
    mine = client.get(f"/p/{world.process.pk}/timeline/?group={world.groups['contact'].pk}").content
    assert b"contact note" in mine and b"shared note" not in mine
    # Nonsense filters are ignored rather than failing.
    assert client.get(f"/p/{world.process.pk}/timeline/?kind=x&group=y&page=z").status_code == 200


def test_party_accounts_read_nothing_through_the_core_even_when_addressed_S44(
    world: World,
) -> None:
    from holdspace.processes import access

    note = world.notes["contact"]
    Record.objects.filter(pk=note.pk).update(to_harming_party=True, to_harmed_party=True)
    for persona in ("portal", "survivor", "outsider"):
        assert not access.records_visible_to(world.personas[persona], world.process).exists()
        assert not access.records_visible_everywhere(world.personas[persona]).exists()


def test_records_visible_everywhere_follows_the_rule_of_each_process(world: World) -> None:
    """The one-query form used across processes (the calendar feed) lets
    through exactly what the per-process rule lets through."""
    from holdspace.processes import access
    from holdspace.processes.models import Party
    from holdspace.testing import add_member

    member = world.personas["contact-member"]
    add_member(BUILDERS[world.other_process.pk], world.other_groups["contact"], member, "member")
    Party.objects.filter(process=world.other_process, role=Party.Role.HARMING).update(
        account=member
    )
    addressed = world.other_notes["support"]
    Record.objects.filter(pk=addressed.pk).update(to_harming_party=True)
    for persona in world.personas.values():
        everywhere = set(access.records_visible_everywhere(persona))
        each = {
            record
            for process in access.processes_for(persona)
            for record in access.records_visible_to(persona, process)
        }
        assert everywhere == each, persona.username
    seen = set(access.records_visible_everywhere(member))
    # In Birch the account is linked to the person who caused harm: its
    # membership there counts for nothing, whatever the database says (S44).
    assert Record.objects.get(pk=addressed.pk) not in seen
    assert Record.objects.get(pk=world.other_notes["contact"].pk) not in seen
    assert Record.objects.get(pk=world.notes["contact"].pk) in seen
