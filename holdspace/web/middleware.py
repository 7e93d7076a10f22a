"""Response headers every page carries, and the deny-by-default view gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase

from holdspace.web.policy import log_denied, policy_of

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
