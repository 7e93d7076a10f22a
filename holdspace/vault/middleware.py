"""Gives every request its own keyring, and takes it away afterwards.

Key refusals (S46) found while handling the request are recorded when it is
over, so that a write rolled back because of one does not take the record
along; a write that needed a key Holdspace refused ends on a calm page saying
that nothing was saved.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from holdspace.accounts.models import User
from holdspace.vault import alarms, session
from holdspace.vault.attest import KeyForgery
from holdspace.vault.keyring import Keyring, using
from holdspace.web.policy import is_fully_signed_in


def keyring_for(request: HttpRequest) -> Keyring:
    user = request.user
    if not (isinstance(user, User) and is_fully_signed_in(request)):
        return Keyring()
    return Keyring(user.pk, lambda: session.load(request, user.pk))


class KeyringMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with alarms.collecting(), using(keyring_for(request)):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A write that would have sealed to a key Holdspace did not make: the
        transaction is rolled back by now; say so plainly (409, no content)."""
        if isinstance(exception, KeyForgery):
            return render(request, "vault/key_refused.html", status=409)
        return None
