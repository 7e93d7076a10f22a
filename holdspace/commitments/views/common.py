"""What every page about the letter, demands and agreements needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from holdspace.commitments.access import speaks_for_survivor
from holdspace.processes import access
from holdspace.processes.models import Record
from holdspace.processes.views import pages
from holdspace.processes.views.pages import form_page

__all__ = ["form_page", "record_context"]


def record_context(request: HttpRequest, record: Record, **extra: Any) -> dict[str, Any]:
    """The record, its process, what the account may do with it, and whether
    it speaks for the survivor's side."""
    survivor = speaks_for_survivor(access.request_user(request), record.process_id)
    return pages.record_context(request, record, survivor_side=survivor, **extra)
