"""The forms of the circle app with free text, for the canary (S1), XSS
(S31) and empty-optional-field tests: name -> (persona, how to fill it in)."""

from __future__ import annotations

from typing import Any

CIRCLE_FORMS: dict[str, tuple[str, Any]] = {}
# For each form above, the optional free-text fields that may be sent empty.
CIRCLE_OPTIONAL: dict[str, set[str]] = {}
