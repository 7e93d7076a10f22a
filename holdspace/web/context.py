"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def _is_demo() -> bool:
    from holdspace.accounts.models import User

    return User.objects.filter(is_demo=True).exists()


def _session_left(request: HttpRequest) -> int | None:
    from holdspace.accounts.middleware import seconds_left

    return seconds_left(request)


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        # A callable: the query runs only if a template asks.
        "hs_is_demo": _is_demo,
        "hs_quick_exit_url": settings.QUICK_EXIT_URL,
        # Seconds until the session ends, for the warning before it does.
        "hs_session_left": lambda: _session_left(request),
    }
