"""Where alerts go: the "needs attention" lists of the members concerned and
of nobody else, `holdspace watch --json`, content-free reminders sent once,
and a calendar feed with neutral titles."""

from __future__ import annotations

import datetime
import io
import json
import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from holdspace.commitments import services as commitments
from holdspace.commitments.models import Agreement
from holdspace.contact import services as contact
from holdspace.processes.models import Membership
from holdspace.processes.services import change_audience
from holdspace.testing import (
    BUILDERS,
    GROUP_KINDS,
    World,
    add_member,
    assert_refused,
    client_for,
    stored_bytes,
)
from holdspace.watch import rules, services
from holdspace.watch.models import Cadence, SentReminder

pytestmark = pytest.mark.django_db

PERSONAS = [f"{kind}-{role}" for kind in GROUP_KINDS for role in ("coordinator", "member")] + [
    "survivor",
    "portal",
    "admin",
    "outsider",
]
SECRETS = ["The café by the river", "He wrote again", "Stay away from the co-op", "Lists"]


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _every_kind(world: World) -> None:
    """Data that makes every alert kind appear in Process Willow."""
    groups, personas = world.groups, world.personas
    writer = personas["contact-member"]
    contact.log_contact(
        author=writer,
        group=groups["contact"],
        occurred_on=_ago(100),
        channel="email",
        direction="outgoing",
        counterpart="him",
        counterpart_note="",
        summary=SECRETS[1],
    )
    for day, outcome in ((_ago(100), "no_show"), (_ago(-5), "scheduled")):
        contact.plan_meeting(
            author=writer,
            group=groups["contact"],
            occurred_on=day,
            starts_at=datetime.time(18, 0),
            internal=False,
            place=SECRETS[0],
            agenda="",
            preparation_asked="",
            attendees=[writer],
            outcome=outcome,
        )
    demand = commitments.create_demand(
        author=personas["support-member"],
        group=groups["support"],
        occurred_on=_ago(0),
        wording=SECRETS[3],
        reason="",
        audience=[groups["contact"]],
    )
    commitments.add_step(
        demand, author=writer, group=groups["contact"], description=SECRETS[3], due_on=_ago(-3)
    )
    agreement = commitments.create_agreement(
        author=personas["support-member"],
        group=groups["support"],
        agreement_kind=Agreement.Kind.NO_CONTACT,
        terms=SECRETS[2],
        binds="K.",
        starts_on=_ago(10),
        ends_on=_ago(-10),
        review_on=_ago(-5),
        status=Agreement.Status.AGREED,
    )
    change_audience(
        agreement,
        by=personas["support-member"],
        groups=[groups["supervision"]],
        to_harming_party=False,
        to_harmed_party=False,
    )
    Membership.objects.filter(
        group=groups["support_team"], user=personas["support_team-member"]
    ).update(commitment_until=_ago(-10))


EXPECTED = {
    "support": {"agreement_review_due", "agreement_ending", "step_overdue"},
    "contact": {
        "contact_overdue",
        "no_answer",
        "meeting_no_show",
        "meeting_upcoming",
        "report_due",
        "step_overdue",
    },
    "supervision": {"agreement_review_due", "agreement_ending"},
    "support_team": {"commitment_ending"},
}


def _kinds(content: bytes) -> set[str]:
    return set(re.findall(r'data-kind="([a-z_]+)"', content.decode()))


def test_each_member_sees_the_alerts_of_their_groups_and_nobody_else_does(world: World) -> None:
    """Done when: the dashboard shows the alerts to the members who may see
    them, and to nobody else (matrix over every persona)."""
    _every_kind(world)
    for persona in PERSONAS:
        kind = persona.rsplit("-", 1)[0] if "-" in persona else None
        expected = EXPECTED.get(kind or "", set())
        client = client_for(world, persona)
        dashboard = client.get("/dashboard/").content
        assert _kinds(dashboard) == expected, persona
        process_page = client.get(f"/p/{world.process.pk}/")
        if process_page.status_code == 200:
            assert _kinds(process_page.content) == expected, persona
        for secret in SECRETS:
            assert secret.encode() not in dashboard, (persona, secret)


def test_a_commitment_ending_leads_the_member_to_their_own_settings(world: World) -> None:
    _every_kind(world)
    group = world.groups["support_team"]
    member = client_for(world, "support_team-member").get("/dashboard/").content.decode()
    assert f"/g/{group.pk}/me/" in member and "Your commitment to a group ends" in member
    coordinator = client_for(world, "support_team-coordinator").get("/dashboard/").content.decode()
    assert f'href="/g/{group.pk}/"' in coordinator and "find someone to take over" in coordinator


