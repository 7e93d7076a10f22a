"""The watchdog is open to the apps that build on it (DESIGN §6): the toy app
(installed in tests only) registers an alert kind, its wording, its page and
a tick hook, and every place alerts go shows it, without an edit in watch."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from holdspace.testing import World, client_for
from holdspace.tests.toy import watch as toy_watch
from holdspace.tests.toy.models import Toy, example
from holdspace.watch import sources
from holdspace.watch.tick import tick

pytestmark = pytest.mark.django_db


def _toy_from_last_week(world: World) -> Toy:
    toy = example(world.groups["contact"], world.personas["contact-member"])
    Toy.objects.filter(pk=toy.pk).update(
        occurred_on=timezone.localdate() - datetime.timedelta(days=10)
    )
    return toy


def test_a_registered_alert_reaches_scripts_the_page_and_the_tick(world: World) -> None:
    toy = _toy_from_last_week(world)  # due a week after: three days ago
    out = io.StringIO()
    call_command("watch", json=True, stdout=out)
    rows = [row for row in json.loads(out.getvalue())["alerts"] if row["kind"] == "toy_due"]
    assert rows == [
        {
            "kind": "toy_due",
            "process": str(world.process.pk),
            "due": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
            "severity": "overdue",
        }
    ]
    page = client_for(world, "contact-member").get("/dashboard/").content.decode()
    assert "A toy waits to be played with." in page
    assert f'href="{reverse("hs-toy", args=[toy.pk])}"' in page
    # The toy is the contact group's: the other groups are not told.
    other = client_for(world, "support-member").get("/dashboard/").content.decode()
    assert "A toy waits" not in other
    toy_watch.TICKED.clear()
    tick()
    assert toy_watch.TICKED == [1]


def test_an_alert_kind_cannot_be_registered_by_two_apps() -> None:
    twin = sources.Source(
        "twin", {toy_watch.TOY_DUE: 1}, toy_watch.alerts, "toy/alert.html", toy_watch.url, "twin"
    )
    with pytest.raises(ValueError, match="alert kind"):
        sources.register(twin)
    assert "twin" not in sources.SOURCES
