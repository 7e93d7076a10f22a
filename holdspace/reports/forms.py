"""Forms of periodic reports."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.processes.forms import DATE_WIDGET, IN_THE_PAST, VersionedForm, happened_field
from holdspace.web.forms import Form

TEXT_HELP = _(
    "The lines below come from your group's records of the period. Say what they do "
    "not: how your group sees it, what went well, what worries you, what you need "
    "from supervision."
)


class PeriodMixin(Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end of the period must come after its start."))
        elif end and end > timezone.localdate():
            self.add_error("period_to", IN_THE_PAST)
        return cleaned


class ReportForm(PeriodMixin):
    """A new draft: only the period; its lines come from the records."""

    period_from = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    period_to = forms.DateField(label=_("To"), widget=DATE_WIDGET)


class EditReportForm(VersionedForm):
    """The group's words in a draft. The period stays as drafted, with the
    lines of its records: for another period, draft another report."""

    text = forms.CharField(
        label=_("Your report"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=TEXT_HELP,
    )
    what_changed = forms.CharField(
        label=_("What this correction changes"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    occurred_on = forms.DateField(label=_("Written on"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, correction: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not correction:
            del self.fields["what_changed"]
        else:
            self.fields["what_changed"].required = True

    def clean_occurred_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(IN_THE_PAST)
        return day


class SendForm(Form):
    sent_on = happened_field(_("Sent on"), _("Today, or the day it was sent if you add it later."))


class CorrectForm(Form):
    what_changed = forms.CharField(
        label=_("What does the correction change, and why?"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Supervision reads this first. The report as it was sent stays as it is; "
            "the correction starts from its text and lines, and you edit it next."
        ),
    )
