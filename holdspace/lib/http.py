"""Small helpers about HTTP requests that several apps need."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request: HttpRequest) -> str:
    """The address of the browser, as far as we can trust the proxies.

    With HOLDSPACE_TRUSTED_PROXIES=n, the n-th address from the right of
    X-Forwarded-For is the client (each trusted proxy appends one). Anything
    left of it is whatever the client claimed and is ignored.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = settings.TRUSTED_PROXIES
    if not count:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` parameter if it points into this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data for a POST (even an empty one), None for a GET: binds forms right."""
    return request.POST if request.method == "POST" else None
