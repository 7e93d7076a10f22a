"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def _is_demo() -> bool:
    from holdspace.accounts.models import User

    return User.objects.filter(is_demo=True).exists()


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        # A callable: the query runs only if a template asks.
        "hs_is_demo": _is_demo,
        "hs_quick_exit_url": settings.QUICK_EXIT_URL,
    }
