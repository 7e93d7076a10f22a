"""Forms for the watchdog's settings, reminders and calendar feeds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from holdspace.processes.forms import VersionedForm
from holdspace.processes.terminology import Terms
from holdspace.web.forms import Form

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

DAYS_MESSAGE = _("Please give a number of days from 1 to 3650.")


def _days(label: _StrPromise, help_text: _StrPromise) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=1,
        max_value=3650,
        error_messages={
            "min_value": DAYS_MESSAGE,
            "max_value": DAYS_MESSAGE,
            "invalid": DAYS_MESSAGE,
        },
    )


class CadenceForm(VersionedForm):
    contact_days = _days(
        _("Contact with him at least every … days"),
        _("Groups in such processes often agree on every three months (90 days)."),
    )
    no_answer_days = _days(
        _("Say so when he has not answered for … days"),
        _("Counted from your first attempt since his last answer."),
    )
    report_days = _days(
        _("Report to supervision every … days"),
        _("Every three months (90 days) is common."),
    )


def use_pronoun(form: CadenceForm, terms: Terms) -> None:
    """The cadence form's labels in the pronoun the process chose."""
    form.fields["contact_days"].label = terms.pick(
        he=_("Contact with him at least every … days"),
        she=_("Contact with her at least every … days"),
        they=_("Contact with them at least every … days"),
        none=_("Contact with the %(term)s at least every … days"),
    )
    form.fields["no_answer_days"].label = terms.pick(
        he=_("Say so when he has not answered for … days"),
        she=_("Say so when she has not answered for … days"),
        they=_("Say so when they have not answered for … days"),
        none=_("Say so when the %(term)s has not answered for … days"),
    )
    form.fields["no_answer_days"].help_text = terms.pick(
        he=_("Counted from your first attempt since his last answer."),
        she=_("Counted from your first attempt since her last answer."),
        they=_("Counted from your first attempt since their last answer."),
        none=_("Counted from your first attempt since the last answer."),
    )


class ReminderForm(Form):
    enabled = forms.BooleanField(
        label=_("Send me reminders by e-mail"),
        required=False,
        help_text=_(
            "At most one short e-mail when something new needs your attention. It never "
            "says what, nor in which process: you log in to see it."
        ),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("Stored encrypted; only used for these reminders."),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("enabled") and not cleaned.get("email"):
            self.add_error("email", _("Please give the address the reminders should go to."))
        return cleaned
