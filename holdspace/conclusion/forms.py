"""The parts of the conclusion report its group writes."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.conclusion.services import Written
from holdspace.processes.forms import LONG_TEXT, VersionedForm, happened_field
from holdspace.processes.services import NOT_YET
from holdspace.web.forms import Form

TEXTS: dict[str, tuple[Any, Any]] = {
    "achieved": (
        _("What was achieved"),
        _("What changed because of the process, and for whom."),
    ),
    "not_achieved": (
        _("What was not achieved"),
        _("What did not happen, and why, as far as you know."),
    ),
    "lessons": (
        _("Lessons for others"),
        _("What you would tell a group beginning a process like this one."),
    ),
}
TOO_LONG = 20_000


def _text(name: str) -> forms.CharField:
    label, help_text = TEXTS[name]
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TOO_LONG,
        widget=LONG_TEXT,
    )


class ConclusionForm(Form):
    """Beginning the report: the three texts may stay empty for now."""

    achieved = _text("achieved")
    not_achieved = _text("not_achieved")
    lessons = _text("lessons")
    occurred_on = happened_field(
        _("Written as of"),
        help_text=_("The day the report speaks from. Left empty, it is today."),
    )

    def as_written(self) -> Written:
        data = self.cleaned_data
        return Written(
            achieved=data["achieved"],
            not_achieved=data["not_achieved"],
            lessons=data["lessons"],
            occurred_on=data.get("occurred_on"),
        )


class EditConclusionForm(VersionedForm):
    achieved = _text("achieved")
    not_achieved = _text("not_achieved")
    lessons = _text("lessons")
    occurred_on = forms.DateField(
        label=_("Written as of"), widget=ConclusionForm.base_fields["occurred_on"].widget
    )

    field_order = ["achieved", "not_achieved", "lessons", "occurred_on", "version"]

    def clean_occurred_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(NOT_YET)
        return day