@pytest.mark.parametrize(
    ("day", "words"),
    [(76, "by"), (89, "by"), (90, "today"), (91, "since")],
)
def test_the_dashboard_counts_days_like_the_rules(world: World, day: int, words: str) -> None:
    contact.log_contact(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        occurred_on=timezone.localdate(),
        channel="call",
        direction="outgoing",
        counterpart="him",
        counterpart_note="",
        summary="A call.",
        answered_on=timezone.localdate(),
    )
    later = timezone.now() + datetime.timedelta(days=day)
    with time_machine.travel(later, tick=False):
        page = client_for(world, "contact-member").get("/dashboard/").content.decode()
        item = re.search(r'data-kind="contact_overdue">(.*?)</li>', page, re.S)
        assert item is not None
        tag = re.search(r'<span class="tag[^"]*">(.*?)</span>', item.group(1), re.S)
        assert tag is not None and tag.group(1).strip().startswith(words), tag
    with time_machine.travel(timezone.now() + datetime.timedelta(days=75), tick=False):
        early = client_for(world, "contact-member").get("/dashboard/").content
        assert "contact_overdue" not in _kinds(early)


def test_a_fresh_demo_lists_every_kind_for_scripts(tmp_path: Path) -> None:
    """Done when: on a fresh demo, `holdspace watch --json` lists them all."""
    call_command("demo", credentials=str(tmp_path / "c.json"))
    out = io.StringIO()
    call_command("watch", json=True, stdout=out)
    rows = json.loads(out.getvalue())["alerts"]
    assert {row["kind"] for row in rows} >= {
        "contact_overdue",
        "no_answer",
        "meeting_no_show",
        "meeting_upcoming",
        "report_due",
        "agreement_review_due",
        "step_overdue",
        "commitment_ending",
        # Registered by the decisions and circle apps (issue 13).
        "decision_due",
        "decision_review_due",
        "embargo_ending",
        "inform_unconfirmed",
    }
    assert all(set(row) == {"kind", "process", "due", "severity"} for row in rows)
    assert "Juniper" not in out.getvalue()


# Reminders -----------------------------------------------------------------------


def _subscribe(world: World, persona: str, email: str, enabled: bool = True) -> None:
    data = {"email": email, "enabled": "on"} if enabled else {"email": email}
    response = client_for(world, persona).post("/account/reminders/", data)
    assert response.status_code == 302


def test_tick_reminds_each_member_once_and_says_nothing(world: World) -> None:
    """Done when: `holdspace tick` run twice sends each reminder once, and the
    e-mails contain no canary, name or title (S35)."""
    _every_kind(world)
    _subscribe(world, "contact-member", "contact@example.org")
    _subscribe(world, "supervision-member", "supervision@example.org")
    _subscribe(world, "community-member", "community@example.org")  # nothing for them
    _subscribe(world, "support-member", "support@example.org", enabled=False)
    call_command("tick", stdout=io.StringIO())
    call_command("tick", stdout=io.StringIO())
    assert sorted(message.to[0] for message in mail.outbox) == [
        "contact@example.org",
        "supervision@example.org",
    ]
    names = [world.process.name, *(g.name for g in world.groups.values())]
    names += [u.username for u in world.personas.values()]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for word in [*SECRETS, *names, "K.", "agreement", "meeting"]:
            assert word not in text, word
        assert not re.search(r"\d", text.replace("127.0.0.1:8000", "")), "no counts or dates"
    assert mail.outbox[0].body == mail.outbox[1].body
    # Something new for supervision: one more e-mail, for them only.
    Agreement.objects.update(review_on=timezone.localdate())
    call_command("tick", stdout=io.StringIO())
    assert [message.to[0] for message in mail.outbox[2:]] == ["supervision@example.org"]


def test_reminder_addresses_are_not_stored_in_the_clear(world: World) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("searches the SQLite files")
    _subscribe(world, "contact-member", "canary-4b1d5e@example.org")
    page = client_for(world, "contact-member").get("/account/reminders/").content
    assert b"canary-4b1d5e@example.org" in page
    assert b"canary-4b1d5e" not in stored_bytes()


def test_reminders_need_an_address(world: World) -> None:
    client = client_for(world, "contact-member")
    assert_refused(
        client, "/account/reminders/", {"enabled": "on", "email": ""}, "Please give the address"
    )
    assert_refused(
        client,
        "/account/reminders/",
        {"enabled": "on", "email": "not an address"},
        "not an address",
    )
    assert not SentReminder.objects.exists()


