"""The circle's alerts (C6, C8): an embargo ending, his word that he told
someone that nobody confirmed, and an informing waiting for the survivor's
side — in `holdspace watch --json` and on the dashboards of the groups that
read the record, and nobody else's (S45). Content-free, each leading to its
page."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from holdspace.circle import watch
from holdspace.circle.tests.helpers import consent, day, duty, informing, person
from holdspace.processes.services import change_audience
from holdspace.testing import World, client_for
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db

EMBARGO = "An embargo of the survivor's side ends soon."
UNCONFIRMED = "that he told someone about the process; nobody has confirmed it yet"
APPROVAL = "An informing, asked about on"


def _kinds() -> dict[str, list[dict[str, str]]]:
    out = io.StringIO()
    call_command("watch", json=True, stdout=out)
    found: dict[str, list[dict[str, str]]] = {}
    for row in json.loads(out.getvalue())["alerts"]:
        found.setdefault(row["kind"], []).append(row)
    return found


def _dashboard(world: World, persona: str) -> str:
    return client_for(world, persona).get("/dashboard/").content.decode()


def test_the_alerts_reach_scripts_and_the_right_dashboards(world: World) -> None:
    given = consent(world, embargo_until=day(10))
    told = duty(world, told_on=day(-40))
    planned = informing(world, person(world))
    kinds = _kinds()
    assert kinds[watch.EMBARGO_ENDING] == [
        {"kind": "embargo_ending", "process": str(world.process.pk), "due": day(10).isoformat(),
         "severity": "soon"}
    ]  # fmt: skip
    assert kinds[watch.INFORM_UNCONFIRMED][0]["due"] == day(-10).isoformat()
    assert kinds[watch.INFORM_UNCONFIRMED][0]["severity"] == "overdue"
    assert kinds[watch.INFORMING_APPROVAL][0]["severity"] == "due"

    contact = _dashboard(world, "contact-member")
    assert EMBARGO in contact
    assert f'href="{reverse("hs-consent", args=[given.pk])}"' in contact
    assert UNCONFIRMED in contact
    assert f'href="{reverse("hs-duty", args=[told.pk])}"' in contact
    assert APPROVAL not in contact  # not theirs to decide

    support = _dashboard(world, "support-member")
    assert APPROVAL in support
    assert f'href="{reverse("hs-informing-approval", args=[planned.pk])}"' in support
    assert EMBARGO in support and UNCONFIRMED in support

    for persona in ("supervision-member", "support_team-member", "outsider"):
        page = _dashboard(world, persona)
        assert EMBARGO not in page and UNCONFIRMED not in page and APPROVAL not in page, persona
    # Content-free: no name, no text of the records.
    assert "solidarity network" not in support and "climbing" not in support


def test_each_alert_waits_for_its_day(world: World) -> None:
    consent(world, embargo_until=day(20))  # more than 14 days away
    duty(world, told_on=day(-20))  # 20 of 30 days
    kinds = _kinds()
    assert watch.EMBARGO_ENDING not in kinds
    assert watch.INFORM_UNCONFIRMED not in kinds


def test_a_confirmation_or_a_decision_ends_the_alert(world: World) -> None:
    told = duty(world, told_on=day(-40))
    consent(world, embargo_until=day(5))
    planned = informing(world, person(world))
    contact = client_for(world, "contact-member")
    url = reverse("hs-duty-confirm", args=[told.pk])
    assert contact.post(url, {"confirmation": "confirmed"}).status_code == 302
    approval = reverse("hs-informing-approval", args=[planned.pk])
    support = client_for(world, "support-member")
    assert support.post(approval, {"decision": "approve"}).status_code == 302
    kinds = _kinds()
    assert watch.INFORM_UNCONFIRMED not in kinds
    assert watch.INFORMING_APPROVAL not in kinds
    # A later consent without an embargo replaces the one that had it.
    consent(world, occurred_on=day(0))
    assert watch.EMBARGO_ENDING not in _kinds()


def test_a_narrowed_record_takes_its_alert_away_S45(world: World) -> None:
    given = consent(world, embargo_until=day(10))
    told = duty(world, told_on=day(-40))
    with using(world.keyring):
        for record, author in ((given, "support-member"), (told, "contact-member")):
            change_audience(
                record,
                by=world.personas[author],
                groups=[],
                to_harming_party=False,
                to_harmed_party=False,
            )
    contact, support = _dashboard(world, "contact-member"), _dashboard(world, "support-member")
    assert EMBARGO not in contact and EMBARGO in support
    assert UNCONFIRMED in contact and UNCONFIRMED not in support


def test_the_alerts_take_the_same_queries_however_many_processes(world: World) -> None:
    consent(world, embargo_until=day(10))
    duty(world, told_on=day(-40))
    informing(world, person(world))
    ids = [world.process.pk]
    with CaptureQueriesContext(connection) as one:
        assert list(watch.alerts(ids, day(0)))
    with CaptureQueriesContext(connection) as two:
        list(watch.alerts([*ids, world.other_process.pk], day(0)))
    assert len(one.captured_queries) == len(two.captured_queries)
