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
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
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
NOT_KEPT = {
    "hs-quick-exit",
    "hs-logout",
    "hs-session-stay",
    "hs-login",
    "hs-login-code",
    "hs-draft-save",
    "hs-draft-discard",
}
# More than any form of Holdspace holds (a letter of 200,000 characters in
# UTF-8); beyond it nothing is kept.
MAX_BYTES = 1024 * 1024

NOTE = _("You were logged out while writing. Here is what you wrote; check it and save it again.")


def _ad(user_id: object) -> bytes:
    return f"kept|{user_id}".encode()


def fields_of(request: HttpRequest) -> dict[str, list[str]]:
    """The posted fields that carry text, without tokens, passwords and codes."""
    fields: dict[str, list[str]] = {}
    for name in request.POST:
        if SECRET_FIELD.search(name.lower()):
            continue
        values = [value for value in request.POST.getlist(name) if value.strip()]
        if values:
            fields[name] = values
    return fields


def shows_a_form(path: str) -> bool:
    """Whether ``path`` is a page that can be opened (GET) and is not one
    of :data:`NOT_KEPT`: only there can the text be shown again. A view
    behind Django's ``require_POST`` only takes the form it is sent."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.url_name in NOT_KEPT:
        return False
    view: Any = match.func
    while view is not None:
        # Django's require_http_methods keeps the allowed methods in its closure.
        names = getattr(getattr(view, "__code__", None), "co_freevars", ())
        if "request_method_list" in names and view.__closure__:
            return "GET" in view.__closure__[names.index("request_method_list")].cell_contents
        view = getattr(view, "__wrapped__", None)
    return True


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
    if request.method != "POST" or not shows_a_form(request.path_info):
        return False
    try:
        fields = fields_of(request)
    except (RequestDataTooBig, TooManyFieldsSent):
        return False  # the view answers it as usual
    if not fields:
        return False
    sealed = seal_for_account(user, {"path": request.path, "fields": fields}, _ad(user.pk))
    if sealed is None:
        return False
    with transaction.atomic():
        KeptPost.objects.filter(user=user).delete()
        KeptPost.objects.create(user=user, sealed_key=sealed[0], payload=sealed[1])
    log.info("kept.stored user=%s", user.pk)
    return True


def seal_for_account(user: User, content: dict[str, Any], ad: bytes) -> tuple[bytes, bytes] | None:
    """(sealed key, payload): ``content`` as JSON under a fresh key (padded
    to a size bucket), the key sealed to the account's public key and both
    bound to ``ad``. None when the content is unusually large or the
    account's key is missing or not vouched for by the instance key (S46)."""
    plain = json.dumps(content, ensure_ascii=False).encode("utf-8")
    if len(plain) > MAX_BYTES:
        return None
    try:
        public = attest.account_public_key(user.pk)
    except (AccountKey.DoesNotExist, attest.KeyForgery):
        return None
    key = crypto.random_bytes()
    return crypto.seal_to(public, key, ad), crypto.seal_data(key, plain, ad)


def open_for_account(
    private: bytes, sealed_key: bytes, payload: bytes, ad: bytes
) -> dict[str, Any] | None:
    """What :func:`seal_for_account` sealed, or None if ``private`` (or ``ad``)
    does not open it."""
    try:
        key = crypto.open_sealed(private, sealed_key, ad)
        content = json.loads(crypto.open_data(key, payload, ad))
    except (crypto.CryptoError, ValueError):
        return None
    return content if isinstance(content, dict) else None


def _open(user: User, private: bytes | None) -> dict[str, Any] | None:
    """The kept text of ``user`` if there is fresh text and ``private`` opens
    it; stale or unreadable text is deleted."""
    row = KeptPost.objects.filter(user=user).first()
    if row is None:
        return None
    if row.created_at < timezone.now() - KEEP_FOR or private is None:
        row.delete()
        return None
    kept = open_for_account(private, bytes(row.sealed_key), bytes(row.payload), _ad(user.pk))
    if kept is None:
        # A key replaced since (a reset without the recovery key) opens nothing.
        row.delete()
    return kept


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
    put_into(form, fields)
    request.hs_kept = True  # type: ignore[attr-defined]  # a draft does not cover it (accounts.drafts)
    messages.warning(request, NOTE)
    return True


def put_into(form: forms.Form, fields: dict[str, Any]) -> None:
    """Show ``fields`` (name -> values, as sent) in ``form`` as its initial
    values; the one-time token stays the form's own."""
    for name, values in fields.items():
        if name in form.fields and isinstance(values, list) and values:
            multiple = isinstance(form.fields[name], forms.MultipleChoiceField)
            form.initial[name] = [str(v) for v in values] if multiple else str(values[0])


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