# The calendar feed ---------------------------------------------------------------


def test_the_calendar_feed_has_neutral_titles_and_can_be_revoked(world: World) -> None:
    _every_kind(world)
    client = client_for(world, "contact-member")
    page = client.post("/account/calendar/", {"action": "new"}).content.decode()
    match = re.search(r"http://testserver(/calendar/[A-Za-z0-9_-]{43}/)", page)
    assert match is not None
    address = match.group(1)
    assert address not in client.get("/account/calendar/").content.decode()  # shown once
    feed = client_for(world, "anonymous").get(address)
    assert feed.status_code == 200 and feed["Content-Type"] == "text/calendar"
    text = feed.content.decode()
    assert text.count("SUMMARY:Holdspace meeting") == 2
    assert "SUMMARY:Holdspace reminder" in text
    names = [world.process.name, *(g.name for g in world.groups.values())]
    names += [u.username for u in world.personas.values()]
    for word in [*SECRETS, *names, "LOCATION", "DESCRIPTION"]:
        assert word not in text, word
    client.post("/account/calendar/", {"action": "revoke"})
    assert client_for(world, "anonymous").get(address).status_code == 404
    assert client_for(world, "anonymous").get("/calendar/not-a-token/").status_code == 404


def test_the_calendar_feed_asks_the_same_number_of_queries_for_more_processes(
    world: World,
) -> None:
    _every_kind(world)
    member = world.personas["contact-member"]
    address = services.new_calendar(member)
    anonymous = client_for(world, "anonymous")
    with CaptureQueriesContext(connection) as one:
        assert anonymous.get(f"/calendar/{address}/").status_code == 200
    add_member(BUILDERS[world.other_process.pk], world.other_groups["contact"], member, "member")
    with CaptureQueriesContext(connection) as two:
        feed = anonymous.get(f"/calendar/{address}/").content.decode()
    assert feed.count("SUMMARY:Holdspace meeting") == 2
    assert len(two.captured_queries) == len(one.captured_queries)


# Settings ------------------------------------------------------------------------


@pytest.mark.parametrize("days", ["0", "-5", "", "ninety"])
def test_a_cadence_of_zero_or_less_is_refused(world: World, days: str) -> None:
    client = client_for(world, "support-coordinator")
    data = {"contact_days": days, "no_answer_days": "14", "report_days": "90", "version": "1"}
    url = f"/p/{world.process.pk}/cadence/"
    if days:
        assert_refused(client, url, data, "Please give a number of days from 1 to 3650.")
    else:
        assert_refused(client, url, data, "Please fill this in.")


def test_the_cadence_changes_when_the_watchdog_speaks(world: World) -> None:
    client = client_for(world, "support-coordinator")
    data = {"contact_days": "30", "no_answer_days": "7", "report_days": "60", "version": "1"}
    assert client.post(f"/p/{world.process.pk}/cadence/", data).status_code == 302
    cadence = Cadence.objects.get(process=world.process)
    assert (cadence.contact_days, cadence.no_answer_days, cadence.report_days) == (30, 7, 60)
    stale = assert_refused(
        client, f"/p/{world.process.pk}/cadence/", data, "This was changed meanwhile"
    )
    assert stale.status_code == 200
    assert rules.Cadence().contact_days == 90  # the default stays for other processes


def test_our_unanswered_attempts_keep_no_cadence_and_the_alert_puts_the_duty_on_him(
    world: World,
) -> None:
    """DESIGN §6: only two-way contact keeps the cadence. The words put the
    duty to answer on him; the group's part is to keep trying and decide."""
    for days in (200, 120, 30):
        contact.log_contact(
            author=world.personas["contact-member"],
            group=world.groups["contact"],
            occurred_on=_ago(days),
            channel="email",
            direction="outgoing",
            counterpart="him",
            counterpart_note="",
            summary="We wrote again.",
        )
    page = client_for(world, "contact-member").get(f"/p/{world.process.pk}/")
    text = re.sub(r"\s+", " ", page.content.decode())
    overdue = re.search(r'data-kind="contact_overdue">(.*?)</li>', text)
    assert overdue is not None  # the e-mail of 30 days ago does not keep the cadence
    assert "No reply from him and no meeting yet. Answering is his duty; keep trying" in text
    since = _ago(200).strftime("%-d %B %Y")
    assert f"He has not answered your attempt of {since}. That is his to do" in text
    assert "Time to contact him" not in text
