"""Her choices: she gives the approvals herself or leaves them to her support
group (the radio shows what she chose), and a pause. Each change is audited
and told to her support group on the chronology, without content."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from holdspace.audit.models import Entry
from holdspace.processes.models import Event, Party
from holdspace.survivor.tests.helpers import her_browser, her_party
from holdspace.testing import World, assert_refused, client_for

pytestmark = pytest.mark.django_db

URL = "/survivor/choices/"


def _party(world: World) -> Party:
    return Party.objects.get(process=world.process, role=Party.Role.HARMED)


def test_the_radio_shows_her_current_choice(world: World) -> None:
    page = her_browser(world).get(URL).content.decode()
    assert 'value="support_group" required id="id_who_1" checked' in page
    assert 'value="herself" required id="id_who_0">' in page


def test_she_chooses_to_give_the_approvals_herself(world: World) -> None:
    client = her_browser(world)
    assert client.post(URL, {"part": "who", "who": "herself"}).status_code == 302
    assert _party(world).decides_herself
    event = Event.objects.get(process=world.process, code="survivor.choice")
    assert event.value == "herself"
    assert set(event.audience_groups.all()) == {world.groups["support"]}
    assert Entry.objects.filter(
        action="survivor.decides_herself", actor_id=world.personas["survivor"].pk
    ).exists()
    timeline = client_for(world, "support-member").get(f"/p/{world.process.pk}/timeline/")
    assert "chose to give her approvals herself" in timeline.content.decode()
    contact = client_for(world, "contact-member").get(f"/p/{world.process.pk}/timeline/")
    assert "chose to give her approvals herself" not in contact.content.decode()
    # The same choice again changes nothing.
    assert_refused(client, URL, {"part": "who", "who": "herself"}, "This already was your choice")


def test_she_asks_for_a_pause_and_ends_it(world: World) -> None:
    client = her_browser(world)
    until = timezone.localdate() + datetime.timedelta(days=14)
    assert client.post(URL, {"part": "pause", "until": until.isoformat()}).status_code == 302
    assert _party(world).paused_until == until
    home = client.get(reverse("hs-survivor")).content.decode()
    assert "You asked for a pause until" in home
    timeline = client_for(world, "support-member").get(f"/p/{world.process.pk}/timeline/")
    assert "asked for a pause: please bring nothing to her until" in timeline.content.decode()
    assert client.post(URL, {"part": "end_pause"}).status_code == 302
    assert _party(world).paused_until is None
    assert Event.objects.filter(code="survivor.pause", value="ended").exists()
    assert Entry.objects.filter(action="survivor.pause_ended").exists()


def test_a_pause_ends_after_a_day_to_come(world: World) -> None:
    client = her_browser(world)
    today = timezone.localdate().isoformat()
    assert_refused(
        client, URL, {"part": "pause", "until": today}, "Please choose a day after today."
    )


def test_the_pause_ends_by_itself(world: World) -> None:
    her_party(world, paused_until=timezone.localdate() - datetime.timedelta(days=1))
    home = client_for(world, "survivor").get(reverse("hs-survivor")).content.decode()
    assert "You asked for a pause" not in home
    assert "Your support group gives the approvals for you" in home


def test_her_side_sees_her_choices_on_the_process_page_and_nobody_else(world: World) -> None:
    until = timezone.localdate() + datetime.timedelta(days=9)
    her_party(world, decides_herself=True)
    page = f"/p/{world.process.pk}/"
    herself = "She gives the approvals of what is addressed to her herself."
    assert herself in client_for(world, "support-member").get(page).content.decode()
    assert herself not in client_for(world, "contact-coordinator").get(page).content.decode()
    her_party(world, paused_until=until)
    seen = client_for(world, "support-member").get(page).content.decode()
    assert "She asked for a pause until" in seen and herself not in seen
    assert "pause" not in client_for(world, "supervision-member").get(page).content.decode()
