"""Free-text forms of contacts, meetings and reports (for the canary and XSS
tests)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from holdspace.testing import World, _posted
from holdspace.testing.commitments import soon


def _contact(world: World, client: Client, text: str) -> list[str]:
    from holdspace.contact.models import Contact

    group = world.groups["contact"]
    data = {
        "direction": "outgoing",
        "counterpart": "surroundings",
        "counterpart_note": text,
        "channel": "letter",
        "occurred_on": soon(-2).isoformat(),
        "summary": text,
    }
    _posted(client.post(f"/g/{group.pk}/contacts/new/", data))
    contact = Contact.objects.latest("created_at")
    edit = {"occurred_on": soon(-1).isoformat(), "counterpart_note": text, "summary": f"{text} 2"}
    _posted(client.post(f"/c/{contact.pk}/edit/", {**edit, "version": 1}))
    process = world.process.pk
    return [f"/c/{contact.pk}/", f"/r/{contact.pk}/history/", f"/p/{process}/timeline/"]


def _meeting(world: World, client: Client, text: str) -> list[str]:
    from holdspace.contact.models import Meeting

    group = world.groups["contact"]
    data = {
        "occurred_on": soon(2).isoformat(),
        "starts_at": "18:00",
        "place": text,
        "agenda": text,
        "preparation_asked": text,
        "outcome": "scheduled",
    }
    _posted(client.post(f"/g/{group.pk}/meetings/new/", data))
    meeting = Meeting.objects.latest("created_at")
    edit = {**data, "minutes": "", "follow_ups": "", "version": 1}
    _posted(client.post(f"/m/{meeting.pk}/edit/", {**edit, "agenda": f"{text} 2"}))
    Meeting.objects.filter(pk=meeting.pk).update(occurred_on=soon(-1))  # it took place
    outcome = {"outcome": "held", "preparation": "came", "minutes": text, "follow_ups": text}
    _posted(client.post(f"/m/{meeting.pk}/outcome/", outcome))
    process = world.process.pk
    return [f"/m/{meeting.pk}/", f"/r/{meeting.pk}/history/", f"/p/{process}/timeline/"]


def _report(world: World, client: Client, text: str) -> list[str]:
    from holdspace.reports.models import Report

    group = world.groups["contact"]
    period = {"period_from": soon(-60).isoformat(), "period_to": soon(0).isoformat()}
    _posted(client.post(f"/g/{group.pk}/reports/new/", period))
    report = Report.objects.latest("created_at")
    edit = {**period, "text": text, "occurred_on": soon(0).isoformat(), "version": 1}
    _posted(client.post(f"/rp/{report.pk}/edit/", edit))
    _posted(client.post(f"/rp/{report.pk}/edit/", {**edit, "text": f"{text} 2", "version": 2}))
    _posted(client.post(f"/rp/{report.pk}/sign/"))
    _posted(client.post(f"/rp/{report.pk}/send/", {"sent_on": soon(0).isoformat()}))
    _posted(client.post(f"/rp/{report.pk}/correct/", {"what_changed": text}))
    correction = Report.objects.latest("created_at")
    return [
        f"/rp/{report.pk}/",
        f"/rp/{correction.pk}/",
        f"/r/{report.pk}/history/",
        f"/p/{world.process.pk}/contact/",
    ]


CONTACT_FORMS: dict[str, tuple[str, Any]] = {
    "contact, edit": ("contact-coordinator", _contact),
    "meeting, edit, outcome": ("contact-coordinator", _meeting),
    "report, edit": ("contact-coordinator", _report),
}
