"""For the support group's pages: whether an approval waits for the
survivor's own answer (she chose to give it herself and has not paused);
and the day her pause lasts until, as the chronology says it."""

from __future__ import annotations

import datetime

from django import template

from holdspace.commitments.services import waits_for_her
from holdspace.processes.models import Record

register = template.Library()


@register.simple_tag
def waiting_for_survivor(record: Record) -> bool:
    """``{% waiting_for_survivor demand as her_turn %}``: True while approvals
    about ``record`` wait for the survivor herself."""
    return waits_for_her(record)


@register.filter
def iso_day(value: str) -> datetime.date | None:
    """An event's value written as an ISO date, as a date (None if it is not one)."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
