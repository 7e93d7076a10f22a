"""CSRF protection that works with `Referrer-Policy: no-referrer` (S29, S30).

With no-referrer, browsers send no Referer and `Origin: null` on form posts,
so Django's origin and referer checks would refuse every form. Browsers also
send `Sec-Fetch-Site`, which they alone set and pages cannot forge: it says
whether the request came from this very origin. We accept `same-origin`
instead of the Origin/Referer comparison and refuse everything else; the
CSRF token is checked in every case, and the cookies are SameSite=Strict.
Requests without Sec-Fetch-Site (old browsers, scripts) get Django's checks.

A refusal is logged as a content-free "denied" line with the view's name:
never the path, which may carry a secret token (S49), nor the reason's
details, which quote headers the client chose.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponseBase
from django.middleware import csrf as django_csrf
from django.middleware.csrf import CsrfViewMiddleware as DjangoCsrfViewMiddleware
from django.middleware.csrf import RejectRequest

from holdspace.web.policy import log_denied

FETCH_SITE = "HTTP_SEC_FETCH_SITE"


def _fetch_site(request: HttpRequest) -> str | None:
    value = request.META.get(FETCH_SITE)
    return str(value).lower() if value is not None else None


class CsrfViewMiddleware(DjangoCsrfViewMiddleware):
    # Django's private hooks for these two checks (absent from the type stubs).
    def _origin_verified(self, request: HttpRequest) -> bool:
        site = _fetch_site(request)
        if site is not None:
            return site == "same-origin"
        return bool(super()._origin_verified(request))  # type: ignore[misc]  # the base class is untyped

    def _check_referer(self, request: HttpRequest) -> None:
        site = _fetch_site(request)
        if site is None:
            super()._check_referer(request)  # type: ignore[misc]  # the base class is untyped
        elif site != "same-origin":
            raise RejectRequest("Sec-Fetch-Site is not same-origin")

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponseBase:
        failure_view = django_csrf._get_failure_view()  # type: ignore[attr-defined]  # private
        response: HttpResponseBase = failure_view(request, reason=reason)
        log_denied(request, reason_code(reason))
        # Django's request log would repeat the refusal with the path.
        response._has_been_logged = True  # type: ignore[attr-defined]  # Django sets it too
        return response


def reason_code(reason: str) -> str:
    """A short code for one of Django's CSRF reasons, without the parts that
    quote the request ("Origin checking failed - https://… does not …")."""
    head = reason.split(" - ", 1)[0]
    return "csrf_" + re.sub(r"[^a-z]+", "_", head.lower()).strip("_")[:40]
