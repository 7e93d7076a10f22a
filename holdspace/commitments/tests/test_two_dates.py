"""Every change of a demand, step or agreement is dated the day it happened
(DESIGN §6): asked in the form, today unless said otherwise, never in the
future, never before the process started nor before what it changes. A bad
day is refused in plain words, with what was typed kept and nothing changed."""

from __future__ import annotations

import datetime
import html

import pytest
from django.utils import dateformat, timezone

from holdspace.commitments import services
from holdspace.commitments.events import Code
from holdspace.commitments.models import Agreement, Demand, Step, WordingProposal
from holdspace.processes.models import Event
from holdspace.testing import World, assert_refused, client_for

pytestmark = pytest.mark.django_db

# The test world's process started on 1 January 2025.
BEFORE_THE_START = "2024-12-31"
STARTED = "The process started on 1 January 2025. Choose that day or a later one."
NOT_YET = "Choose today or a day in the past."


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _day(days: int) -> str:
    return _ago(days).isoformat()


def _shown(days: int) -> str:
    return dateformat.format(_ago(days), "j F Y")


def _demand(world: World, made: int = 0) -> Demand:
    return services.create_demand(
        author=world.personas["support-member"],
        group=world.groups["support"],
        occurred_on=_ago(made),
        wording="Join a programme and finish it.",
        reason="",
        audience=[world.groups["contact"]],
    )


def _step(world: World, demand: Demand, agreed: int = 0) -> Step:
    return services.add_step(
        demand,
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        description="Send three names.",
        agreed_on=_ago(agreed),
        due_on=_ago(agreed - 30),
    )


def _agreement(world: World) -> Agreement:
    return services.create_agreement(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        agreement_kind=Agreement.Kind.NO_CONTACT,
        terms="No contact.",
        binds="X",
        starts_on=_ago(100),
        ends_on=None,
        review_on=None,
        status=Agreement.Status.AGREED,
    )


# Demands ---------------------------------------------------------------------


def test_a_status_change_takes_the_day_it_happened(world: World) -> None:
    demand = _demand(world, made=400)
    client = client_for(world, "contact-member")
    form = client.get(f"/d/{demand.pk}/status/").content.decode()
    assert "When did this happen?" in form and f'value="{_day(0)}"' in form
    data = {"status": "refused", "note": "He said no.", "happened_on": _day(300)}
    client.post(f"/d/{demand.pk}/status/", data)
    change = demand.status_changes.get(status=Demand.Status.REFUSED)
    assert change.changed_on == _ago(300)
    event = Event.objects.get(code=Code.DEMAND_STATUS, about=demand)
    assert event.occurred_on == _ago(300) and event.created_at.date() == timezone.now().date()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (_day(-1), NOT_YET),
        (BEFORE_THE_START, STARTED),
        (_day(50), "The demand was made on"),
    ],
)
def test_a_status_change_on_a_day_that_cannot_be_is_refused(
    world: World, day: str, message: str
) -> None:
    demand = _demand(world, made=40)
    client = client_for(world, "contact-member")
    data = {"status": "refused", "note": "He said no.", "happened_on": day}
    response = assert_refused(
        client, f"/d/{demand.pk}/status/", data, message, "He said no.", f'value="{day}"'
    )
    assert response.status_code == 200


def test_a_status_change_cannot_come_before_the_last_one(world: World) -> None:
    demand = _demand(world, made=40)
    services.change_status(
        demand,
        by=world.personas["contact-member"],
        status=Demand.Status.IN_PROGRESS,
        note="",
        happened_on=_ago(10),
    )
    client = client_for(world, "contact-member")
    data = {"status": "refused", "note": "He stopped.", "happened_on": _day(20)}
    message = f"Its status last changed on {_shown(10)}. Choose that day or a later one"
    assert_refused(client, f"/d/{demand.pk}/status/", data, message, "He stopped.")


def test_proposals_decisions_and_wordings_cannot_come_before_what_they_change(
    world: World,
) -> None:
    demand = _demand(world, made=40)
    contact = client_for(world, "contact-member")
    proposal = {"kind": "met", "wording": "", "reason": "He did it.", "happened_on": _day(50)}
    message = f"The demand was made on {_shown(40)}."
    assert_refused(contact, f"/d/{demand.pk}/propose/", proposal, message, "He did it.")
    made = services.propose(
        demand,
        by=world.personas["contact-member"],
        group=world.groups["contact"],
        kind=WordingProposal.Kind.MET,
        wording="",
        reason="He did it.",
        proposed_on=_ago(20),
    )
    support = client_for(world, "support-member")
    url = f"/d/{demand.pk}/proposals/{made.pk}/decide/"
    decision = {
        "decision": "approve",
        "reason": "We checked.",
        "happened_on": _day(30),
        "confirmed": "on",
    }
    assert_refused(support, url, decision, f"It was proposed on {_shown(20)}.", "We checked.")
    reword = {"wording": "Finish a programme.", "version": demand.version, "happened_on": _day(41)}
    assert_refused(support, f"/d/{demand.pk}/wording/", reword, message, "Finish a programme.")
    # On good days, each is dated as said, and the history reads in that order.
    support.post(url, {**decision, "happened_on": _day(15)})
    demand.refresh_from_db()
    made.refresh_from_db()
    assert demand.status == Demand.Status.MET and made.decided_on == _ago(15)
    statuses = list(demand.status_changes.values_list("status", "changed_on"))
    assert statuses == [("open", _ago(40)), ("met", _ago(15))]


