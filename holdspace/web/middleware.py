"""Response headers every page carries, the deny-by-default view gate, and
what happens when the disk is full (S53)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from holdspace.lib import storage
from holdspace.vault import session as vault_session
from holdspace.web import sqlite
from holdspace.web.policy import log_denied, policy_of
from holdspace.web.views import storage_full

Handler = Callable[[HttpRequest], HttpResponseBase]

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    # Nobody should find a Holdspace instance or its pages through a search engine.
    "X-Robots-Tag": "noindex, nofollow",
}


class SecurityHeadersMiddleware:
    """Sets the browser-hardening headers on every response (S29).

    Django's SecurityMiddleware only sends HSTS over HTTPS; browsers ignore
    it over plain HTTP anyway, so sending it always keeps the rule simple.
    Everything except our own static files is `no-store`, so that Back after
    a log-out or quick exit cannot show a page from the browser's cache.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        self.headers = {"Strict-Transport-Security": hsts, **_HEADERS}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        for name, value in self.headers.items():
            if name not in response:
                response[name] = value
        if not request.path_info.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
            if "Expires" in response:
                del response["Expires"]
        return response


class PolicyMiddleware:
    """Refuses, as a 404, any view that did not declare an access policy."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if policy_of(view_func) is None:
            log_denied(request, "view_without_policy")
            raise Http404


class MethodNotAllowedMiddleware:
    """A page in plain words instead of Django's empty 405 (a form's address
    opened as a link, a reload after the session changed); nothing was done."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code != 405 or not isinstance(response, HttpResponse):
            return response
        if response.content:
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, for a session store that may skip a save
    on a full disk (accounts.sessions): the browser then keeps the session and
    key cookies it has, which still match what is stored. A new key cookie
    without its sealed half in the session would lock the person out of
    their keys until they log in again."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        if getattr(getattr(request, "session", None), "save_skipped", False):
            for name in (settings.SESSION_COOKIE_NAME, vault_session.COOKIE):
                response.cookies.pop(name, None)
        return response


class StorageFullMiddleware:
    """A write that fails because the disk or the database is full gets a calm
    page showing what the person typed (507), not the generic 500 page. The
    view's transaction was rolled back by then: nothing was saved. On SQLite,
    one idle connection stays open so that reading keeps working (web.sqlite)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not sqlite.is_held():
            sqlite.hold_open()
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        if not storage.is_full(exception):
            return None
        return storage_full(request)
