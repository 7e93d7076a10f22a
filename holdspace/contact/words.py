"""A meeting's outcome in the pronoun the process chose ("she did not come")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from holdspace.contact.models import Meeting
from holdspace.processes.terminology import Terms


def outcome_label(outcome: str, terms: Terms) -> str:
    if outcome == Meeting.Outcome.NO_SHOW:
        return terms.pick(
            he=_("he did not come"),
            she=_("she did not come"),
            they=_("they did not come"),
            none=_("the %(term)s did not come"),
        )
    if outcome == Meeting.Outcome.CANCELLED_BY_HIM:
        return terms.pick(
            he=_("cancelled by him"),
            she=_("cancelled by her"),
            they=_("cancelled by them"),
            none=_("cancelled by the %(term)s"),
        )
    return str(Meeting.Outcome(outcome).label)