# Steps -----------------------------------------------------------------------


def test_a_step_agreed_at_a_past_meeting_keeps_its_past_due_date_and_is_overdue(
    world: World,
) -> None:
    demand = _demand(world, made=200)
    client = client_for(world, "contact-member")
    data = {
        "group": world.groups["contact"].pk,
        "description": "Send three names.",
        "agreed_on": _day(120),
        "due_on": _day(90),
    }
    response = client.post(f"/d/{demand.pk}/steps/new/", data)
    step = Step.objects.get()
    assert response["Location"] == f"/s/{step.pk}/"
    assert step.occurred_on == _ago(120) and step.due_on == _ago(90)
    assert services.note_due_dates() == 1
    overdue = Event.objects.get(code=Code.STEP_STATUS, about=step, value=Step.OVERDUE)
    assert overdue.occurred_on == _ago(89)
    page = client.get(f"/s/{step.pk}/").content.decode()
    assert "overdue" in page and f"Agreed on {_shown(120)}" in page


@pytest.mark.parametrize(
    ("agreed", "due", "message"),
    [
        (
            _day(30),
            _day(40),
            f"The due date cannot come before the day the step was agreed ({_shown(30)}).",
        ),
        (BEFORE_THE_START, _day(40), STARTED),
        (_day(-2), _day(-5), NOT_YET),
        (_day(0), _day(1), "The due date cannot come before the day the step was agreed"),
    ],
)
def test_a_step_due_before_it_was_agreed_or_agreed_on_a_day_that_cannot_be_is_refused(
    world: World, agreed: str, due: str, message: str
) -> None:
    demand = _demand(world, made=60)
    client = client_for(world, "contact-member")
    data = {
        "group": world.groups["contact"].pk,
        "description": "Too late.",
        "agreed_on": agreed,
        "due_on": due,
    }
    assert_refused(client, f"/d/{demand.pk}/steps/new/", data, message, "Too late.")


def test_a_steps_status_takes_the_day_it_happened_and_refuses_a_day_before_it(
    world: World,
) -> None:
    step = _step(world, _demand(world, made=60), agreed=50)
    client = client_for(world, "contact-member")
    url = f"/s/{step.pk}/status/"
    for day, message in (
        (_day(55), f"The step was agreed on {_shown(50)}."),
        (_day(-1), NOT_YET),
    ):
        response = assert_refused(
            client, url, {"status": "done", "seen": "open", "happened_on": day}, message
        )
        # The step's own page, with the day that was typed in its field.
        assert response.status_code == 200 and f'value="{day}"' in response.content.decode()
        # Listed in the error summary, linked to the day's field (issue 12).
        link = f'<a href="#step-happened_on">When did this happen? {message}'
        assert link in html.unescape(response.content.decode())
    client.post(url, {"status": "done", "seen": "open", "happened_on": _day(20)})
    step.refresh_from_db()
    assert step.status == Step.Status.DONE and step.closed_on == _ago(20)
    reopen = {"status": "open", "seen": "done", "happened_on": _day(25)}
    assert_refused(client, url, reopen, f"Its status last changed on {_shown(20)}.")


def test_an_edited_step_may_be_due_in_the_past_but_not_before_it_was_agreed(
    world: World,
) -> None:
    step = _step(world, _demand(world, made=60), agreed=50)
    client = client_for(world, "contact-member")
    url = f"/s/{step.pk}/edit/"
    data = {
        "description": "Send three names.",
        "version": step.version,
        "occurred_on": _day(50),
        "due_on": _day(55),
    }
    assert_refused(client, url, data, "The due date cannot come before the day the step")
    client.post(url, {**data, "due_on": _day(40)})
    step.refresh_from_db()
    assert step.due_on == _ago(40) and step.is_overdue()


def test_a_step_agreed_today_by_mistake_can_be_moved_back_to_the_day_it_was_agreed(
    world: World,
) -> None:
    step = _step(world, _demand(world, made=60), agreed=0)
    client = client_for(world, "contact-member")
    status = f"/s/{step.pk}/status/"
    done = {"status": "done", "seen": "open", "happened_on": _day(10)}
    assert_refused(client, status, done, f"The step was agreed on {_shown(0)}.")
    edit = {"description": "Send three names.", "version": step.version, "due_on": _day(-30)}
    assert_refused(
        client, f"/s/{step.pk}/edit/", {**edit, "occurred_on": _day(70)}, "The demand was made on"
    )
    client.post(f"/s/{step.pk}/edit/", {**edit, "occurred_on": _day(30)})
    client.post(status, done)
    step.refresh_from_db()
    assert step.occurred_on == _ago(30) and step.closed_on == _ago(10)
    # Its history now begins on the day it was done: it was agreed before that.
    edit = {**edit, "version": step.version, "occurred_on": _day(5)}
    message = f"Its history goes back to {_shown(10)}. Choose that day or an earlier one"
    assert_refused(client, f"/s/{step.pk}/edit/", edit, message)


