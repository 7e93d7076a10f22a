"""The contact log through the pages: attempts and answers, meetings and
what happened at them, reports, and figures that match the records."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from holdspace.commitments import services as commitments
from holdspace.commitments.models import Step
from holdspace.contact import services
from holdspace.contact.models import Contact, Meeting
from holdspace.testing import World, assert_refused, client_for
from holdspace.watch import collect

pytestmark = pytest.mark.django_db


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _attempt(world: World, days_ago: int, **more: Any) -> Contact:
    return services.log_contact(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        occurred_on=_ago(days_ago),
        channel="email",
        direction=more.pop("direction", "outgoing"),
        counterpart=more.pop("counterpart", "him"),
        counterpart_note="",
        summary=more.pop("summary", "We wrote to him."),
        **more,
    )


def _meeting(world: World, days_ago: int, outcome: str, **more: Any) -> Meeting:
    fields: dict[str, Any] = {
        "starts_at": None,
        "internal": False,
        "place": "",
        "agenda": "",
        "preparation_asked": "",
        "attendees": [],
        **more,
    }
    return services.plan_meeting(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        occurred_on=_ago(days_ago),
        outcome=outcome,
        **fields,
    )


def _contact_data(**overrides: Any) -> dict[str, Any]:
    return {
        "direction": "outgoing",
        "counterpart": "him",
        "counterpart_note": "",
        "channel": "email",
        "occurred_on": _ago(1).isoformat(),
        "summary": "We asked for a date.",
        **overrides,
    }


def test_an_unanswered_attempt_is_logged_and_later_marked_answered(world: World) -> None:
    client = client_for(world, "contact-member")
    response = client.post(f"/g/{world.groups['contact'].pk}/contacts/new/", _contact_data())
    contact = Contact.objects.get()
    assert response["Location"] == f"/c/{contact.pk}/"
    assert b"no answer yet" in client.get(f"/c/{contact.pk}/").content
    client.post(f"/c/{contact.pk}/answered/", {"answered_on": _ago(0).isoformat()})
    contact.refresh_from_db()
    assert contact.answered_on == _ago(0)
    again = client.post(f"/c/{contact.pk}/answered/", {"answered_on": _ago(0).isoformat()})
    assert b"already marked as answered" in again.content


def test_an_answer_before_the_attempt_is_refused(world: World) -> None:
    attempt = _attempt(world, 5)
    client = client_for(world, "contact-member")
    message = "An answer cannot come before the attempt it answers."
    url = f"/c/{attempt.pk}/answered/"
    assert_refused(client, url, {"answered_on": _ago(6).isoformat()}, message)
    data = _contact_data(occurred_on=_ago(3).isoformat(), answered_on=_ago(4).isoformat())
    assert_refused(
        client, f"/g/{world.groups['contact'].pk}/contacts/new/", data, message, "We asked"
    )


def test_his_message_answers_the_attempts_ticked(world: World) -> None:
    first, second = _attempt(world, 20), _attempt(world, 10)
    client = client_for(world, "contact-member")
    form = client.get(f"/g/{world.groups['contact'].pk}/contacts/new/").content.decode()
    assert "This answers our attempts of" in form
    data = _contact_data(direction="incoming", summary="He answered at last.")
    client.post(
        f"/g/{world.groups['contact'].pk}/contacts/new/", {**data, "answers": [first.pk, second.pk]}
    )
    assert set(Contact.objects.filter(answered_on=_ago(1)).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_figures_and_chart_match_the_records(world: World) -> None:
    """Done when: the figures and the chart match the records (known data),
    and the chart has a text alternative."""
    _attempt(world, 300, answered_on=_ago(140))  # waited 160 days
    _attempt(world, 120, answered_on=_ago(118))  # 2 days
    _attempt(world, 30)  # still waiting
    _attempt(world, 60, counterpart="surroundings")
    for days, outcome in ((130, "held"), (100, "no_show"), (50, "no_show"), (80, "held")):
        _meeting(world, days, outcome)
    page = client_for(world, "contact-member").get(f"/p/{world.process.pk}/contact/").content
    text = page.decode()
    # Two-way contact: the meeting held 80 days ago, not our attempt of 30 days ago.
    assert "80 days ago\n" in text and "Two-way contact is a reply or a message" in text
    assert "Replies and messages from him</dt>\n  <dd>2</dd>" in text
    assert "1 of our 3 attempts" in text  # still without an answer
    assert "30 days, since our attempt of" in text  # the silence now
    assert "160 days <span" in text  # the longest silence
    assert "2 held, 2 he did not come to, 0 he cancelled, 0 we cancelled" in text
    # The chart: a mark per contact and meeting, the waits in words.
    assert text.count("<use ") >= 8
    assert 'role="img"' in text and "<desc" in text
    assert "160 days without an answer" in text
    assert "30 days, still waiting" in text
    # Another group sees figures only of what it may read.
    other = client_for(world, "support-member").get(f"/p/{world.process.pk}/").content
    assert b"No contacts have been shared with your group." in other


# Meetings ------------------------------------------------------------------------


def _meeting_data(**overrides: Any) -> dict[str, Any]:
    return {
        "occurred_on": _ago(-7).isoformat(),
        "starts_at": "18:30",
        "place": "The library café",
        "agenda": "The programme.",
        "preparation_asked": "A reflection.",
        "outcome": "scheduled",
        **overrides,
    }


def test_a_meeting_in_the_past_cannot_be_planned(world: World) -> None:
    client = client_for(world, "contact-member")
    url = f"/g/{world.groups['contact'].pk}/meetings/new/"
    data = _meeting_data(occurred_on=_ago(3).isoformat())
    assert_refused(client, url, data, "This date has passed. Say what happened", "The programme.")
    future_held = _meeting_data(outcome="held")
    assert_refused(client, url, future_held, "This meeting has not happened yet.")
    for without_him in ("internal", "surroundings"):
        no_show = _meeting_data(
            occurred_on=_ago(3).isoformat(), with_whom=without_him, outcome="no_show"
        )
        assert_refused(
            client, url, no_show, "Only a meeting with the person who caused harm can be marked"
        )


def test_a_meeting_with_his_partner_is_a_meeting_but_not_contact_with_him(world: World) -> None:
    """Issue 13: meetings with people from his surroundings are recorded like
    any other, and neither keep the contact cadence nor end a no-show."""
    _meeting(world, 30, "no_show")
    client = client_for(world, "contact-member")
    data = _meeting_data(occurred_on=_ago(2).isoformat(), with_whom="surroundings", outcome="held")
    response = client.post(f"/g/{world.groups['contact'].pk}/meetings/new/", data)
    assert response.status_code == 302
    meeting = Meeting.objects.get(outcome="held")
    assert meeting.with_surroundings and not meeting.internal
    page = client.get(f"/m/{meeting.pk}/").content.decode()
    assert "Meeting with people around him" in page
    log = client.get(f"/p/{world.process.pk}/contact/").content.decode()
    assert "with people around him" in log
    kinds = {a.kind for a in collect.current_alerts() if a.process == world.process.pk}
    assert "meeting_no_show" in kinds  # the meeting he missed is still the latest with him


def test_what_happened_is_recorded_once(world: World) -> None:
    client = client_for(world, "contact-member")
    people = [world.personas["contact-member"].pk, world.personas["contact-coordinator"].pk]
    client.post(
        f"/g/{world.groups['contact'].pk}/meetings/new/", {**_meeting_data(), "attendees": people}
    )
    meeting = Meeting.objects.get()
    assert set(meeting.attendees.values_list("pk", flat=True)) == set(people)
    early = {"outcome": "held", "preparation": "came", "minutes": "", "follow_ups": ""}
    assert_refused(client, f"/m/{meeting.pk}/outcome/", early, "This meeting has not happened yet.")
    Meeting.objects.filter(pk=meeting.pk).update(occurred_on=_ago(0))
    outcome = {"outcome": "no_show", "preparation": "did_not_come", "minutes": "", "follow_ups": ""}
    assert client.post(f"/m/{meeting.pk}/outcome/", outcome).status_code == 302
    meeting.refresh_from_db()
    assert meeting.outcome == "no_show" and meeting.preparation == "did_not_come"
    assert_refused(
        client,
        f"/m/{meeting.pk}/outcome/",
        {**outcome, "outcome": "held"},
        "What happened at this meeting is already recorded: “he did not come”.",
    )


def test_a_follow_up_becomes_a_step_towards_a_demand(world: World) -> None:
    demand = commitments.create_demand(
        author=world.personas["support-member"],
        group=world.groups["support"],
        occurred_on=_ago(0),
        wording="Join a programme.",
        reason="",
        audience=[world.groups["contact"]],
    )
    meeting = _meeting(world, 1, "held", follow_ups="He sends three names.")
    client = client_for(world, "contact-member")
    page = client.get(f"/m/{meeting.pk}/").content.decode()
    assert f"/m/{meeting.pk}/step/" in page
    due = _ago(-14).isoformat()
    data = {"demand": demand.pk, "description": "He sends three names.", "due_on": due}
    response = client.post(f"/m/{meeting.pk}/step/", data)
    step = Step.objects.get()
    assert response["Location"] == f"/s/{step.pk}/"
    assert step.towards == demand and step.author_group == world.groups["contact"]


def test_a_stale_edit_of_a_meeting_saves_nothing(world: World) -> None:
    client = client_for(world, "contact-member")
    client.post(f"/g/{world.groups['contact'].pk}/meetings/new/", _meeting_data())
    meeting = Meeting.objects.get()
    edit = {**_meeting_data(), "minutes": "", "follow_ups": "", "version": 1}
    client.post(f"/m/{meeting.pk}/edit/", {**edit, "agenda": "Theirs."})
    response = client.post(f"/m/{meeting.pk}/edit/", {**edit, "agenda": "Mine."})
    assert response.status_code == 409
    assert b"Theirs." in response.content and b"Mine." in response.content


def test_a_group_that_sees_no_contact_is_told_nothing_was_shared_with_it(world: World) -> None:
    _attempt(world, 10)  # the contact group's own, shared with nobody
    url = f"/p/{world.process.pk}/contact/"
    support = client_for(world, "support-coordinator").get(url).content.decode()
    assert "No contacts have been shared with your group." in support
    # No figures of nothing that read as fact.
    assert "0 of our 0 attempts" not in support and "none yet" not in support
    overview = client_for(world, "support-member").get(f"/p/{world.process.pk}/").content
    assert b"No contacts have been shared with your group." in overview
    contact = client_for(world, "contact-member").get(url).content.decode()
    assert "No contacts have been shared" not in contact and "1 of our 1 attempts" in contact


def test_a_group_that_carries_contact_and_logged_none_is_not_told_of_sharing(
    world: World,
) -> None:
    page = client_for(world, "contact-member").get(f"/p/{world.process.pk}/contact/").content
    assert b"has not recorded any contact or meeting yet" in page
    assert b"shared with your group" not in page
