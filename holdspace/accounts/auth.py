"""Log-in in two steps, two-factor devices, sessions and re-authentication.

The log-in is a small state machine kept in the session:

1. password accepted  -> session id rotated, ``PENDING`` holds the account id;
   nobody is logged in yet, so no view that needs an account can be reached;
2. code accepted (or first authenticator set up) -> session id rotated again
   by Django's ``login()``, the device recorded by django-otp, timestamps set.

A session ends after ``SESSION_IDLE_TIMEOUT`` without requests and after
``SESSION_ABSOLUTE_TIMEOUT`` in all (see middleware.SessionLifetimeMiddleware).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
import re
import secrets
import time

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, authenticate, login, logout
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.util import random_hex

from holdspace.accounts import factors, kept
from holdspace.accounts.models import (
    AuthenticatorDevice,
    BackupCode,
    BackupCodeDevice,
    Session,
    User,
)
from holdspace.audit import services as audit
from holdspace.vault import accounts as vault_accounts
from holdspace.vault import compartments as vault_compartments
from holdspace.vault import session as vault_session
from holdspace.vault.crypto import CryptoError
from holdspace.vault.instance import InstanceKeyError
from holdspace.vault.keyring import Keyring
from holdspace.vault.models import AccountKey

log = logging.getLogger("holdspace.security")

PENDING = "hs_pending_login"
AUTH_AT = "hs_auth_at"
SEEN_AT = "hs_seen_at"
REAUTH_AT = "hs_reauth_at"
NEW_BACKUP_CODES = "hs_new_backup_codes"
ENROL_KEY = "hs_enrol_key"

BACKUP_CODE_COUNT = 10
_TOTP_PATTERN = re.compile(r"^\d{6}$")
_BACKUP_PATTERN = re.compile(r"^[a-z2-7]{8}$")


def _now() -> float:
    return time.time()


def check_password(request: HttpRequest, username: str, password: str) -> User | None:
    """The account for these credentials, or None. Goes through django-axes,
    which counts failures per username + IP and may refuse early."""
    user = authenticate(request, username=username, password=password)
    return user if isinstance(user, User) else None


class VaultUnavailable(Exception):
    """The account's keys cannot be opened on this server (S12)."""


def open_keys(user: User, password: str) -> bytes:
    """The account's private key, after the password was accepted.

    Raises VaultUnavailable when the instance key is missing or the stored
    key does not open; nothing is logged in then (fail closed).
    """
    try:
        if not AccountKey.objects.filter(user=user).exists():
            return vault_accounts.create_keys(user, password)
        return vault_accounts.unlock_with_password(user, password)
    except InstanceKeyError as error:
        log.error("vault.instance_key_unavailable user=%s: %s", user.pk, error)
        raise VaultUnavailable(str(error)) from None
    except CryptoError:
        log.error("vault.account_key_unreadable user=%s", user.pk)
        raise VaultUnavailable("the account key does not open") from None


def begin_second_factor(request: HttpRequest, user: User) -> None:
    if request.user.is_authenticated:
        logout(request)  # someone else's session in this browser ends first
    request.session.cycle_key()
    request.session.pop(ENROL_KEY, None)
    request.session[PENDING] = {"user": str(user.pk), "at": _now()}
    log.info("login.password_ok user=%s", user.pk)