def test_a_demand_made_today_by_mistake_can_be_moved_back_with_its_first_status(
    world: World,
) -> None:
    demand = _demand(world, made=0)
    support = client_for(world, "support-member")
    edit = {"occurred_on": _day(400), "reason": "", "version": demand.version}
    support.post(f"/d/{demand.pk}/edit/", edit)
    demand.refresh_from_db()
    assert demand.occurred_on == _ago(400)
    assert list(demand.status_changes.values_list("changed_on", flat=True)) == [_ago(400)]
    assert list(demand.wordings.values_list("agreed_on", flat=True)) == [_ago(400)]
    # Now its refusal months ago can be written down.
    data = {"status": "refused", "note": "", "happened_on": _day(300)}
    client_for(world, "contact-member").post(f"/d/{demand.pk}/status/", data)
    demand.refresh_from_db()
    assert demand.status == Demand.Status.REFUSED
    # … and the day it was made cannot move past that any more.
    edit = {**edit, "version": demand.version, "occurred_on": _day(200)}
    message = f"Its history goes back to {_shown(300)}."
    assert_refused(support, f"/d/{demand.pk}/edit/", edit, message)


# Agreements ------------------------------------------------------------------


def test_an_agreement_ends_renews_and_is_breached_on_the_days_it_happened(
    world: World,
) -> None:
    agreement = _agreement(world)
    client = client_for(world, "contact-member")
    breach = {
        "happened_on": _day(60),
        "reported_on": _day(58),
        "reported_by": "Her support group",
        "what": "He wrote to her.",
        "severity": "serious",
        "response": "",
    }
    client.post(f"/a/{agreement.pk}/breaches/new/", breach)
    renewal = {
        "happened_on": _day(30),
        "terms": "No contact, for longer.",
        "binds": "X",
        "starts_on": _day(30),
        "ends_on": "",
        "review_on": "",
    }
    client.post(f"/a/{agreement.pk}/renew/", renewal)
    renewed = Agreement.objects.get(renews=agreement)
    client.post(
        f"/a/{renewed.pk}/status/", {"status": "ended", "seen": "agreed", "happened_on": _day(5)}
    )
    days = {
        (event.about_id, event.code, event.value): event.occurred_on
        for event in Event.objects.filter(code__startswith="agreement.")
    }
    assert days[(agreement.pk, Code.AGREEMENT_BREACHED, "serious")] == _ago(60)
    assert days[(agreement.pk, Code.AGREEMENT_STATUS, "renewed")] == _ago(30)
    assert days[(renewed.pk, Code.AGREEMENT_STATUS, "agreed")] == _ago(30)
    assert days[(renewed.pk, Code.AGREEMENT_STATUS, "ended")] == _ago(5)
    assert renewed.occurred_on == _ago(30)
    page = client.get(f"/a/{agreement.pk}/").content.decode()
    assert f"Happened on {_shown(60)}, reported on {_shown(58)}" in page


def test_an_agreements_status_on_a_day_that_cannot_be_is_refused(world: World) -> None:
    agreement = _agreement(world)
    client = client_for(world, "contact-member")
    url = f"/a/{agreement.pk}/status/"
    for day, message in ((BEFORE_THE_START, STARTED), (_day(-3), NOT_YET)):
        data = {"status": "ended", "seen": "agreed", "happened_on": day}
        response = assert_refused(client, url, data, message, f'value="{day}"')
        assert response.status_code == 200
    renewal = {
        "happened_on": _day(-3),
        "terms": "No contact, for longer.",
        "binds": "X",
        "starts_on": _day(0),
        "ends_on": "",
        "review_on": "",
    }
    assert_refused(client, f"/a/{agreement.pk}/renew/", renewal, NOT_YET, "for longer.")


@pytest.mark.parametrize(
    ("happened", "reported", "message"),
    [
        (BEFORE_THE_START, _day(0), STARTED),
        (_day(120), _day(0), f"The agreement started on {_shown(100)}."),
        (_day(10), _day(12), f"It cannot have been reported before it happened ({_shown(10)})."),
        (_day(10), _day(-1), NOT_YET),
    ],
)
def test_a_breach_on_a_day_that_cannot_be_is_refused(
    world: World, happened: str, reported: str, message: str
) -> None:
    agreement = _agreement(world)
    client = client_for(world, "contact-member")
    data = {
        "happened_on": happened,
        "reported_on": reported,
        "reported_by": "Her support group",
        "what": "He wrote to her.",
        "severity": "serious",
        "response": "",
    }
    url = f"/a/{agreement.pk}/breaches/new/"
    assert_refused(client, url, data, message, "He wrote to her.")
