"""The export for the survivor's side before deletion: her support group
downloads what it may read; she downloads what was shared with her."""

from __future__ import annotations

import pytest
from django.test import Client

from holdspace.accounts.auth import REAUTH_AT
from holdspace.audit.models import Entry
from holdspace.closure.tests.closing import close_world
from holdspace.testing import World, client_for

pytestmark = pytest.mark.django_db


def _url(world: World, kind: str = "support") -> str:
    return f"/g/{world.groups[kind].pk}/closure/export/"


def test_her_support_group_downloads_what_it_may_read(world: World) -> None:
    close_world(world)
    client = client_for(world, "support-member")
    page = client.get(f"/p/{world.process.pk}/closure/").content
    assert _url(world).encode() in page
    assert client.get(_url(world)).status_code == 200
    response = client.post(_url(world))
    assert response["Content-Type"].startswith("text/markdown")
    name = response["Content-Disposition"]
    assert name.startswith('attachment; filename="holdspace-export-')
    assert "Willow" not in name and "support" not in name
    text = response.content.decode()
    assert "The body of support note." in text
    assert "The body of shared note." in text
    assert "He acknowledged the harm in writing." in text
    # Not what only another group reads.
    assert "The body of contact note." not in text
    assert Entry.objects.filter(action="closure.exported", process_id=world.process.pk).exists()


def test_it_works_before_closing_too(world: World) -> None:
    response = client_for(world, "support-coordinator").post(_url(world))
    assert "The body of support note." in response.content.decode()


def test_other_groups_and_parties_get_no_export(world: World) -> None:
    close_world(world)
    for persona, kind in (
        ("contact-member", "support"),
        ("contact-member", "contact"),
        ("survivor", "support"),
        ("portal", "support"),
    ):
        client = client_for(world, persona)
        assert client.get(_url(world, kind)).status_code == 404, (persona, kind)
        assert client.post(_url(world, kind)).status_code == 404, (persona, kind)
    page = client_for(world, "contact-member").get(f"/p/{world.process.pk}/closure/").content
    assert b"/closure/export/" not in page


def test_it_asks_for_the_password_again_S26(world: World) -> None:
    client = client_for(world, "support-member")
    session = client.session
    session[REAUTH_AT] = 0
    session.save()
    response = client.post(_url(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm/")


def test_she_downloads_what_was_shared_with_her(world: World) -> None:
    close_world(world)
    client: Client = client_for(world, "survivor")
    page = client.get("/survivor/closure/").content
    assert b"/survivor/closure/export/" in page
    response = client.post("/survivor/closure/export/")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert "The body of shared note." in text
    assert "He acknowledged the harm in writing." in text
    assert "The body of support note." not in text
