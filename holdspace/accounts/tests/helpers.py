"""Small helpers for the accounts tests."""

from __future__ import annotations

import re

from holdspace.accounts import factors
from holdspace.accounts.models import BackupCode, User

_SHOWN_CODE = re.compile(rb"<li>([a-z2-7]{4})-([a-z2-7]{4})</li>")


def shown_backup_codes(content: bytes) -> list[str]:
    """The backup codes a page shows, as typed (without the dash)."""
    return [(first + second).decode() for first, second in _SHOWN_CODE.findall(content)]


def stored_backup_codes(user: User, candidates: list[str]) -> set[str]:
    """Which of ``candidates`` are ``user``'s unused backup codes now."""
    digests = {
        bytes(d)
        for d in BackupCode.objects.filter(device__user=user).values_list("digest", flat=True)
    }
    return {code for code in candidates if factors.code_digest(user.pk, code) in digests}
