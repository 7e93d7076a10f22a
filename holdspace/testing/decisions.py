"""The forms of the decisions app with free text, for the canary (S1), XSS
(S31) and empty-optional-field tests: name -> (persona, how to fill it in)."""

from __future__ import annotations

from typing import Any

DECISIONS_FORMS: dict[str, tuple[str, Any]] = {}
# For each form above, the optional free-text fields that may be sent empty.
DECISIONS_OPTIONAL: dict[str, set[str]] = {}
