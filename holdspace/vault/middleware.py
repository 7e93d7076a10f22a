"""Gives every request its own keyring, and takes it away afterwards."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from holdspace.accounts.models import User
from holdspace.vault import session
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
        with using(keyring_for(request)):
            return self.get_response(request)
