"""Two dates on every record (DESIGN §6, issue 11): a group that starts using
Holdspace years into a process writes it all down through the forms, each
thing on the day it happened. The chronology and every record's history read
in the order things happened; a record's page says when it was written down."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import dateformat, timezone

from holdspace.accounts.models import User
from holdspace.commitments import services as commitments
from holdspace.commitments.models import Agreement, Demand, Step, WordingProposal
from holdspace.contact import services
from holdspace.contact.models import Contact, Meeting
from holdspace.processes import services as process_services
from holdspace.processes.models import Group, Process
from holdspace.testing import World, assert_refused, client_for

pytestmark = pytest.mark.django_db

WORDING = "Join a programme and finish it."


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _day(days: int) -> str:
    return _ago(days).isoformat()


def _shown(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


def _ok(client: Client, url: str, data: dict[str, Any]) -> Any:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return response


def _start(world: World) -> tuple[Client, Process, Group, Group]:
    """A process that began two years ago, with a support and a contact
    group, started through the forms by someone who coordinates both."""
    founder = world.personas["support-coordinator"]
    User.objects.filter(pk=founder.pk).update(may_start_processes=True)
    client = client_for(world, "support-coordinator")
    _ok(
        client,
        "/processes/new/",
        {
            "name": "Process Rowan",
            "started_on": _day(730),
            "harmed_term": "survivor",
            "harming_term": "person_who_caused_harm",
            "harmed_pseudonym": "A.",
            "harming_pseudonym": "X",
            "group_kind": "support",
            "group_name": "Rowan support group",
            "commitment_until": "",
        },
    )
    process = Process.objects.latest("created_at")
    new_group = {"kind": "contact", "name": "Rowan contact group", "purpose": ""}
    _ok(client, f"/p/{process.pk}/groups/new/", new_group)
    groups = {group.kind: group for group in Group.objects.filter(process=process)}
    return client, process, groups["support"], groups["contact"]


def _chronology(client: Client, process: Process) -> list[tuple[str, str, str]]:
    """The rows of the chronology, every page of it: (kind, date, text)."""
    rows: list[tuple[str, str, str]] = []
    for number in range(1, 10):
        page = client.get(f"/p/{process.pk}/timeline/?page={number}").content.decode()
        found = re.findall(
            r'<article class="record record--(\w+)".*?<time datetime="([\d-]+)">(.*?)</article>',
            page,
            re.S,
        )
        rows += [
            (kind, day, html.unescape(re.sub(r"<[^>]+>", " ", text))) for kind, day, text in found
        ]
        if 'rel="next"' not in page:
            return rows
    raise AssertionError("the chronology has too many pages")


def _write_it_all_down(world: World) -> dict[str, Any]:
    """Two years of a process, written down today, in an order of its own."""
    client, process, support, contact = _start(world)
    tasks = f"/p/{process.pk}/hand-over/?task=contact"
    # Until there was a contact group, the support group kept in touch.
    moved = {"reason": "As it was then."}
    _ok(client, tasks, {**moved, "group": support.pk, "happened_on": _day(720)})
    _ok(client, tasks, {**moved, "group": contact.pk, "happened_on": _day(600)})
    demand_data = {
        "wording": WORDING,
        "reason": "",
        "occurred_on": _day(700),
        "share_with": [contact.pk],
    }
    _ok(client, f"/g/{support.pk}/demands/new/", demand_data)
    demand = Demand.objects.get(process=process)
    agreement_data = {
        "agreement_kind": "no_contact",
        "terms": "No contact with A.",
        "binds": "X",
        "starts_on": _day(690),
        "ends_on": "",
        "review_on": "",
        "status": "agreed",
    }
    _ok(client, f"/g/{contact.pk}/agreements/new/", agreement_data)
    agreement = Agreement.objects.get(process=process)
    ended = {"status": "ended", "seen": "agreed", "happened_on": _day(200)}
    _ok(client, f"/a/{agreement.pk}/status/", ended)
    breach = {
        "happened_on": _day(350),
        "reported_on": _day(340),
        "reported_by": "A.'s support group",
        "what": "He wrote to her.",
        "severity": "serious",
        "response": "",
    }
    _ok(client, f"/a/{agreement.pk}/breaches/new/", breach)
    letter = {"occurred_on": _day(710), "title": "Our letter", "body": "What we ask."}
    _ok(client, f"/g/{support.pk}/letter/new/", letter)
    meeting_data = {
        "occurred_on": _day(500),
        "starts_at": "",
        "place": "",
        "agenda": "",
        "preparation_asked": "",
        "outcome": "held",
        "minutes": "He listened.",
        "follow_ups": "He sends us three programmes.",
    }
    _ok(client, f"/g/{contact.pk}/meetings/new/", meeting_data)
    meeting = Meeting.objects.get(process=process)
    # Two steps agreed at that meeting, each with the due date agreed then.
    on_time = {
        "demand": demand.pk,
        "description": "Send us three programmes.",
        "agreed_on": _day(500),
        "due_on": _day(470),
    }
    _ok(client, f"/m/{meeting.pk}/step/", on_time)
    late = {
        "group": contact.pk,
        "description": "Tell his choir.",
        "agreed_on": _day(500),
        "due_on": _day(400),
    }
    _ok(client, f"/d/{demand.pk}/steps/new/", late)
    done = Step.objects.get(process=process, due_on=_ago(470))
    overdue = Step.objects.get(process=process, due_on=_ago(400))
    _ok(
        client,
        f"/s/{done.pk}/status/",
        {"status": "done", "seen": "open", "happened_on": _day(465)},
    )
    status = f"/d/{demand.pk}/status/"
    _ok(
        client,
        status,
        {"status": "in_progress", "note": "", "seen": "open", "happened_on": _day(450)},
    )
    refused = {"status": "refused", "note": "He says no.", "seen": "in_progress"}
    _ok(client, status, {**refused, "happened_on": _day(300)})
    attempt = {
        "direction": "outgoing",
        "counterpart": "him",
        "counterpart_note": "",
        "channel": "email",
        "occurred_on": _day(580),
        "summary": "We introduced ourselves.",
    }
    _ok(client, f"/g/{contact.pk}/contacts/new/", attempt)
    contact_record = Contact.objects.get(process=process)
    _ok(client, f"/c/{contact_record.pk}/answered/", {"answered_on": _day(560)})
    proposal = {
        "kind": "reword",
        "wording": "Join a programme near you and finish it.",
        "reason": "There is none in his town.",
        "happened_on": _day(250),
    }
    _ok(client, f"/d/{demand.pk}/propose/", proposal)
    proposed = WordingProposal.objects.get(demand=demand)
    decision = {"decision": "approve", "reason": "", "happened_on": _day(240), "confirmed": "on"}
    _ok(client, f"/d/{demand.pk}/proposals/{proposed.pk}/decide/", decision)
    commitments.note_due_dates()  # the watchdog's tick: the late step is overdue
    return {
        "client": client,
        "process": process,
        "demand": demand,
        "agreement": agreement,
        "meeting": meeting,
        "done": done,
        "overdue": overdue,
        "contact": contact_record,
    }


def test_a_process_written_down_years_later_reads_in_the_order_things_happened(
    world: World,
) -> None:
    """Done when: a whole process back-dated through the forms — started two
    years ago, records with past dates, status changes, a step with a past
    due date, an agreement ended, a hand-over, a meeting — is dated in the
    past, and its chronology reads in the order things happened."""
    made = _write_it_all_down(world)
    rows = _chronology(made["client"], made["process"])
    days = [day for _kind, day, _text in rows]
    assert days == sorted(days, reverse=True), "newest first, by the day it happened"
    expected = {
        "The process was started": 730,
        "moved from Rowan contact group to Rowan support group": 720,
        "Our letter": 710,
        "Agreement (no contact with the person harmed): agreed.": 690,
        "moved from Rowan support group to Rowan contact group": 600,
        "We introduced ourselves.": 580,
        "He listened.": 500,
        "”: done.": 465,
        "now in progress.": 450,
        "“Tell his choir.” is overdue.": 399,
        "was recorded: serious.": 350,
        "now refused.": 300,
        "Proposed for the demand": 250,
        "A new wording of a demand was agreed": 240,
        "Agreement (no contact with the person harmed): ended.": 200,
        # The one thing asked no date: a group added today is shown today.
        "The group Rowan contact group was added": 0,
    }
    for text, ago in expected.items():
        shown = [day for _kind, day, row in rows if text in row]
        assert shown == [_day(ago)], (text, shown)
    by_kind = {kind: day for kind, day, _text in rows if kind != "event"}
    assert by_kind["demand"] == _day(700) and by_kind["meeting"] == _day(500)
    assert sorted(day for kind, day, _ in rows if kind == "step") == [_day(500)] * 2
    # Everything else is dated in the past, none of it before the process began.
    assert days.count(_day(0)) == 1 and min(days) == _day(730)


def test_each_records_history_reads_in_the_order_things_happened(world: World) -> None:
    made = _write_it_all_down(world)
    client = made["client"]
    today = _shown(_ago(0))
    page = client.get(f"/d/{made['demand'].pk}/").content.decode()
    statuses = page[page.index("<h3>Status</h3>") :]
    assert (
        statuses.index(f"{_shown(_ago(700))}</time>: open")
        < statuses.index(f"{_shown(_ago(450))}</time>: in progress")
        < statuses.index(f"{_shown(_ago(300))}</time>: refused")
    )
    assert f"Happened on {_shown(_ago(700))}, written down here on {today}." in page
    assert page.index(f"Agreed on {_shown(_ago(700))}") < page.index(
        f"Agreed on {_shown(_ago(240))}"
    )
    done = client.get(f"/s/{made['done'].pk}/").content.decode()
    assert f"Due by {_shown(_ago(470))}. Agreed on {_shown(_ago(500))}" in done
    assert f"Closed on {_shown(_ago(465))}." in done and "overdue" not in done
    assert f"{_shown(_ago(465))}</time>: done" in done
    late = client.get(f"/s/{made['overdue'].pk}/").content.decode()
    assert f"{_shown(_ago(399))}</time>: overdue" in late
    agreement = client.get(f"/a/{made['agreement'].pk}/").content.decode()
    history = agreement[agreement.index("<h2>History</h2>") :]
    assert (
        history.index(f"{_shown(_ago(690))}</time>: agreed")
        < history.index(f"{_shown(_ago(350))}</time>: a breach (serious)")
        < history.index(f"{_shown(_ago(200))}</time>: ended")
    )
    assert f"Happened on {_shown(_ago(350))}, reported on {_shown(_ago(340))}" in agreement
    meeting = client.get(f"/m/{made['meeting'].pk}/").content.decode()
    assert f"Happened on {_shown(_ago(500))}, written down here on {today}." in meeting
    contact = client.get(f"/c/{made['contact'].pk}/").content.decode()
    assert f"answered on {_shown(_ago(560))}" in contact


# Bad days are refused in plain words, what was typed kept, nothing changed ---

BEFORE_THE_START = "2024-12-31"  # the test world's process started on 1 January 2025
STARTED = "The process started on 1 January 2025. Choose that day or a later one."
NOT_YET = "Choose today or a day in the past."


def test_a_hand_over_takes_its_day_and_refuses_one_that_cannot_be(world: World) -> None:
    # Contact goes from the contact group to the support group, and back.
    client = client_for(world, "contact-coordinator")
    url = f"/p/{world.process.pk}/hand-over/?task=contact"
    data = {"group": world.groups["support"].pk, "reason": "For a while."}
    for day, message in ((_day(-1), NOT_YET), (BEFORE_THE_START, STARTED)):
        response = assert_refused(client, url, {**data, "happened_on": day}, message)
        assert f'value="{day}"' in response.content.decode()
    _ok(client, url, {**data, "happened_on": _day(30)})
    client = client_for(world, "support-coordinator")
    back = {"group": world.groups["contact"].pk, "reason": "Back.", "happened_on": _day(40)}
    message = f"This task was last handed over on {_shown(_ago(30))}."
    assert_refused(client, url, back, message)
    _ok(client, url, {**back, "happened_on": _day(10)})
    moved = process_services.last_hand_overs(world.process)
    assert moved == {"contact": _ago(10)}


def _scheduled(world: World, took_place: int) -> Meeting:
    """A meeting planned before its day, which has since come."""
    meeting = services.plan_meeting(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        occurred_on=_ago(-5),
        starts_at=None,
        internal=False,
        place="",
        agenda="",
        preparation_asked="",
        attendees=[],
    )
    Meeting.objects.filter(pk=meeting.pk).update(occurred_on=_ago(took_place))
    return meeting


def test_a_meeting_called_off_keeps_the_day_it_was_called_off(world: World) -> None:
    meeting = _scheduled(world, took_place=20)
    client = client_for(world, "contact-member")
    form = client.get(f"/m/{meeting.pk}/outcome/").content.decode()
    assert "When did this happen?" in form and f'value="{_day(20)}"' in form
    data = {
        "outcome": "cancelled_by_him",
        "preparation": "not_asked",
        "minutes": "",
        "follow_ups": "",
    }
    _ok(client, f"/m/{meeting.pk}/outcome/", {**data, "happened_on": _day(23)})
    meeting.refresh_from_db()
    assert meeting.outcome_on == _ago(23) and meeting.occurred_on == _ago(20)
    page = client.get(f"/m/{meeting.pk}/").content.decode()
    assert f'Called off on</dt><dd><time datetime="{_day(23)}">{_shown(_ago(23))}' in page


@pytest.mark.parametrize(
    ("outcome", "day", "message"),
    [
        ("held", _day(19), f"A meeting is held, or missed, on its own day ({_shown(_ago(20))})."),
        ("no_show", _day(21), "on its own day"),
        ("cancelled_by_us", _day(10), "A meeting is called off before its day"),
        ("cancelled_by_him", BEFORE_THE_START, STARTED),
    ],
)
def test_a_meeting_outcome_on_a_day_that_cannot_be_is_refused(
    world: World, outcome: str, day: str, message: str
) -> None:
    meeting = _scheduled(world, took_place=20)
    client = client_for(world, "contact-member")
    data = {
        "outcome": outcome,
        "preparation": "not_asked",
        "minutes": "We waited an hour.",
        "follow_ups": "",
        "happened_on": day,
    }
    url = f"/m/{meeting.pk}/outcome/"
    assert_refused(client, url, data, message, "We waited an hour.", f'value="{day}"')


def test_an_answer_before_the_process_started_is_refused(world: World) -> None:
    attempt = services.log_contact(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        occurred_on=datetime.date(2024, 12, 1),
        channel="email",
        direction="outgoing",
        counterpart="him",
        counterpart_note="",
        summary="Before it all began.",
    )
    client = client_for(world, "contact-member")
    url = f"/c/{attempt.pk}/answered/"
    assert_refused(client, url, {"answered_on": BEFORE_THE_START}, STARTED)


def test_a_follow_up_step_is_agreed_on_the_meetings_day_and_may_be_due_since(
    world: World,
) -> None:
    demand = commitments.create_demand(
        author=world.personas["support-member"],
        group=world.groups["support"],
        occurred_on=_ago(90),
        wording=WORDING,
        reason="",
        audience=[world.groups["contact"]],
    )
    meeting = _scheduled(world, took_place=60)
    client = client_for(world, "contact-member")
    url = f"/m/{meeting.pk}/step/"
    assert f'value="{_day(60)}"' in client.get(url).content.decode()
    data = {"demand": demand.pk, "description": "Tell his choir.", "agreed_on": _day(60)}
    message = f"The due date cannot come before the day the step was agreed ({_shown(_ago(60))})."
    assert_refused(client, url, {**data, "due_on": _day(61)}, message, "Tell his choir.")
    assert_refused(
        client, url, {**data, "agreed_on": _day(95), "due_on": _day(30)}, "The demand was made on"
    )
    _ok(client, url, {**data, "due_on": _day(30)})
    step = Step.objects.get()
    assert step.occurred_on == _ago(60) and step.is_overdue()
