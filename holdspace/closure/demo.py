"""A second, small demo process that ended: closed, with its statement
approved and a retention date."""

from __future__ import annotations

from typing import Any


def build(process: Any, groups: Any, users: Any) -> None:
    """Nothing in the main demo process (it stays active)."""
