"""The space-sharing rota through the pages: conflicts shown, overlapping
patterns refused, and a venue page that says who may come and nothing else."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from holdspace.commitments import services
from holdspace.commitments.models import Agreement, RotaSlot
from holdspace.testing import World, assert_refused, client_for
from holdspace.testing.commitments import soon

pytestmark = pytest.mark.django_db

TERMS = "K. and M. share the cooperative, each on their own days."
REASON = "Because of what happened at the summer party."


def _rota(world: World) -> tuple[Agreement, Client]:
    agreement = services.create_agreement(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        agreement_kind=Agreement.Kind.SPACE_SHARING,
        terms=TERMS,
        binds="K. and M.",
        starts_on=soon(0),
        ends_on=soon(120),
        review_on=None,
        status=Agreement.Status.AGREED,
    )
    client = client_for(world, "contact-member")
    base = f"/a/{agreement.pk}/rota/"
    for pseudonym in ("Blue", "Green"):
        client.post(f"{base}add/", {"what": "person", "pseudonym": pseudonym})
    client.post(f"{base}add/", {"what": "venue", "name": "The co-op"})
    return agreement, client


def _pattern(agreement: Agreement, days: dict[int, str]) -> dict[str, str]:
    people = {p.pseudonym: p for p in agreement.rota_people.all()}
    return {f"p{people[name].pk}_{day}": "on" for day, name in days.items()}


ALTERNATING = {0: "Blue", 1: "Green", 2: "Blue", 3: "Green", 4: "Blue", 5: "Green", 6: "Blue"}


def test_a_weekly_pattern_with_two_people_on_one_day_is_refused(world: World) -> None:
    agreement, client = _rota(world)
    venue = agreement.venues.get()
    data = {**_pattern(agreement, ALTERNATING), "version": 1}
    green = next(p for p in agreement.rota_people.all() if p.pseudonym == "Green")
    data[f"p{green.pk}_0"] = "on"  # Monday: both
    message = "On Monday, Blue / Green would both be there."
    page = assert_refused(client, f"/a/{agreement.pk}/rota/places/{venue.pk}/", data, message)
    # In the error summary, and the title says so (issue 12).
    assert f"<li>{message}".encode() in page.content and b"data-hs-error-summary" in page.content
    assert b"<title>Error: " in page.content


def test_the_rota_shows_conflicts_from_changes(world: World) -> None:
    agreement, client = _rota(world)
    venue = agreement.venues.get()
    client.post(
        f"/a/{agreement.pk}/rota/places/{venue.pk}/",
        {**_pattern(agreement, ALTERNATING), "version": 1},
    )
    assert RotaSlot.objects.filter(venue=venue).count() == 7
    page = client.get(f"/a/{agreement.pk}/rota/").content.decode()
    assert "needs a look" not in page and "Conflict" not in page
    date = soon(3)
    usual = ALTERNATING[date.weekday()]
    other = next(p for p in agreement.rota_people.all() if p.pseudonym != usual)
    client.post(
        f"/a/{agreement.pk}/rota/changes/new/",
        {"venue": venue.pk, "date": date, "change": "also", "person": other.pk},
    )
    page = client.get(f"/a/{agreement.pk}/rota/").content.decode()
    assert "1 day in the next four weeks needs a look:" in page
    # The message names the day and what to do, before the table.
    text = re.sub(r"\s+", " ", page)
    said = f"{date:%A}, {date.day} {date:%B} {date.year}: more than one person may come."
    assert said in text and text.index(said) < text.index("Every week")
    row = re.search(rf"{date.day} {date:%B} {date.year}</th>.*?</tr>", page, re.S)
    assert row is not None and "Conflict: more than one person" in row.group(0)
    nobody = soon(5)
    client.post(
        f"/a/{agreement.pk}/rota/changes/new/",
        {"venue": venue.pk, "date": nobody, "change": "nobody", "person": ""},
    )
    page = client.get(f"/a/{agreement.pk}/rota/").content.decode()
    assert "2 days in the next four weeks need a look:" in page and "Gap: nobody" in page
    said = f"{nobody:%A}, {nobody.day} {nobody:%B} {nobody.year}: nobody may come."
    assert said in re.sub(r"\s+", " ", page)


def test_the_venue_page_names_only_the_place_the_days_and_the_pseudonyms(world: World) -> None:
    agreement, client = _rota(world)
    venue = agreement.venues.get()
    client.post(
        f"/a/{agreement.pk}/rota/places/{venue.pk}/",
        {**_pattern(agreement, ALTERNATING), "version": 1},
    )
    page = client.get(f"/a/{agreement.pk}/rota/places/{venue.pk}/print/").content.decode()
    assert "Who may come to The co-op" in page
    assert "Blue" in page and "Green" in page
    today = timezone.localdate()
    assert f"{today.day} {today:%B} {today.year}" in page
    main = page[page.index("<main") : page.index("</main>")]
    forbidden = [
        world.process.name,
        TERMS,
        REASON,
        "K. and M.",
        "space",
        "agreement",
        "Agreement",
        *(group.name for group in world.groups.values()),
        *(party.pseudonym for party in world.process.parties.all()),
        *(user.username for user in world.personas.values()),
    ]
    for word in forbidden:
        assert word not in main, word
    assert "Process" not in page  # nor anywhere on the page, navigation included


def test_the_venue_printout_carries_no_product_name_no_link_and_no_purpose(
    world: World,
) -> None:
    agreement, client = _rota(world)
    venue = agreement.venues.get()
    page = client.get(f"/a/{agreement.pk}/rota/places/{venue.pk}/print/").content.decode()
    assert "Who may come to The co-op" in page
    assert "Holdspace" not in page and "holdspace" not in page.replace("/static/holdspace/", "")
    assert "<a " not in page  # no link to follow or to print
    assert "accountability" not in page.lower()
    assert "Leave this site now" in page  # the quick exit stays (S33)


def test_german_dates_carry_the_ordinal_dot(world: World) -> None:
    agreement, client = _rota(world)
    venue = agreement.venues.get()
    page = client.get(
        f"/a/{agreement.pk}/rota/places/{venue.pk}/print/?from=2027-05-03",
        headers={"accept-language": "de"},
    ).content.decode()
    assert "Montag, 3. Mai 2027" in page
    assert "3 Mai" not in page


def test_the_venue_page_lists_four_weeks_from_the_chosen_day(world: World) -> None:
    agreement, client = _rota(world)
    venue = agreement.venues.get()
    start = soon(30)
    page = client.get(
        f"/a/{agreement.pk}/rota/places/{venue.pk}/print/?from={start.isoformat()}"
    ).content.decode()
    last = start + datetime.timedelta(days=27)
    assert f"{last.day} {last:%B} {last.year}" in page
    after = last + datetime.timedelta(days=1)
    assert f'<th scope="row">{after:%A}, {after.day} {after:%B} {after.year}' not in page
    bad = client.get(f"/a/{agreement.pk}/rota/places/{venue.pk}/print/?from=yesterday")
    assert bad.status_code == 200


def test_a_change_in_the_past_or_without_a_person_is_refused(world: World) -> None:
    agreement, client = _rota(world)
    venue = agreement.venues.get()
    url = f"/a/{agreement.pk}/rota/changes/new/"
    past = {"venue": venue.pk, "date": soon(-1), "change": "nobody", "person": ""}
    assert_refused(client, url, past, "Changes can only be made for today or later.")
    unnamed = {"venue": venue.pk, "date": soon(2), "change": "instead", "person": ""}
    assert_refused(client, url, unnamed, "Please choose who comes.")


def test_a_removed_change_brings_the_pattern_back(world: World) -> None:
    agreement, client = _rota(world)
    venue = agreement.venues.get()
    client.post(
        f"/a/{agreement.pk}/rota/changes/new/",
        {"venue": venue.pk, "date": soon(2), "change": "nobody", "person": ""},
    )
    change = venue.exceptions.get()
    client.post(f"/a/{agreement.pk}/rota/changes/{change.pk}/remove/")
    assert not venue.exceptions.exists()
