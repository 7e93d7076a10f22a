"""The demo process shows the letter, demands with history, steps (some
overdue), a no-contact agreement with a breach, and a rota with one conflict,
each dated the day it happened through the services, written down today."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp

from holdspace.commitments.models import Agreement, Demand, DemandStatusChange, Step
from holdspace.demo import builder
from holdspace.processes.models import Event, Process, Record

pytestmark = pytest.mark.django_db


def _log_in(username: str) -> Client:
    row = next(row for row in builder.credentials() if row["username"] == username)
    client = Client()
    client.post("/login/", {"username": username, "password": row["password"]})
    code = f"{totp(base64.b32decode(row['totp_secret'])):06d}"
    assert client.post("/login/code/", {"code": code})["Location"] == "/dashboard/"
    return client


def test_the_demo_shows_every_kind_of_commitment(tmp_path: Path) -> None:
    call_command("demo", credentials=str(tmp_path / "c.json"))
    process = Process.objects.order_by("created_at")[0]  # Juniper; Rowan came later
    contact = _log_in("demo-contact-coordinator")
    overview = contact.get(f"/p/{process.pk}/commitments/").content.decode()
    assert "Letter from M.&#x27;s support group" in overview
    assert Demand.objects.count() >= 3
    assert overview.count('href="/d/') >= 3
    assert "overdue" in overview
    assert any(step.is_overdue() for step in Step.objects.all())

    reworded = next(d for d in Demand.objects.all() if d.wordings.count() > 1)
    page = contact.get(f"/d/{reworded.pk}/").content.decode()
    assert "Every wording agreed" in page and page.count("Agreed on") >= 2
    assert "Waiting for the survivor" in page
    # Dated through the services, not by hand: all of it written down today,
    # each change on the day it happened (DESIGN §6).
    today = timezone.localdate()
    written = {timezone.localdate(at) for at in Record.objects.values_list("created_at", flat=True)}
    assert written == {today}
    assert Event.objects.get(code="process.created", process=process).occurred_on == (
        process.started_on
    )
    assert not DemandStatusChange.objects.filter(changed_on=today).exists()
    assert "written down here on" in page

    no_contact = Agreement.objects.get(agreement_kind=Agreement.Kind.NO_CONTACT)
    page = contact.get(f"/a/{no_contact.pk}/").content.decode()
    assert "K. sent M. a message on her birthday." in page and "serious" in page

    sharing = Agreement.objects.get(agreement_kind=Agreement.Kind.SPACE_SHARING)
    rota = contact.get(f"/a/{sharing.pk}/rota/").content.decode()
    assert "1 day in the next four weeks needs a look:" in rota

    support = _log_in("demo-support-member")
    assert b"Decide on this proposal" in support.get(f"/d/{reworded.pk}/").content
    timeline = support.get(f"/p/{process.pk}/timeline/").content.decode()
    assert "is overdue." in timeline
