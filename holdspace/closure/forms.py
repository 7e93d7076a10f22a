"""Forms of the closure page: the criteria, closing, the statement, reopening."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.closure.models import CriterionResult
from holdspace.closure.services import Closing, Result
from holdspace.processes.forms import (
    DATE_WIDGET,
    LONG_TEXT,
    SHORT_TEXT,
    ApproveOrDeclineForm,
    HappenedForm,
)
from holdspace.web.forms import Form

MAX_CRITERIA = 30


class CriteriaForm(Form):
    criteria = forms.CharField(
        label=_("Closure criteria"),
        max_length=20000,
        required=False,
        widget=LONG_TEXT,
        help_text=_(
            "One criterion on each line: what has to be true for the process to end. "
            "When you close the process, you say for each one whether it was reached."
        ),
    )

    def clean_criteria(self) -> list[str]:
        lines = [line.strip() for line in str(self.cleaned_data["criteria"]).splitlines()]
        found = [line for line in lines if line]
        if len(found) > MAX_CRITERIA:
            raise forms.ValidationError(
                _("Please keep to %(count)s criteria or fewer.") % {"count": MAX_CRITERIA}
            )
        return found


class CloseForm(HappenedForm):
    """Closing: each criterion's result, the outcome, an optional statement
    and the retention plan."""

    reached = forms.CharField(
        label=_("What was reached"),
        max_length=20000,
        widget=LONG_TEXT,
        error_messages={"required": _("Please say what the process reached.")},
    )
    not_reached = forms.CharField(
        label=_("What was not reached"),
        max_length=20000,
        required=False,
        widget=LONG_TEXT,
    )
    statement = forms.CharField(
        label=_("Public statement (optional)"),
        max_length=20000,
        required=False,
        widget=LONG_TEXT,
        help_text=_(
            "A statement for the wider community. It can only be released after the "
            "survivor's side approved it; they can also say no."
        ),
    )
    kept = forms.CharField(
        label=_("What is kept, for whom, until when"),
        max_length=20000,
        required=False,
        widget=SHORT_TEXT,
        help_text=_(
            "For example: the export for the survivor's side, kept by her support group "
            "until she asks for it to be destroyed."
        ),
    )
    delete_on = forms.DateField(
        label=_("Delete everything in Holdspace on"),
        widget=DATE_WIDGET,
        help_text=_(
            "On this day Holdspace deletes the records, groups and keys of this process. "
            "Nothing can be restored afterwards, not even from a backup."
        ),
        error_messages={"required": _("Please choose the day everything is deleted.")},
    )

    def __init__(self, *args: Any, criteria: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.fields["happened_on"].label = _("Closed on")
        for index, text in enumerate(criteria):
            self.fields[f"criterion_{index}"] = forms.ChoiceField(
                label=text,
                choices=CriterionResult.Reached.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please say whether this criterion was reached.")},
            )
            self.fields[f"note_{index}"] = forms.CharField(
                label=_("Note on this criterion"),
                max_length=5000,
                required=False,
                widget=SHORT_TEXT,
            )
        # The criteria first, then the outcome.
        order = [name for name in self.fields if name.startswith(("criterion_", "note_"))]
        self.order_fields(order)

    def clean_delete_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["delete_on"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today for the deletion."))
        return day

    def as_closing(self, data: dict[str, Any]) -> Closing:
        return Closing(
            reached=data["reached"],
            not_reached=data["not_reached"],
            results=[
                Result(text, data[f"criterion_{index}"], data[f"note_{index}"])
                for index, text in enumerate(self.criteria)
            ],
            statement=data["statement"],
            kept=data["kept"],
            delete_on=data["delete_on"],
            closed_on=data["happened_on"],
        )


class StatementForm(ApproveOrDeclineForm):
    """The survivor's side approves or declines the public statement."""


class ReopenForm(HappenedForm):
    reasons = forms.CharField(
        label=_("Why is the process opened again?"),
        max_length=20000,
        widget=LONG_TEXT,
        help_text=_("Every group reads your reasons on the chronology."),
        error_messages={"required": _("Please give your reasons for opening it again.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].label = _("Opened again on")
        self.order_fields(["reasons", "happened_on"])
