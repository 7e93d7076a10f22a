"""``{{ meeting|outcome_in:terms }}``: the outcome in the process's pronoun."""

from __future__ import annotations

from django import template

from holdspace.contact.models import Meeting
from holdspace.contact.words import outcome_label
from holdspace.processes.terminology import Terms

register = template.Library()


@register.filter
def outcome_in(meeting: Meeting, terms: Terms) -> str:
    return outcome_label(meeting.outcome, terms)
