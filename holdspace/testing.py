"""Helpers for tests in every app (imported by tests and conftest only)."""

from __future__ import annotations

import re
import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from holdspace.accounts.auth import AUTH_AT, REAUTH_AT, SEEN_AT
from holdspace.accounts.models import User

PASSWORD = "correct horse battery staple"


def make_user(username: str = "alice", *, two_factor: bool = True, **extra: Any) -> User:
    user = User.objects.create_user(username, PASSWORD, **extra)
    if two_factor:
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def code_for(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client: Client, user: User) -> None:
    """A fully signed-in session (password and second factor), without the forms."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    now = time.time()
    session[AUTH_AT] = session[SEEN_AT] = session[REAUTH_AT] = now
    session.save()


def log_in_through_forms(client: Client, user: User, password: str = PASSWORD) -> None:
    response = client.post("/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content
    response = client.post("/login/code/", {"code": code_for(user)})
    assert response.status_code == 302, response.content


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
_NONCE = re.compile(rb'nonce="[^"]+"')


def normalised(content: bytes) -> bytes:
    """Page bytes without the parts that differ on every response."""
    return _NONCE.sub(b'nonce=""', _CSRF.sub(b'name="csrfmiddlewaretoken" value=""', content))
