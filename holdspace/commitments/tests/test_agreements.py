"""Agreements are short and time-limited: an end date (except no-contact),
a review, renewals linked to what they renew, and a breach log."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from holdspace.commitments import services
from holdspace.commitments.models import Agreement, Breach
from holdspace.processes.models import Event
from holdspace.testing import World, assert_refused, client_for, database_snapshot
from holdspace.testing.commitments import soon

pytestmark = pytest.mark.django_db


def _data(**overrides: Any) -> dict[str, Any]:
    return {
        "agreement_kind": "no_new_partners",
        "terms": "No new romantic partners for three months.",
        "binds": "K.",
        "starts_on": soon(0),
        "ends_on": soon(90),
        "review_on": soon(45),
        "status": "agreed",
        **overrides,
    }


def _new(world: World, client: Client, **overrides: Any) -> Any:
    return client.post(f"/g/{world.groups['contact'].pk}/agreements/new/", _data(**overrides))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": ""}, "Short agreements need an end date"),
        ({"ends_on": soon(-10)}, "The end must come after the start."),
        ({"review_on": soon(120)}, "The review should come before the end."),
        ({"review_on": soon(-5)}, "The review cannot come before the start."),
        ({"agreement_kind": "space_sharing", "ends_on": ""}, "Short agreements need an end date"),
    ],
)
def test_bad_dates_are_refused_with_a_clear_message(
    world: World, overrides: dict[str, Any], message: str
) -> None:
    client = client_for(world, "contact-member")
    url = f"/g/{world.groups['contact'].pk}/agreements/new/"
    response = assert_refused(
        client, url, _data(**overrides), message, "No new romantic partners for three months."
    )
    assert response.status_code == 200


def test_only_no_contact_may_stay_open_ended(world: World) -> None:
    response = _new(
        world,
        client_for(world, "contact-member"),
        agreement_kind="no_contact",
        ends_on="",
        review_on="",
    )
    agreement = Agreement.objects.get()
    assert response["Location"] == f"/a/{agreement.pk}/"
    assert agreement.ends_on is None
    assert b"no end date" in client_for(world, "contact-member").get(f"/a/{agreement.pk}/").content


def test_an_agreement_is_proposed_then_agreed_on_the_timeline(world: World) -> None:
    client = client_for(world, "contact-member")
    _new(world, client, status="proposed")
    agreement = Agreement.objects.get()
    assert not Event.objects.filter(about=agreement).exists()
    client.post(f"/a/{agreement.pk}/status/", {"status": "agreed"})
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AGREED
    timeline = client.get(f"/p/{world.process.pk}/timeline/").content.decode()
    assert "Agreement (no new romantic partners): agreed." in timeline


def test_an_ended_agreement_expires_once_and_can_be_renewed(world: World) -> None:
    client = client_for(world, "contact-member")
    _new(world, client)
    agreement = Agreement.objects.get()
    assert agreement.ends_on is not None
    after_end = agreement.ends_on + datetime.timedelta(days=1)
    assert services.note_due_dates(after_end) == 1
    assert services.note_due_dates(after_end) == 0
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.EXPIRED
    renewal_data = {
        "terms": "Two more months.",
        "binds": "K.",
        "starts_on": soon(91),
        "ends_on": soon(150),
        "review_on": "",
    }
    response = client.post(f"/a/{agreement.pk}/renew/", renewal_data)
    renewal = Agreement.objects.get(renews=agreement)
    assert response["Location"] == f"/a/{renewal.pk}/"
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.RENEWED
    assert renewal.status == Agreement.Status.AGREED
    old_page = client.get(f"/a/{agreement.pk}/").content.decode()
    assert f"/a/{renewal.pk}/" in old_page
    assert f"/a/{agreement.pk}/" in client.get(f"/a/{renewal.pk}/").content.decode()
    again = client.post(f"/a/{agreement.pk}/renew/", renewal_data)
    assert b"This agreement was already renewed." in again.content
    assert Agreement.objects.filter(renews=agreement).count() == 1


def test_a_breach_is_logged_with_severity_and_response(world: World) -> None:
    client = client_for(world, "contact-member")
    _new(world, client, agreement_kind="no_contact", ends_on="")
    agreement = Agreement.objects.get()
    response = client.post(
        f"/a/{agreement.pk}/breaches/new/",
        {
            "happened_on": timezone.localdate(),
            "reported_by": "M.'s support group",
            "what": "He wrote to her.",
            "severity": "serious",
            "response": "",
        },
    )
    assert response["Location"] == f"/a/{agreement.pk}/"
    page = client.get(f"/a/{agreement.pk}/").content.decode()
    assert "He wrote to her." in page and "serious" in page and "not decided yet" in page
    assert Breach.objects.get().recorded_by == world.personas["contact-member"]
    timeline = client.get(f"/p/{world.process.pk}/timeline/").content.decode()
    assert "was recorded: serious." in timeline


def test_a_breach_in_the_future_is_refused(world: World) -> None:
    client = client_for(world, "contact-member")
    _new(world, client, agreement_kind="no_contact", ends_on="")
    agreement = Agreement.objects.get()
    data = {"happened_on": soon(3), "reported_by": "X", "what": "Later.", "severity": "minor"}
    message = "A breach is something that has happened."
    assert_refused(client, f"/a/{agreement.pk}/breaches/new/", data, message, "Later.")


def test_a_stale_edit_of_an_agreement_saves_nothing(world: World) -> None:
    client = client_for(world, "contact-member")
    _new(world, client)
    agreement = Agreement.objects.get()
    edit = {k: v for k, v in _data().items() if k not in ("agreement_kind", "status")}
    client.post(f"/a/{agreement.pk}/edit/", {**edit, "terms": "Theirs.", "version": 1})
    before = database_snapshot()
    response = client.post(f"/a/{agreement.pk}/edit/", {**edit, "terms": "Mine.", "version": 1})
    assert response.status_code == 409
    assert b"Theirs." in response.content and b"Mine." in response.content
    assert database_snapshot() == before


def test_an_edit_cannot_remove_the_end_date(world: World) -> None:
    client = client_for(world, "contact-member")
    _new(world, client)
    agreement = Agreement.objects.get()
    edit = {k: v for k, v in _data().items() if k not in ("agreement_kind", "status")}
    data = {**edit, "ends_on": "", "review_on": "", "version": 1}
    assert_refused(client, f"/a/{agreement.pk}/edit/", data, "Short agreements need an end date")
