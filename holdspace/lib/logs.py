"""Logging that never writes content (S36) nor a secret address (S49).

Exception messages can carry what someone typed (a database error quoting a
value, a validation message), so logs keep the exception's type and where
it happened, and withhold its message.

Some addresses are credentials themselves: invitation, reset and group links
and calendar feeds carry their token in the path. Django writes the path of
every refused or failed request into its log ("Not Found: /calendar/…",
"Forbidden (CSRF token missing.): /invite/…"), so a filter rewrites every
record that mentions such a path, whichever logger wrote it, before any
handler formats it.
"""

from __future__ import annotations

import logging
import re
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

# The first path segment of every address that carries a secret token in the
# segment after it (holdspace/lib/tests/test_logs.py checks that every routed
# token is covered), also URL-encoded as in "?next=%2Fjoin%2F…".
SECRET_PATH_PREFIXES = ("invite", "reset", "join", "link", "calendar")
_SECRET_PATH = re.compile(
    r"(/|%2F)(" + "|".join(SECRET_PATH_PREFIXES) + r")(/|%2F)[^/?#\s%\"'<>\\]+",
    re.IGNORECASE,
)
REDACTED = "[secret]"


def redact(text: str) -> str:
    """``text`` with the token of every secret-bearing path replaced."""
    return _SECRET_PATH.sub(lambda match: f"{match[1]}{match[2]}{match[3]}{REDACTED}", text)


def has_secret_path(text: str) -> bool:
    return _SECRET_PATH.search(text) is not None


class RedactSecretPaths(logging.Filter):
    """Removes secret tokens from a record's message, its arguments and the
    request Django attaches to it (S49). Installed on every handler and on
    the loggers that write request paths (settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logged as it is
            message = str(record.msg)
        if has_secret_path(message):
            record.msg, record.args = redact(message), ()
        request = getattr(record, "request", None)
        if request is not None and has_secret_path(str(getattr(request, "path", ""))):
            # Handlers that describe the request (Django's admin e-mails) must
            # not find the path there either.
            record.request = None
        return True


class ContentFreeFormatter(logging.Formatter):
    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:
        kind, _value, trace = ei
        if kind is None:
            return ""
        frames = "".join(traceback.format_tb(trace)) if trace else ""
        name = f"{kind.__module__}.{kind.__qualname__}"
        return f"Traceback (most recent call last):\n{frames}{name} (message withheld)"
