"""CSRF protection that works with `Referrer-Policy: no-referrer` (S29, S30).

With no-referrer, browsers send no Referer and `Origin: null` on form posts,
so Django's origin and referer checks would refuse every form. Browsers also
send `Sec-Fetch-Site`, which they alone set and pages cannot forge: it says
whether the request came from this very origin. We accept `same-origin`
instead of the Origin/Referer comparison and refuse everything else; the
CSRF token is checked in every case, and the cookies are SameSite=Strict.
Requests without Sec-Fetch-Site (old browsers, scripts) get Django's checks.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware as DjangoCsrfViewMiddleware
from django.middleware.csrf import RejectRequest

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
        return bool(super()._origin_verified(request))  # type: ignore[misc]

    def _check_referer(self, request: HttpRequest) -> None:
        site = _fetch_site(request)
        if site is None:
            super()._check_referer(request)  # type: ignore[misc]
        elif site != "same-origin":
            raise RejectRequest(f"Sec-Fetch-Site is {site}")
