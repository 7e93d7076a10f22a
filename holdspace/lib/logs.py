"""Logging that never writes content (S36).

Exception messages can carry what someone typed (a database error quoting a
value, a validation message), so logs keep the exception's type and where
it happened, and withhold its message.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class ContentFreeFormatter(logging.Formatter):
    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:
        kind, _value, trace = ei
        if kind is None:
            return ""
        frames = "".join(traceback.format_tb(trace)) if trace else ""
        name = f"{kind.__module__}.{kind.__qualname__}"
        return f"Traceback (most recent call last):\n{frames}{name} (message withheld)"
