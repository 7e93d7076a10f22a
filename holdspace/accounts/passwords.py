"""Password rules (S21): long enough, not common, not breached; no composition
rules and no forced rotation."""

from __future__ import annotations

import hashlib
import logging
import urllib.request
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

log = logging.getLogger(__name__)

BREACH_API = "https://api.pwnedpasswords.com/range/"


class LengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        minimum, maximum = settings.PASSWORD_MIN_LENGTH, settings.PASSWORD_MAX_LENGTH
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "This password is too short. Use at least %(min)d character.",
                    "This password is too short. Use at least %(min)d characters.",
                    minimum,
                )
                % {"min": minimum},
                code="password_too_short",
            )
        if len(password) > maximum:
            raise ValidationError(
                _("This password is too long. Use at most %(max)d characters.") % {"max": maximum},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least %(min)d characters. A long passphrase of several words is "
            "easy to remember and hard to guess."
        ) % {"min": settings.PASSWORD_MIN_LENGTH}


def fetch_range(prefix: str) -> str:
    """The breach API's list of SHA-1 suffixes for a 5-character prefix."""
    request = urllib.request.Request(  # noqa: S310  (fixed https address)
        BREACH_API + prefix, headers={"Add-Padding": "true", "User-Agent": "Holdspace"}
    )
    with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310
        return str(response.read().decode("ascii"))


def breach_count(password: str) -> int:
    """How often the password appears in known breaches; 0 if unknown or
    if the service cannot be reached (an outage must not block people)."""
    digest = hashlib.sha1(password.encode("utf-8")).hexdigest().upper()  # noqa: S324
    try:
        body = fetch_range(digest[:5])
    except OSError:
        log.warning("breach check unavailable; password accepted without it")
        return 0
    for line in body.splitlines():
        suffix, _sep, count = line.strip().partition(":")
        if suffix == digest[5:]:
            return int(count or 0)
    return 0


class BreachedPasswordValidator:
    """Refuses passwords seen in breaches (HOLDSPACE_BREACH_CHECK=on).

    The common-password list, always active, already refuses the 20,000
    passwords seen most often in breaches; this adds the full corpus.
    """

    def validate(self, password: str, user: Any = None) -> None:
        if settings.BREACH_CHECK and breach_count(password) > 0:
            raise ValidationError(
                _(
                    "This password has appeared in a data breach elsewhere, so others "
                    "may try it. Please choose a different one."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return ""