def pending_user(request: HttpRequest) -> User | None:
    """The account between password and code, if that step is still fresh."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if _now() - float(pending.get("at", 0)) > settings.LOGIN_PENDING_TIMEOUT.total_seconds():
        del request.session[PENDING]
        return None
    return User.objects.filter(pk=str(pending.get("user")), is_active=True).first()


def complete_login(request: HttpRequest, user: User, device: Device) -> None:
    request.session.pop(PENDING, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    now = _now()
    request.session[AUTH_AT] = now
    request.session[SEEN_AT] = now
    request.session[REAUTH_AT] = now
    if user.language:
        request.session["_language"] = user.language
    audit.log("account.logged_in", user=user, target=user)
    # A key holder logging in gives waiting members their keys.
    vault_compartments.complete_pending(
        Keyring(user.pk, lambda: vault_session.load(request, user.pk))
    )
    # Text sent as the last session ran out waits for this log-in (issue 12).
    kept.after_login(request, user)


def confirmed_totp(user: User) -> AuthenticatorDevice | None:
    return AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: User) -> bool:
    return confirmed_totp(user) is not None


def normalize_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def verify_code(user: User, code: str) -> tuple[Device | None, bool]:
    """Check a TOTP code or a backup code. Returns (device, throttled).

    Six digits go to the authenticator app's device, eight letters to the
    backup codes, so a backup code never counts as a wrong TOTP code. Wrong
    codes slow further attempts down (django-otp throttling); a code works
    only once.
    """
    code = normalize_code(code)
    if _TOTP_PATTERN.match(code):
        model: type[Device] = AuthenticatorDevice
    elif _BACKUP_PATTERN.match(code):
        model = BackupCodeDevice
    else:
        return None, False
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return None, False
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            return None, True
        if device.verify_token(code):
            return device, False
    return None, False


def enrolment_key(request: HttpRequest, user: User) -> str | None:
    """The seed of the authenticator being set up, kept in the session until
    it is confirmed, so that reloading the page does not change the QR code
    and looking at the page writes nothing to the database (S30).

    The session holds it only encrypted under this browser's key cookie, like
    the private key (S48). None when the browser has no key cookie: the
    person has to log in again.
    """
    key = vault_session.load_extra(request, user.pk, ENROL_KEY)
    if key is None:
        key = random_hex(20)
        if not vault_session.store_extra(request, user.pk, ENROL_KEY, key):
            return None
    return key


def enrolment_device(user: User, key: str) -> AuthenticatorDevice:
    """An unsaved device for the key being set up (for its secret and QR code)."""
    return AuthenticatorDevice.with_key(user, key, confirmed=False)


def _unconfirmed_device(user: User, key: str) -> AuthenticatorDevice:
    """The stored, unconfirmed device for ``key`` (locked), made on first use."""
    for device in AuthenticatorDevice.objects.select_for_update().filter(
        user=user, confirmed=False
    ):
        if hmac.compare_digest(device.key, key):
            return device
    device = enrolment_device(user, key)
    device.save()  # a new row
    return device


def confirm_authenticator(request: HttpRequest, user: User, code: str) -> tuple[bool, bool]:
    """Confirm a new authenticator with a code from it. Returns (ok, throttled).

    The first attempt stores the device unconfirmed, so that wrong codes are
    throttled like at log-in. On success it replaces any earlier authenticator
    of the account and the key leaves the session.
    """
    key = enrolment_key(request, user)
    if key is None:
        return False, False
    code = normalize_code(code)
    with transaction.atomic():
        device = _unconfirmed_device(user, key)
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            return False, True
        if not (_TOTP_PATTERN.match(code) and device.verify_token(code)):
            return False, False
        AuthenticatorDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.log("account.two_factor_set_up", user=user, target=user)
    request.session.pop(ENROL_KEY, None)
    return True, False


def random_backup_code() -> str:
    """Eight base32 letters (40 random bits), as django-otp's static tokens."""
    return base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()


def new_backup_codes(user: User) -> list[str]:
    """Replace the account's backup codes with fresh ones (shown once; only
    their digests are stored)."""
    codes = [random_backup_code() for _ in range(BACKUP_CODE_COUNT)]
    with transaction.atomic():
        BackupCodeDevice.objects.filter(user=user).delete()
        device = BackupCodeDevice.objects.create(user=user, name="backup codes", confirmed=True)
        BackupCode.objects.bulk_create(
            BackupCode(device=device, digest=factors.code_digest(user.pk, code)) for code in codes
        )
        audit.log("account.backup_codes_created", user=user, target=user)
    return codes


def backup_codes_left(user: User) -> int:
    return int(BackupCode.objects.filter(device__user=user, device__confirmed=True).count())


def remove_second_factors(user: User) -> None:
    """Forget the account's authenticator and backup codes (a reset that
    also resets two-factor): the next log-in sets them up again."""
    AuthenticatorDevice.objects.filter(user=user).delete()
    BackupCodeDevice.objects.filter(user=user).delete()


def format_backup_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def totp_secret(device: AuthenticatorDevice) -> str:
    """The secret as base32, for typing into an app or the demo credentials."""
    return base64.b32encode(binascii.unhexlify(device.key)).decode("ascii")


def totp_uri(device: AuthenticatorDevice) -> str:
    return device.config_url


def end_sessions(user: User, keep: str | None = None) -> int:
    """End every session of ``user`` (except ``keep``, a session key)."""
    sessions = Session.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    count, _ = sessions.delete()
    return int(count)


def keep_other_sessions(user: User, keep: str | None) -> None:
    """After a password change, let the account's other sessions go on:
    Django ends them otherwise, because they were signed with the old password."""
    for session in Session.objects.filter(user=user).exclude(session_key=keep):
        store = session.get_session_store_class()(session_key=session.session_key)
        if store.get(HASH_SESSION_KEY) is not None:
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.save()  # not a row: a session store


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[REAUTH_AT] = _now()


def recently_authenticated(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_AT)
    return isinstance(at, int | float) and _now() - at <= settings.REAUTH_WINDOW.total_seconds()


def pop_new_backup_codes(request: HttpRequest, user: User) -> list[str]:
    """The backup codes made a moment ago, once (then they leave the session)."""
    text = vault_session.load_extra(request, user.pk, NEW_BACKUP_CODES)
    request.session.pop(NEW_BACKUP_CODES, None)
    return text.split() if text else []


def remember_new_backup_codes(request: HttpRequest, user: User, codes: list[str]) -> None:
    """Keep new backup codes until they are shown, encrypted under this
    browser's key cookie like the private key (S48)."""
    vault_session.store_extra(request, user.pk, NEW_BACKUP_CODES, " ".join(codes))
