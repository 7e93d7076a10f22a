"""The letter's copies register links each copy to the informings that
handed it over, as far as the reader may read them (C8)."""

from __future__ import annotations

import uuid
from typing import Any

from django import template

from holdspace.circle import access
from holdspace.circle.models import Informing
from holdspace.processes import access as core

register = template.Library()


@register.simple_tag(takes_context=True)
def informings_by_copy(context: Any, letter: Any) -> dict[uuid.UUID, list[Informing]]:
    """copy id -> the readable informings that handed it over (one query)."""
    request = context.get("request")
    if request is None:
        return {}
    return access.informings_by_copy(core.request_user(request), letter)


@register.filter
def of_copy(found: dict[uuid.UUID, list[Informing]], copy: Any) -> list[Informing]:
    return found.get(copy.pk, [])
