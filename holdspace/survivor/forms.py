"""The survivor's forms: her answer to what waits for her, and her choices."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.processes.forms import DATE_WIDGET, SHORT_TEXT
from holdspace.web.forms import Form

APPROVE, DECLINE = "approve", "decline"
HERSELF, SUPPORT_GROUP = "herself", "support_group"


class AnswerForm(Form):
    """Yes or no to a change of her demand or to an informing; a no says why."""

    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (APPROVE, _("Yes, I approve it")),
            (DECLINE, _("No, I decline it")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose yes or no.")},
    )
    reason = forms.CharField(
        label=_("Why you decline"),
        max_length=5000,
        required=False,
        widget=SHORT_TEXT,
        help_text=_("The group that asked will read it. A few words are enough."),
    )
    applies_when = {"reason": ("decision", DECLINE)}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == DECLINE and not str(cleaned.get("reason", "")).strip():
            self.add_error("reason", _("Please say in a few words why you decline."))
        return cleaned


class WhoAnswersForm(Form):
    """Her choice stands as it is until she changes it: the radio shows it."""

    who = forms.ChoiceField(
        label=_("Who gives the approvals"),
        choices=[
            (HERSELF, _("I give the approvals myself")),
            (SUPPORT_GROUP, _("My support group gives them for me")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Approvals are about changes to your demands and about telling people about "
            "the process. You can change this whenever you like."
        ),
    )


class PauseForm(Form):
    until = forms.DateField(
        label=_("Please bring nothing to me until"),
        widget=DATE_WIDGET,
        help_text=_(
            "Until then your support group gives the approvals for you. The pause ends by "
            "itself after that day, and you can end it earlier."
        ),
    )

    def clean_until(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["until"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("Please choose a day after today."))
        return day
