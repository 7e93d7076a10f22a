"""Text sent just as the session ran out is not lost (issue 12).

When the idle or absolute limit has passed and the person sends a form, the
session middleware keeps what was sent (:func:`keep`) before it logs them
out: the fields, without the CSRF token, the one-time token and anything
that looks like a password or a code. It is sealed to the account's public
key, like a grant, so only that account's next log-in opens it — not the
server alone, not another account, not the session store.

After the next log-in (:func:`after_login`) the person is brought back to
that page; the form there is filled in again with a note (:func:`fill`),
for a deliberate second save: saving by itself could act on a record that
changed meanwhile. Whatever happens on that first visit, the kept text is
gone afterwards (:class:`KeptTextMiddleware`): used, or discarded when the
page is no longer theirs to see. Unused, it is deleted after
:data:`KEEP_FOR`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import KeptPost, User
from holdspace.vault import attest, crypto
from holdspace.vault import session as vault_session
from holdspace.vault.models import AccountKey

log = logging.getLogger("holdspace.security")

KEEP_FOR = timedelta(hours=1)
# The page the kept text belongs to, between the log-in and the first visit.
SESSION_KEY = "hs_kept_path"
# Never kept: the CSRF token, the one-time token, passwords, codes, keys.
SECRET_FIELD = re.compile(r"csrf|submission|password|passwort|code|token|secret|recovery|key")
# Pages where a POST never carries writing (leaving quickly, logging out).
NOT_KEPT = {"hs-quick-exit", "hs-logout", "hs-session-stay", "hs-login", "hs-login-code"}
# Far more than any form of Holdspace holds; beyond it nothing is kept.
MAX_BYTES = 512 * 1024

NOTE = _("You were logged out while writing. Here is what you wrote; check it and save it again.")


def _ad(user_id: object) -> bytes:
    return f"kept|{user_id}".encode()


def _fields(request: HttpRequest) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name in request.POST:
        if SECRET_FIELD.search(name.lower()):
            continue
        values = [value for value in request.POST.getlist(name) if value.strip()]
        if values:
            fields[name] = values
    return fields


def _url_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def purge() -> int:
    """Delete kept text older than :data:`KEEP_FOR`; returns how many."""
    count, _details = KeptPost.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return int(count)


def keep(request: HttpRequest, user: User) -> bool:
    """Keep what ``request`` (a POST of ``user``, whose session just ran out)
    sent, sealed to the account's public key, replacing anything kept before.

    Returns whether something was kept. Keeps nothing (and raises nothing)
    when no field carries text, the page is not one for writing, the text is
    unusually large, or the account's key is missing or not vouched for by
    the instance key (S46). Never logs any of the text.
    """
    purge()
    if request.method != "POST" or _url_name(request.path_info) in NOT_KEPT:
        return False
    fields = _fields(request)
    if not fields:
        return False
    plain = json.dumps({"path": request.path, "fields": fields}).encode("utf-8")
    if len(plain) > MAX_BYTES:
        return False
    try:
        public = attest.account_public_key(user.pk)
    except (AccountKey.DoesNotExist, attest.KeyForgery):
        return False
    key = crypto.random_bytes()
    with transaction.atomic():
        KeptPost.objects.filter(user=user).delete()
        KeptPost.objects.create(
            user=user,
            sealed_key=crypto.seal_to(public, key, _ad(user.pk)),
            payload=crypto.seal_data(key, plain, _ad(user.pk)),
        )
    log.info("kept.stored user=%s", user.pk)
    return True


def _open(user: User, private: bytes | None) -> dict[str, Any] | None:
    """The kept text of ``user`` if there is fresh text and ``private`` opens
    it; stale or unreadable text is deleted."""
    row = KeptPost.objects.filter(user=user).first()
    if row is None:
        return None
    if row.created_at < timezone.now() - KEEP_FOR or private is None:
        row.delete()
        return None
    try:
        key = crypto.open_sealed(private, bytes(row.sealed_key), _ad(user.pk))
        kept = json.loads(crypto.open_data(key, bytes(row.payload), _ad(user.pk)))
    except (crypto.CryptoError, ValueError):
        # A key replaced since (a reset without the recovery key) opens nothing.
        row.delete()
        return None
    return kept if isinstance(kept, dict) else None


def after_login(request: HttpRequest, user: User) -> str | None:
    """At the end of a log-in: the page whose text was kept, if any (the
    person is taken there), remembered in the session for :func:`fill`."""
    kept = _open(user, vault_session.load(request, user.pk))
    path = kept.get("path") if kept else None
    if not isinstance(path, str) or not path.startswith("/"):
        discard(user)
        return None
    request.session[SESSION_KEY] = path
    return path


def fill(request: HttpRequest, form: forms.Form) -> bool:
    """On the first visit after a log-in to the page whose text was kept:
    fill ``form`` in with it (as initial values: nothing is saved) and say
    so. Returns whether the form was filled. Call only after the page's
    access check, with the form the page shows."""
    user = request.user
    if (
        request.method != "GET"
        or not isinstance(user, User)
        or request.session.get(SESSION_KEY) != request.path
    ):
        return False
    del request.session[SESSION_KEY]
    kept = _open(user, vault_session.load(request, user.pk))
    discard(user)
    fields = kept.get("fields") if kept else None
    if not isinstance(fields, dict):
        return False
    for name, values in fields.items():
        if name in form.fields and isinstance(values, list) and values:
            multiple = isinstance(form.fields[name], forms.MultipleChoiceField)
            form.initial[name] = [str(v) for v in values] if multiple else str(values[0])
    messages.warning(request, NOTE)
    return True


def discard(user: User) -> None:
    KeptPost.objects.filter(user=user).delete()


class KeptTextMiddleware:
    """The first visit to the kept text's page after a log-in uses it up:
    if the page did not show it (the account lost access meanwhile, or the
    page has no form for it), it is discarded unseen."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and request.method == "GET"
            and session.get(SESSION_KEY) == request.path
        ):
            del session[SESSION_KEY]
            if isinstance(request.user, User):
                discard(request.user)
        return response
