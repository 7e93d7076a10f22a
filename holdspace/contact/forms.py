"""Forms for contacts and meetings. Choices (groups, members,
earlier attempts, demands) come from the view, which got them through the
access core."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.commitments import services as commitments
from holdspace.commitments.forms import AGREED_HELP, check_due
from holdspace.contact import services
from holdspace.contact.models import Contact, Meeting
from holdspace.contact.words import outcome_label
from holdspace.processes.forms import (
    DATE_WIDGET,
    IN_THE_PAST,
    SHORT_TEXT,
    PeopleField,
    VersionedForm,
    check_day,
    happened_field,
    not_in_future,
    share_with_field,
)
from holdspace.processes.models import Group
from holdspace.processes.services import Floor, Refused
from holdspace.processes.terminology import Terms
from holdspace.web.forms import Form

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
LONG_TEXT = forms.Textarea(attrs={"rows": 8})


class AttemptsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # django-stubs makes the field generic
    def label_from_instance(self, obj: Contact) -> str:
        day = formats.date_format(obj.occurred_on, "DATE_FORMAT")
        return f"{day} ({obj.get_channel_display()})"


class ContactForm(Form):
    field_order = [
        "direction",
        "counterpart",
        "counterpart_note",
        "channel",
        "occurred_on",
        "summary",
        "answered_on",
        "answers",
        "share_with",
    ]
    # Shown under the option they belong to; ignored when another is chosen.
    applies_when = {
        "counterpart_note": ("counterpart", Contact.Counterpart.SURROUNDINGS),
        "answered_on": ("direction", Contact.Direction.OUTGOING),
        "answers": ("direction", Contact.Direction.INCOMING),
    }
    direction = forms.ChoiceField(
        label=_("Who reached out"), choices=Contact.Direction.choices, widget=forms.RadioSelect
    )
    counterpart = forms.ChoiceField(label=_("With whom"), choices=[], widget=forms.RadioSelect)
    counterpart_note = forms.CharField(
        label=_("Who exactly"),
        max_length=300,
        required=False,
        help_text=_("Only for someone in his surroundings: how your group refers to them."),
    )
    channel = forms.ChoiceField(
        label=_("How"), choices=Contact.Channel.choices, widget=forms.RadioSelect
    )
    occurred_on = forms.DateField(label=_("When"), widget=DATE_WIDGET)
    summary = forms.CharField(
        label=_("What was said"),
        max_length=50_000,
        widget=LONG_TEXT,
        help_text=_("Also when nothing came back: an unanswered attempt counts."),
    )
    answered_on = forms.DateField(
        label=_("He answered on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "Only when you contacted him: the day he answered, if he already did. "
            "Leave empty otherwise."
        ),
    )
    answers = AttemptsField(
        label=_("This answers our attempts of"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when he contacted you: tick what he answered."),
    )
    share_with = share_with_field()

    def __init__(
        self,
        *args: Any,
        counterparts: dict[str, str],
        attempts: QuerySet[Contact],
        groups: QuerySet[Group],
        terms: Terms | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if terms is not None:
            self._use_pronoun(terms)
        self.fields["counterpart"].choices = list(counterparts.items())  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        self.fields["answers"].queryset = attempts  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        self.fields["share_with"].queryset = groups  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        if not attempts.exists():
            del self.fields["answers"]

    def _use_pronoun(self, terms: Terms) -> None:
        self.fields["answered_on"].label = terms.pick(
            he=_("He answered on"),
            she=_("She answered on"),
            they=_("They answered on"),
            none=_("The %(term)s answered on"),
        )
        self.fields["answered_on"].help_text = terms.pick(
            he=_(
                "Only when you contacted him: the day he answered, if he already did. "
                "Leave empty otherwise."
            ),
            she=_(
                "Only when you contacted her: the day she answered, if she already did. "
                "Leave empty otherwise."
            ),
            they=_(
                "Only when you contacted them: the day they answered, if they already did. "
                "Leave empty otherwise."
            ),
            none=_(
                "Only when you contacted the %(term)s: the day of the answer, if it came "
                "already. Leave empty otherwise."
            ),
        )
        self.fields["answers"].help_text = terms.pick(
            he=_("Only when he contacted you: tick what he answered."),
            she=_("Only when she contacted you: tick what she answered."),
            they=_("Only when they contacted you: tick what they answered."),
            none=_("Only when the %(term)s contacted you: tick what this answered."),
        )

    def clean_occurred_on(self) -> datetime.date:
        return not_in_future(self.cleaned_data["occurred_on"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answered, day = cleaned.get("answered_on"), cleaned.get("occurred_on")
        # Left after "contacted us" was chosen, the day is already ignored (applies_when).
        if answered is not None and cleaned.get("direction") == Contact.Direction.OUTGOING:
            if day is not None and answered < day:
                self.add_error(
                    "answered_on", _("An answer cannot come before the attempt it answers.")
                )
            elif answered > timezone.localdate():
                self.add_error("answered_on", IN_THE_PAST)
        return cleaned


class EditContactForm(VersionedForm):
    occurred_on = forms.DateField(label=_("When"), widget=DATE_WIDGET)
    counterpart_note = forms.CharField(label=_("Who exactly"), max_length=300, required=False)
    summary = forms.CharField(label=_("What was said"), max_length=50_000, widget=LONG_TEXT)

    def __init__(self, *args: Any, answered_on: datetime.date | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answered_on = answered_on

    def clean_occurred_on(self) -> datetime.date:
        day = not_in_future(self.cleaned_data["occurred_on"])
        if self.answered_on is not None and day > self.answered_on:
            raise forms.ValidationError(_("An answer cannot come before the attempt it answers."))
        return day


class AnsweredForm(Form):
    answered_on = forms.DateField(label=_("He answered on"), widget=DATE_WIDGET)

    def __init__(
        self,
        *args: Any,
        attempted: datetime.date,
        floors: Sequence[Floor] = (),
        terms: Terms | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.attempted, self.floors = attempted, floors
        self.fields["answered_on"].initial = timezone.localdate()
        if terms is not None:
            self.fields["answered_on"].label = terms.pick(
                he=_("He answered on"),
                she=_("She answered on"),
                they=_("They answered on"),
                none=_("The %(term)s answered on"),
            )

    def clean_answered_on(self) -> datetime.date:
        day = not_in_future(self.cleaned_data["answered_on"])
        if day < self.attempted:
            raise forms.ValidationError(_("An answer cannot come before the attempt it answers."))
        return check_day(day, self.floors)


# Meetings ------------------------------------------------------------------------


class MeetingForm(Form):
    field_order = [
        "with_whom",
        "occurred_on",
        "starts_at",
        "place",
        "attendees",
        "agenda",
        "preparation_asked",
        "outcome",
        "minutes",
        "follow_ups",
    ]
    with_whom = forms.ChoiceField(
        label=_("Who is this meeting with?"),
        choices=[
            ("him", _("with him")),
            ("surroundings", _("with people from his surroundings (a partner, friends, a group)")),
            ("internal", _("only your group (without him)")),
        ],
        initial="him",
        required=False,  # left out: with him
        widget=forms.RadioSelect,
        help_text=_("Only meetings with him count for the contact figures and reminders."),
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts_at = forms.TimeField(label=_("Time"), required=False, widget=TIME_WIDGET)
    place = forms.CharField(
        label=_("Place or call"),
        max_length=500,
        required=False,
        help_text=_("A public place, or how to join the call."),
    )
    attendees = PeopleField(
        label=_("Who goes from your group"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two, so nobody meets him alone."),
    )
    agenda = forms.CharField(
        label=_("Agenda"), max_length=20_000, required=False, widget=SHORT_TEXT
    )
    preparation_asked = forms.CharField(
        label=_("Asked of him beforehand"),
        max_length=20_000,
        required=False,
        widget=SHORT_TEXT,
        help_text=_("For example a written reflection to send a week before."),
    )
    outcome = forms.ChoiceField(
        label=_("Has it happened?"),
        choices=[
            (Meeting.Outcome.SCHEDULED, _("not yet: it is planned")),
            *Meeting.Outcome.choices[1:],
        ],
        widget=forms.RadioSelect,
    )
    minutes = forms.CharField(
        label=_("Minutes"), max_length=100_000, required=False, widget=LONG_TEXT
    )
    follow_ups = forms.CharField(
        label=_("Agreed follow-ups"), max_length=20_000, required=False, widget=SHORT_TEXT
    )

    def __init__(
        self, *args: Any, people: QuerySet[User], terms: Terms | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        self.fields["occurred_on"].initial = timezone.localdate()
        if terms is not None:
            self._use_pronoun(terms)

    def _use_pronoun(self, terms: Terms) -> None:
        self.fields["with_whom"].choices = [  # type: ignore[attr-defined]  # a choice field, typed as a plain Field
            (
                "him",
                terms.pick(
                    he=_("with him"),
                    she=_("with her"),
                    they=_("with them"),
                    none=_("with the %(term)s"),
                ),
            ),
            (
                "surroundings",
                terms.pick(
                    he=_("with people from his surroundings (a partner, friends, a group)"),
                    she=_("with people from her surroundings (a partner, friends, a group)"),
                    they=_("with people from their surroundings (a partner, friends, a group)"),
                    none=_("with people around the %(term)s (a partner, friends, a group)"),
                ),
            ),
            (
                "internal",
                terms.pick(
                    he=_("only your group (without him)"),
                    she=_("only your group (without her)"),
                    they=_("only your group (without them)"),
                    none=_("only your group (without the %(term)s)"),
                ),
            ),
        ]
        self.fields["with_whom"].help_text = terms.pick(
            he=_("Only meetings with him count for the contact figures and reminders."),
            she=_("Only meetings with her count for the contact figures and reminders."),
            they=_("Only meetings with them count for the contact figures and reminders."),
            none=_("Only meetings with the %(term)s count for the contact figures and reminders."),
        )
        self.fields["attendees"].help_text = terms.pick(
            he=_("At least two, so nobody meets him alone."),
            she=_("At least two, so nobody meets her alone."),
            they=_("At least two, so nobody meets them alone."),
            none=_("At least two, so nobody meets the %(term)s alone."),
        )
        self.fields["preparation_asked"].label = terms.pick(
            he=_("Asked of him beforehand"),
            she=_("Asked of her beforehand"),
            they=_("Asked of them beforehand"),
            none=_("Asked of the %(term)s beforehand"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, outcome = cleaned.get("occurred_on"), cleaned.get("outcome")
        today = timezone.localdate()
        if day is not None and outcome == Meeting.Outcome.SCHEDULED and day < today:
            self.add_error(
                "outcome",
                _("This date has passed. Say what happened, or choose a date from today on."),
            )
        if day is not None and outcome in ("held", "no_show") and day > today:
            self.add_error("outcome", _("This meeting has not happened yet."))
        with_whom = cleaned.pop("with_whom", "") or "him"
        if with_whom != "him" and outcome in ("no_show", "cancelled_by_him"):
            self.add_error("outcome", services.NOT_WITH_HIM)
        cleaned["internal"] = with_whom == "internal"
        cleaned["counterpart"] = "surroundings" if with_whom == "surroundings" else "him"
        return cleaned


class EditMeetingForm(VersionedForm):
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts_at = forms.TimeField(label=_("Time"), required=False, widget=TIME_WIDGET)
    place = forms.CharField(label=_("Place or call"), max_length=500, required=False)
    agenda = forms.CharField(
        label=_("Agenda"), max_length=20_000, required=False, widget=SHORT_TEXT
    )
    preparation_asked = forms.CharField(
        label=_("Asked of him beforehand"), max_length=20_000, required=False, widget=SHORT_TEXT
    )
    minutes = forms.CharField(
        label=_("Minutes"), max_length=100_000, required=False, widget=LONG_TEXT
    )
    follow_ups = forms.CharField(
        label=_("Agreed follow-ups"), max_length=20_000, required=False, widget=SHORT_TEXT
    )

    def __init__(self, *args: Any, scheduled: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheduled = scheduled

    def clean_occurred_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["occurred_on"]
        if self.scheduled and day < timezone.localdate():
            raise forms.ValidationError(
                _("A planned meeting cannot move into the past. Record what happened instead.")
            )
        return day


class OutcomeForm(Form):
    outcome = forms.ChoiceField(
        label=_("What happened"), choices=Meeting.Outcome.choices[1:], widget=forms.RadioSelect
    )
    preparation = forms.ChoiceField(
        label=_("What he was asked to send beforehand"),
        choices=Meeting.Preparation.choices,
        widget=forms.RadioSelect,
    )
    minutes = forms.CharField(
        label=_("Minutes"), max_length=100_000, required=False, widget=LONG_TEXT
    )
    follow_ups = forms.CharField(
        label=_("Agreed follow-ups"),
        max_length=20_000,
        required=False,
        widget=SHORT_TEXT,
        help_text=_("One per line. Each can become a step towards a demand."),
    )
    happened_on = happened_field(
        help_text=_(
            "The day of the meeting if it was held or he did not come; if it was called "
            "off, the day it was called off."
        )
    )

    field_order = ["outcome", "happened_on", "preparation", "minutes", "follow_ups"]

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["happened_on"].initial = min(meeting.occurred_on, timezone.localdate())
        terms = meeting.process.terms
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
            (value, outcome_label(value, terms)) for value, _label in Meeting.Outcome.choices[1:]
        ]
        self.fields["preparation"].label = terms.pick(
            he=_("What he was asked to send beforehand"),
            she=_("What she was asked to send beforehand"),
            they=_("What they were asked to send beforehand"),
            none=_("What the %(term)s was asked to send beforehand"),
        )
        self.fields["happened_on"].help_text = terms.pick(
            he=_(
                "The day of the meeting if it was held or he did not come; if it was called "
                "off, the day it was called off."
            ),
            she=_(
                "The day of the meeting if it was held or she did not come; if it was called "
                "off, the day it was called off."
            ),
            they=_(
                "The day of the meeting if it was held or they did not come; if it was called "
                "off, the day it was called off."
            ),
            none=_(
                "The day of the meeting if it was held or the %(term)s did not come; if it was "
                "called off, the day it was called off."
            ),
        )
        if meeting.internal:
            self.fields["outcome"].choices = [  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
                (Meeting.Outcome.HELD, _("held")),
                (Meeting.Outcome.CANCELLED_BY_US, _("cancelled")),
            ]
            del self.fields["preparation"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        if outcome and "happened_on" in cleaned:
            try:
                cleaned["happened_on"] = services.outcome_day(
                    self.meeting, outcome, cleaned["happened_on"]
                )
            except Refused as refusal:
                self.add_error("happened_on", refusal.message)
        return cleaned


class AttendeesForm(Form):
    attendees = PeopleField(
        label=_("Who goes from your group"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field


def _excerpt(text: str, words: int = 12) -> str:
    parts = str(text).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


class FollowUpStepForm(Form):
    """A follow-up agreed at ``meeting`` becomes a step: agreed that day,
    unless said otherwise; due on or after it, even if that has passed."""

    demand = forms.ChoiceField(label=_("Towards the demand"), choices=[])
    description = forms.CharField(label=_("What he will do"), max_length=5000, widget=SHORT_TEXT)
    agreed_on = happened_field(_("Agreed on"), AGREED_HELP)
    due_on = forms.DateField(label=_("By when"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, demands: Sequence[Any], meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.demands = {str(demand.pk): demand for demand in demands}
        self.fields["demand"].choices = [  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
            (pk, _excerpt(demand.wording)) for pk, demand in self.demands.items()
        ]
        self.fields["agreed_on"].initial = min(meeting.occurred_on, timezone.localdate())
        self.fields["description"].label = meeting.process.terms.pick(
            he=_("What he will do"),
            she=_("What she will do"),
            they=_("What they will do"),
            none=_("What the %(term)s will do"),
        )

    def clean_demand(self) -> Any:
        return self.demands[self.cleaned_data["demand"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        demand = cleaned.get("demand")
        if demand is not None and "agreed_on" in cleaned:
            try:
                cleaned["agreed_on"] = check_day(
                    cleaned["agreed_on"], commitments.since_the_demand(demand)
                )
            except forms.ValidationError as error:
                self.add_error("agreed_on", error)
        check_due(self, cleaned.get("agreed_on"))
        return cleaned


# Reports -------------------------------------------------------------------------
