"""What a group learns about a record follows the record's current audience
(S45): once a record is taken away from a group, its events, counts, figures,
alerts and calendar entries are gone for that group too — its pages read
exactly as if the record had never been shared with it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from holdspace.commitments import services as commitments
from holdspace.commitments.models import Agreement, Demand
from holdspace.contact import services as contact
from holdspace.contact.views import contact_figures
from holdspace.processes import registry, services
from holdspace.processes.models import Record
from holdspace.testing import World, client_for, keyring_of, normalised
from holdspace.vault.keyring import using
from holdspace.watch import collect, rules
from holdspace.watch.models import CalendarFeed

pytestmark = pytest.mark.django_db

CANARY = "Kingfisher-7731"
LOSER = "contact-member"  # a member of the group that loses the records
KEEPER = "support-member"  # writes them, shares them, narrows them again


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _share(record: Record, world: World) -> None:
    services.change_audience(
        record,
        by=world.personas[KEEPER],
        groups=[world.groups["contact"]],
        to_harming_party=False,
        to_harmed_party=False,
    )


def _records_with_history(world: World) -> list[Record]:
    """One record of each kind, written by the support group, shared with the
    contact group, and given a history (status changes, a breach …)."""
    writer, group = world.personas[KEEPER], world.groups["support"]
    with using(keyring_of(writer)):
        demand = commitments.create_demand(
            author=writer, group=group, occurred_on=_day(0), wording=CANARY, reason=CANARY
        )
        agreement = commitments.create_agreement(
            author=writer,
            group=group,
            agreement_kind=Agreement.Kind.NO_CONTACT,
            terms=CANARY,
            binds=CANARY,
            starts_on=_day(-10),
            ends_on=_day(20),
            review_on=_day(5),
            status=Agreement.Status.AGREED,
        )
        heard = contact.log_contact(
            author=writer,
            group=group,
            occurred_on=_day(0),
            channel="email",
            direction="incoming",
            counterpart="him",
            counterpart_note="",
            summary=CANARY,
        )
        meeting = contact.plan_meeting(
            author=writer,
            group=group,
            occurred_on=_day(6),
            starts_at=None,
            internal=False,
            place=CANARY,
            agenda=CANARY,
            preparation_asked="",
            attendees=[writer],
        )
        report = contact.write_report(
            author=writer, group=group, period_from=_day(-30), period_to=_day(0), text=CANARY
        )
        note = services.write_note(
            author=writer, group=group, occurred_on=_day(0), title=CANARY, body=CANARY
        )
        records: list[Record] = [demand, agreement, heard, meeting, report, note]
        for record in records:
            _share(Record.objects.get(pk=record.pk), world)
        # Their history, written while the contact group could read them.
        commitments.change_status(
            Demand.objects.get(pk=demand.pk), by=writer, status="in_progress", note=CANARY
        )
        commitments.record_breach(
            Agreement.objects.get(pk=agreement.pk),
            by=writer,
            happened_on=_day(-1),
            reported_by=CANARY,
            what=CANARY,
            severity="minor",
            response=CANARY,
        )
    return records


def _pages(world: World, client: Client, feed: str) -> dict[str, bytes]:
    """Everything the losing member can open about the process."""
    pid, gid = world.process.pk, world.groups["contact"].pk
    urls = [
        reverse("hs-dashboard"),
        reverse("hs-process", args=[pid]),
        reverse("hs-timeline", args=[pid]),
        reverse("hs-commitments", args=[pid]),
        reverse("hs-contact-log", args=[pid]),
        reverse("hs-group", args=[gid]),
        *(f"{reverse('hs-timeline', args=[pid])}?kind={kind}" for kind in registry.KINDS),
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = normalised(response.content)
    pages["feed"] = client.get(reverse("hs-calendar-feed", args=[feed])).content
    return pages


def _differences(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return [url for url in before if before[url] != after[url]]


def test_a_narrowed_record_leaves_nothing_behind_for_the_group_that_lost_it_S45(
    world: World,
) -> None:
    loser = world.personas[LOSER]
    _old, feed = CalendarFeed.issue(loser)
    client = client_for(world, LOSER)
    with time_machine.travel(timezone.now(), tick=False):
        never_shared = _pages(world, client, feed)
        alerts_before = collect.alerts_for(loser)
        records = _records_with_history(world)
        shared = _pages(world, client, feed)
        # While shared, the contact group saw them, their events and alerts.
        assert _differences(never_shared, shared)
        assert any(CANARY.encode() in page for page in shared.values())
        assert collect.alerts_for(loser) != alerts_before
        keeper = client_for(world, KEEPER)
        for record in records:
            response = keeper.post(reverse("hs-record-audience", args=[record.pk]), {})
            assert response.status_code == 302, response.content[-2000:]
        narrowed = _pages(world, client, feed)
        assert _differences(never_shared, narrowed) == []
        assert collect.alerts_for(loser) == alerts_before
        for page in narrowed.values():
            assert CANARY.encode() not in page
            for record in records:
                assert str(record.pk).encode() not in page
        # Nothing of the events remains, not even the locked placeholder.
        assert b"You cannot read this yet" not in b"".join(narrowed.values())


def test_the_group_that_keeps_a_narrowed_record_keeps_its_history_S45(world: World) -> None:
    records = _records_with_history(world)
    keeper = client_for(world, KEEPER)
    for record in records:
        keeper.post(reverse("hs-record-audience", args=[record.pk]), {})
    timeline = keeper.get(reverse("hs-timeline", args=[world.process.pk])).content.decode()
    assert "now in progress" in timeline
    assert "A breach of the agreement" in timeline


def _group_view(world: World, persona: str) -> tuple[Any, list[rules.Alert]]:
    user = world.personas[persona]
    return contact_figures(user, world.process), collect.alerts_for(user)


def test_alerts_and_figures_agree_for_each_group_S45(world: World) -> None:
    """A contact private to the support group neither resets the contact
    group's cadence nor shows in its figures; the support group sees it."""
    support, contact_group = world.groups["support"], world.groups["contact"]
    with using(keyring_of(world.personas["contact-member"])):
        contact.log_contact(
            author=world.personas["contact-member"],
            group=contact_group,
            occurred_on=_day(-119),
            channel="email",
            direction="outgoing",
            counterpart="him",
            counterpart_note="",
            summary="We wrote.",
        )
    with using(keyring_of(world.personas["support-member"])):
        contact.log_contact(
            author=world.personas["support-member"],
            group=support,
            occurred_on=_day(-2),
            channel="phone",
            direction="incoming",
            counterpart="him",
            counterpart_note="",
            summary="He called us.",
        )
    figures, alerts = _group_view(world, "contact-member")
    assert figures is not None and figures.days_since_contact == 119
    [overdue] = [a for a in alerts if a.kind == rules.CONTACT_OVERDUE]
    # Our own attempt is no two-way contact (DESIGN §6), and his call to the
    # support group is not the contact group's to count: since the start.
    assert overdue.since is None and overdue.severity == rules.OVERDUE
    assert [a.since for a in alerts if a.kind == rules.NO_ANSWER] == [_day(-119)]
    # The support group reads both, and is not the group asked to keep contact.
    figures, alerts = _group_view(world, "support-member")
    assert figures is not None and figures.days_since_contact == 2
    assert not [a for a in alerts if a.kind in (rules.CONTACT_OVERDUE, rules.NO_ANSWER)]
