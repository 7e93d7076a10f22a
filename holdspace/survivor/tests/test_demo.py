"""The demo survivor sees her demands and one change waiting for an answer;
she approves it, and the groups read that the survivor herself approved it
(issue 14, Done when)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp

from holdspace.commitments.models import Demand, WordingProposal
from holdspace.demo import builder

pytestmark = pytest.mark.django_db


def _log_in(username: str) -> Client:
    row = next(row for row in builder.credentials() if row["username"] == username)
    client = Client()
    client.post("/login/", {"username": username, "password": row["password"]})
    code = f"{totp(base64.b32decode(row['totp_secret'])):06d}"
    client.post("/login/code/", {"code": code})
    return client


def test_the_demo_survivor_approves_the_change_waiting_for_her(tmp_path: Path) -> None:
    call_command("demo", credentials=str(tmp_path / "c.json"))
    her = _log_in("demo-survivor")
    home = her.get("/dashboard/", follow=True).content.decode()
    links = re.findall(r'href="(/survivor/changes/[^"]+/)"', home)
    assert len(links) == 1
    demands = her.get("/survivor/demands/").content.decode()
    for demand in Demand.objects.all():
        assert demand.to_harmed_party
    assert demands.count('class="panel"') == Demand.objects.count()
    for name in ("Juniper support group", "Juniper contact group", "demo-contact"):
        assert name not in home + demands

    assert her.post(links[0], {"decision": "approve"}).status_code == 302
    decided = WordingProposal.objects.get(decided_by_survivor=True)
    assert decided.status == WordingProposal.Status.APPROVED
    page = _log_in("demo-contact-coordinator").get(f"/d/{decided.demand_id}/").content.decode()
    assert "approved by the survivor herself" in page
