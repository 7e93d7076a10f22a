"""Beginning the report, releasing editions, and who reads what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from holdspace.conclusion import services
from holdspace.conclusion.models import Conclusion, Edition
from holdspace.conclusion.tests.helpers import with_records
from holdspace.testing import World, assert_refused, client_for, database_snapshot
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db


def test_it_begins_the_report_once_even_when_sent_twice(world: World) -> None:
    client = client_for(world, "support-coordinator")
    url = reverse("hs-conclusion-new", args=[world.process.pk])
    page = client.get(url)
    token = page.context["form"]["submission"].value()
    data = {"achieved": "Much.", "not_achieved": "", "lessons": "", "submission": token}
    first = client.post(url, data)
    second = client.post(url, data)
    conclusion = Conclusion.objects.get(process=world.process)
    assert first["Location"] == second["Location"] == conclusion.get_absolute_url()
    page = client.get(conclusion.get_absolute_url())
    assert b"Much." in page.content
    assert (
        b"Begin the conclusion report"
        not in client.get(reverse("hs-conclusion", args=[world.process.pk]), follow=True).content
    )


def test_a_second_report_is_refused_with_a_message(world: World) -> None:
    with_records(world)
    client = client_for(world, "contact-coordinator")
    url = reverse("hs-conclusion-new", args=[world.process.pk])
    assert_refused(
        client,
        url,
        {"achieved": "Typed text stays", "not_achieved": "", "lessons": ""},
        "already has a conclusion report",
        "Typed text stays",
    )


def test_bad_input_is_refused_and_the_text_kept(world: World) -> None:
    client = client_for(world, "support-coordinator")
    url = reverse("hs-conclusion-new", args=[world.process.pk])
    assert_refused(
        client,
        url,
        {"achieved": "Kept text", "not_achieved": "", "lessons": "", "occurred_on": "2999-01-01"},
        "Choose today or a day in the past.",
        "Kept text",
    )


def test_it_rejects_get_for_a_release(world: World) -> None:
    report = with_records(world)
    client = client_for(world, "support-coordinator")
    response = client.get(reverse("hs-conclusion-release", args=[report.conclusion.pk]))
    assert response.status_code == 405


def test_a_released_edition_does_not_change(world: World) -> None:
    report = with_records(world)
    client = client_for(world, "support-coordinator")
    release = reverse("hs-conclusion-release", args=[report.conclusion.pk])
    response = client.post(release, {"edition": "community"})
    edition = Edition.objects.get(made_from=report.conclusion, made_for="community")
    assert response["Location"] == reverse("hs-edition", args=[edition.pk])
    edit = reverse("hs-conclusion-edit", args=[report.conclusion.pk])
    client.post(
        edit,
        {
            "achieved": "A new text",
            "not_achieved": "",
            "lessons": "",
            "occurred_on": "2025-06-01",
            "version": 1,
        },
    )
    reader = client_for(world, "community-member")
    page = reader.get(reverse("hs-edition", args=[edition.pk])).content.decode()
    assert "the person who caused harm" in page
    assert "A new text" not in page
    preview = client.get(
        reverse("hs-conclusion-preview", args=[report.conclusion.pk]), {"edition": "survivor"}
    )
    assert "A new text" in preview.content.decode()
    # Released once: sent again (a double click, a second person), nothing changes.
    before = database_snapshot()
    again = client.post(release, {"edition": "community"}, follow=True)
    assert "does not change" in again.content.decode()
    assert database_snapshot() == before
    # Nobody edits an edition, nor who reads it.
    assert client.get(reverse("hs-record-audience", args=[edition.pk])).status_code == 404
    assert client.get(reverse("hs-record-edit", args=[edition.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "reads"),
    [
        ("support-coordinator", True),
        ("support-member", True),
        ("community-member", True),
        ("contact-coordinator", False),
        ("supervision-member", False),
        ("survivor", False),
        ("portal", False),
        ("outsider", False),
    ],
)
def test_a_released_edition_is_read_by_its_audience_only(
    world: World, persona: str, reads: bool
) -> None:
    report = with_records(world)
    with using(world.keyring):
        edition = services.release(
            report.conclusion, "community", by=world.personas["support-coordinator"]
        )
    client = client_for(world, persona)
    for name in ("hs-edition", "hs-edition-download"):
        response = client.get(reverse(name, args=[edition.pk]))
        assert response.status_code == (200 if reads else 404), name
    listed = client.get(reverse("hs-conclusion", args=[world.process.pk]), follow=True)
    if persona.startswith("community"):
        assert reverse("hs-edition", args=[edition.pk]).encode() in listed.content


@pytest.mark.parametrize(
    ("persona", "previews"),
    [
        ("support-coordinator", True),
        ("support-member", True),
        ("contact-coordinator", False),
        ("community-member", False),
        ("survivor", False),
        ("portal", False),
    ],
)
def test_only_the_writing_group_previews(world: World, persona: str, previews: bool) -> None:
    report = with_records(world)
    client = client_for(world, persona)
    for name in ("hs-conclusion-report", "hs-conclusion-preview"):
        response = client.get(reverse(name, args=[report.conclusion.pk]))
        assert response.status_code == (200 if previews else 404), name


def test_an_edit_with_a_day_to_come_is_refused_and_the_text_kept(world: World) -> None:
    report = with_records(world)
    client = client_for(world, "support-coordinator")
    url = reverse("hs-conclusion-edit", args=[report.conclusion.pk])
    data = {
        "achieved": "Typed again",
        "not_achieved": "",
        "lessons": "",
        "occurred_on": "2999-01-01",
        "version": 1,
    }
    assert_refused(client, url, data, "Choose today or a day in the past.", "Typed again")
