"""The forms of messages to him, and of what he writes in his portal."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.portal.models import Answer
from holdspace.processes.forms import (
    DATE_WIDGET,
    LONG_TEXT,
    SHORT_TEXT,
    VersionedForm,
    not_in_future,
)
from holdspace.web.forms import Form

MESSAGE_HELP = _(
    "Written here, it stays with your group until you send it. Once sent, it is never changed."
)


class MessageForm(Form):
    body = forms.CharField(
        label=_("Message"), max_length=20_000, widget=LONG_TEXT, help_text=MESSAGE_HELP
    )


class EditMessageForm(VersionedForm, MessageForm):
    pass


# His forms --------------------------------------------------------------------------------

NOTHING = ""


class WriteForm(Form):
    """A reflection before a meeting, or a progress report; optionally about
    one of his upcoming meetings or open steps, chosen from a list."""

    answer_kind = forms.ChoiceField(
        label=_("What you are writing"),
        choices=[
            (Answer.Kind.REFLECTION, _("A reflection before a meeting")),
            (Answer.Kind.PROGRESS, _("A report on your progress")),
        ],
        widget=forms.RadioSelect,
    )
    about = forms.ChoiceField(
        label=_("What it is about"),
        required=False,
        help_text=_("Optional."),
    )
    body = forms.CharField(label=_("Your text"), max_length=20_000, widget=LONG_TEXT)

    def __init__(self, *args: Any, about: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["about"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (declared as one)
        field.choices = [(NOTHING, _("Nothing in particular")), *about]


class ReplyForm(Form):
    body = forms.CharField(label=_("Your reply"), max_length=20_000, widget=LONG_TEXT)


class ToldForm(Form):
    description = forms.CharField(
        label=_("Whom you told"),
        max_length=2000,
        widget=SHORT_TEXT,
        help_text=_("For example: the new political group I joined, through its contact person."),
    )
    told_on = forms.DateField(
        label=_("When you told them"),
        widget=DATE_WIDGET,
        help_text=_("Today, or the day you told them."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["told_on"].initial = timezone.localdate()

    def clean_told_on(self) -> datetime.date:
        return not_in_future(self.cleaned_data["told_on"])
