"""First log-in: two-factor is set up before anything else is shown (S22)."""

from __future__ import annotations

import base64
import re

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp

from holdspace.accounts import auth
from holdspace.accounts.models import AuthenticatorDevice, User
from holdspace.accounts.tests.helpers import shown_backup_codes, stored_backup_codes
from holdspace.testing import PASSWORD, enrolment_code, make_user, normalised

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(client: Client) -> User:
    user = make_user("bea", two_factor=False)
    client.post("/login/", {"username": "bea", "password": PASSWORD})
    return user


def _code(client: Client) -> str:
    """What the newcomer's app shows for the key being set up."""
    return enrolment_code(client)


def test_it_shows_a_qr_code_and_the_key(client: Client, newcomer: User) -> None:
    response = client.get("/login/setup/")
    secret = re.search(rb'class="secret"[^>]*>([A-Z2-7 ]+)<', response.content)
    assert response.status_code == 200 and secret is not None
    key = secret.group(1).replace(b" ", b"").decode()
    assert f"{totp(base64.b32decode(key)):06d}" == _code(client)
    qr = client.get("/login/setup/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content


def test_reloading_keeps_the_same_key_and_writes_nothing(client: Client, newcomer: User) -> None:
    first = client.get("/login/setup/")
    second = client.get("/login/setup/")
    assert normalised(first.content) == normalised(second.content)
    assert not AuthenticatorDevice.objects.filter(user=newcomer).exists()


def test_nothing_else_is_reachable_before_setup(client: Client, newcomer: User) -> None:
    for path in ("/dashboard/", "/account/", "/instance/", "/account/backup-codes/"):
        assert client.get(path)["Location"] == "/login/"


def test_a_right_code_finishes_setup_and_shows_backup_codes_once(
    client: Client, newcomer: User
) -> None:
    client.get("/login/setup/")
    response = client.post("/login/setup/", {"code": _code(client)})
    assert response["Location"] == "/account/backup-codes/"
    assert AuthenticatorDevice.objects.get(user=newcomer).confirmed
    page = client.get("/account/backup-codes/")
    codes = shown_backup_codes(page.content)
    assert len(codes) == auth.BACKUP_CODE_COUNT
    assert stored_backup_codes(newcomer, codes) == set(codes)
    again = client.get("/account/backup-codes/")
    assert not any(auth.format_backup_code(code).encode() in again.content for code in codes)
    assert b"already shown" in again.content
    assert client.get("/dashboard/").status_code == 200


def test_a_wrong_code_keeps_the_setup_open(client: Client, newcomer: User) -> None:
    client.get("/login/setup/")
    response = client.post("/login/setup/", {"code": "123456"})
    assert response.status_code == 200
    assert b"This code is not right" in response.content
    assert not AuthenticatorDevice.objects.filter(user=newcomer, confirmed=True).exists()
    assert client.get("/dashboard/").status_code == 302


def test_wrong_setup_codes_are_throttled(client: Client) -> None:
    make_user("cleo", two_factor=False)
    with time_machine.travel("2026-11-22 10:00:00", tick=False):
        client.post("/login/", {"username": "cleo", "password": PASSWORD})
        client.get("/login/setup/")
        client.post("/login/setup/", {"code": "123456"})
        response = client.post("/login/setup/", {"code": _code(client)})
    assert b"Too many wrong codes" in response.content
