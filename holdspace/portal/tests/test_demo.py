"""The demo's portal (issue 14, done when): K. sees the Juniper demands,
steps, agreements, meeting dates and two messages, and nothing internal; his
reflection before the next meeting reaches the contact group's chronology."""

from __future__ import annotations

import base64
import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp

from holdspace.contact import demo as contact_demo
from holdspace.portal import demo
from holdspace.portal.models import Answer, Message
from holdspace.processes import demo as process_demo
from holdspace.processes.models import Group

pytestmark = pytest.mark.django_db

PAGES = (
    "/portal/",
    "/portal/demands/",
    "/portal/agreements/",
    "/portal/meetings/",
    "/portal/messages/",
    "/portal/write/",
    "/portal/told/",
)


def _log_in(rows: list[dict[str, Any]], username: str) -> Client:
    row = next(row for row in rows if row["username"] == username)
    client = Client()
    client.post("/login/", {"username": username, "password": row["password"]})
    code = f"{totp(base64.b32decode(row['totp_secret'])):06d}"
    assert client.post("/login/code/", {"code": code})["Location"] == "/dashboard/"
    return client


def test_k_sees_his_portal_and_his_reflection_reaches_the_contact_group(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    call_command("demo", credentials=str(path))
    rows = json.loads(path.read_text())["accounts"]
    him = _log_in(rows, "demo-portal")
    content = b"".join(him.get(url).content for url in PAGES)
    for message in Message.objects.exclude(sent_at=None):
        content += him.get(f"/portal/messages/{message.pk}/").content
    text = content.decode()
    assert Message.objects.exclude(sent_at=None).count() == len(demo.MESSAGES) == 2
    for shown in (
        "Join a programme for people who have caused sexualised violence",
        "Send a written reflection before the next meeting.",
        "K. does not contact M. in any way",
        "The library café, back room",
        "this is to confirm our next meeting",
        demo.REFLECTION[:40],
    ):
        assert shown in text, shown
    hidden = [row["username"] for row in rows if row["username"] != "demo-portal"]
    hidden += [str(name) for name in Group.objects.values_list("name", flat=True)]
    hidden += [title for *_rest, title, _body in process_demo.NOTES]
    hidden += [minutes for *_rest, minutes, _follow in contact_demo.MEETINGS if minutes]
    hidden += ["Supervision: how we respond", "M. wants him to work on what he did"]
    for word in hidden:
        assert word not in text, word
    # His reflection before the next meeting, chosen from the list.
    write = him.get("/portal/write/").content.decode()
    meeting = re.search(r'<option value="([0-9a-f-]{36})">Before the meeting', write)
    assert meeting is not None
    response = him.post(
        "/portal/write/",
        {"answer_kind": "reflection", "about": meeting.group(1), "body": "Ready to talk."},
    )
    assert response.status_code == 302
    answer = Answer.objects.get(answer_kind="reflection", about_id=uuid.UUID(meeting.group(1)))
    contact = _log_in(rows, "demo-contact-member")
    timeline = contact.get(f"/p/{answer.process_id}/timeline/").content
    assert b"Ready to talk." in timeline
    support = _log_in(rows, "demo-support-member")
    assert b"Ready to talk." not in support.get(f"/p/{answer.process_id}/timeline/").content
