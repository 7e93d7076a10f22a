"""Forms for the people around him, informings, his duty to inform and the
survivor's side's consent. Choices (people, letter copies, groups) come from
the view, which got them through the access core."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from holdspace.circle import words
from holdspace.circle.models import Consent, Duty, Informing, Person
from holdspace.commitments.models import LetterCopy
from holdspace.processes.forms import (
    DATE_WIDGET,
    LONG_TEXT,
    SHORT_TEXT,
    ApproveOrDeclineForm,
    HappenedForm,
    VersionedForm,
    happened_field,
    not_in_future,
    share_with_field,
)
from holdspace.processes.models import Group
from holdspace.processes.terminology import Terms
from holdspace.web.forms import Form

EVERYONE = "everyone"

SHARE_HELP = _(
    "Ticked: the survivor's side and the group carrying contact. Untick a group that "
    "should not read it."
)


class PersonField(forms.ModelChoiceField):  # type: ignore[type-arg]  # django-stubs makes the field generic
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} ({obj.get_relation_display()})"


class CopyField(forms.ModelChoiceField):  # type: ignore[type-arg]  # django-stubs makes the field generic
    def label_from_instance(self, obj: LetterCopy) -> str:
        day = formats.date_format(obj.handed_on, "DATE_FORMAT")
        return str(
            _("No. %(number)s (version %(version)s), handed over on %(date)s")
            % {"number": obj.number, "version": obj.letter_version, "date": day}
        )


def _set_queryset(form: forms.Form, name: str, rows: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared as one)
    field.queryset = rows


# People ---------------------------------------------------------------------------------

NAME_HELP = _(
    "How your groups refer to them. A pseudonym is enough; it is encrypted like every text."
)
RELATION_NOTE_HELP = _(
    "For example: one of us knows her from the choir; nobody of us knows them yet."
)


class PersonFields(Form):
    relation = forms.ChoiceField(
        label=_("Who they are"), choices=Person.Relation.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Name or pseudonym"), max_length=200, help_text=NAME_HELP)
    relation_note = forms.CharField(
        label=_("How your groups relate to them"),
        max_length=5000,
        required=False,
        widget=SHORT_TEXT,
        help_text=RELATION_NOTE_HELP,
    )


def _use_terms(form: forms.Form, terms: Terms | None) -> None:
    """The labels that speak of the person who caused harm, in the process's pronoun."""
    if terms is None:
        return
    labels = {
        "relation": ("label", words.relation),
        "told_by": ("help_text", words.told_by_help),
        "description": ("label", words.duty_whom),
    }
    for name, (attribute, say) in labels.items():
        if name in form.fields:
            setattr(form.fields[name], attribute, say(terms))
    if "occurred_on" in form.fields and "description" in form.fields:
        form.fields["occurred_on"].label = words.duty_day(terms)
    if "confirmation" in form.fields:
        field = form.fields["confirmation"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (declared as one)
        field.choices = words.confirmations(terms)


class PersonForm(PersonFields):
    stance = forms.ChoiceField(
        label=_("Their stance towards the process"),
        choices=Person.Stance.choices,
        initial=Person.Stance.UNKNOWN,
        widget=forms.RadioSelect,
    )
    may_contact = forms.ChoiceField(
        label=_("May your groups contact them?"),
        choices=Person.MayContact.choices,
        initial=Person.MayContact.ASK_FIRST,
        widget=forms.RadioSelect,
    )
    occurred_on = happened_field(
        _("Known to your groups since"), _("Today, or the day you first knew of them.")
    )
    share_with = share_with_field(SHARE_HELP)

    def __init__(
        self, *args: Any, groups: QuerySet[Group], terms: Terms | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "share_with", groups)
        _use_terms(self, terms)


class EditPersonForm(VersionedForm, PersonFields):
    occurred_on = forms.DateField(label=_("Known to your groups since"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, terms: Terms | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_terms(self, terms)

    def clean_occurred_on(self) -> datetime.date:
        return not_in_future(self.cleaned_data["occurred_on"])


class StanceForm(VersionedForm, HappenedForm):
    stance = forms.ChoiceField(
        label=_("Their stance towards the process"),
        choices=Person.Stance.choices,
        widget=forms.RadioSelect,
    )
    may_contact = forms.ChoiceField(
        label=_("May your groups contact them?"),
        choices=Person.MayContact.choices,
        widget=forms.RadioSelect,
    )
    field_order = ["stance", "may_contact", "happened_on", "version"]


# Informing ----------------------------------------------------------------------------


class InformingForm(Form):
    field_order = [
        "status",
        "occurred_on",
        "told_by",
        "channel",
        "material",
        "letter_copy",
        "material_note",
        "reaction",
        "followed",
        "share_with",
    ]
    applies_when = {
        "letter_copy": ("material", Informing.Material.LETTER_COPY),
        "reaction": ("status", Informing.Status.CARRIED_OUT),
        "followed": ("status", Informing.Status.CARRIED_OUT),
    }
    status = forms.ChoiceField(
        label=_("Is it planned, or did it already happen?"),
        choices=[
            (Informing.Status.PLANNED, _("planned")),
            (Informing.Status.CARRIED_OUT, _("it already happened")),
        ],
        initial=Informing.Status.PLANNED,
        widget=forms.RadioSelect,
    )
    occurred_on = forms.DateField(
        label=_("When"),
        widget=DATE_WIDGET,
        help_text=_("The planned day, or the day it happened."),
    )
    told_by = forms.CharField(
        label=_("Who tells them"),
        max_length=500,
    )
    channel = forms.ChoiceField(
        label=_("How"), choices=Informing.Channel.choices, widget=forms.RadioSelect
    )
    material = forms.ChoiceField(
        label=_("With which material"),
        choices=Informing.Material.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Telling without anything written still tells them that a process exists. "
            "Something else needs the survivor's side's consent to everything."
        ),
    )
    letter_copy = CopyField(
        label=_("Which copy"),
        queryset=None,
        required=False,
        help_text=_("Copies are registered on the letter's page."),
    )
    material_note = forms.CharField(
        label=_("About the material"),
        max_length=5000,
        required=False,
        widget=SHORT_TEXT,
    )
    reaction = forms.CharField(
        label=_("Their reaction"), max_length=20_000, required=False, widget=LONG_TEXT
    )
    followed = forms.CharField(
        label=_("What followed"), max_length=20_000, required=False, widget=LONG_TEXT
    )
    share_with = share_with_field(SHARE_HELP)

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[Group],
        copies: QuerySet[LetterCopy],
        terms: Terms | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "share_with", groups)
        _set_queryset(self, "letter_copy", copies)
        _use_terms(self, terms)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = cleaned.get("occurred_on")
        done = cleaned.get("status") == Informing.Status.CARRIED_OUT
        if done and day is not None and day > timezone.localdate():
            self.add_error("occurred_on", _("Choose today or a day in the past."))
        if cleaned.get("material") == Informing.Material.LETTER_COPY and not cleaned.get(
            "letter_copy"
        ):
            self.add_error("letter_copy", _("Please choose which numbered copy was handed over."))
        return cleaned


class EditInformingForm(VersionedForm):
    occurred_on = forms.DateField(label=_("Planned for"), widget=DATE_WIDGET)
    told_by = forms.CharField(label=_("Who tells them"), max_length=500)
    material_note = forms.CharField(
        label=_("About the material"), max_length=5000, required=False, widget=SHORT_TEXT
    )
    reaction = forms.CharField(
        label=_("Their reaction"), max_length=20_000, required=False, widget=LONG_TEXT
    )
    followed = forms.CharField(
        label=_("What followed"), max_length=20_000, required=False, widget=LONG_TEXT
    )

    def __init__(
        self, *args: Any, planned: bool, terms: Terms | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _use_terms(self, terms)
        if not planned:
            # Its day is the day it happened, set when it was recorded.
            del self.fields["occurred_on"]
        else:
            del self.fields["reaction"]
            del self.fields["followed"]


class OutcomeForm(HappenedForm):
    applies_when = {
        "reaction": ("outcome", Informing.Status.CARRIED_OUT),
        "followed": ("outcome", Informing.Status.CARRIED_OUT),
    }
    outcome = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (Informing.Status.CARRIED_OUT, _("they were told")),
            (Informing.Status.DROPPED, _("it was called off")),
        ],
        widget=forms.RadioSelect,
    )
    reaction = forms.CharField(
        label=_("Their reaction"), max_length=20_000, required=False, widget=LONG_TEXT
    )
    followed = forms.CharField(
        label=_("What followed"), max_length=20_000, required=False, widget=LONG_TEXT
    )
    field_order = ["outcome", "reaction", "followed", "happened_on"]


class ApprovalForm(ApproveOrDeclineForm):
    field_order = ["decision", "reason", "happened_on"]


# His duty to inform --------------------------------------------------------------------


class DutyForm(Form):
    whom = PersonField(
        label=_("Someone already recorded here"),
        queryset=None,
        required=False,
        empty_label=_("— none of them —"),
    )
    description = forms.CharField(
        label=_("Who was told"),
        max_length=2000,
        widget=SHORT_TEXT,
        help_text=_("For example: a new housing project; a new partner."),
    )
    occurred_on = forms.DateField(label=_("The day they were told"), widget=DATE_WIDGET)
    comment = forms.CharField(label=_("Note"), max_length=5000, required=False, widget=SHORT_TEXT)
    share_with = share_with_field(SHARE_HELP)

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[Group],
        people: QuerySet[Person],
        terms: Terms | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "share_with", groups)
        _set_queryset(self, "whom", people)
        _use_terms(self, terms)

    def clean_occurred_on(self) -> datetime.date:
        return not_in_future(self.cleaned_data["occurred_on"])


class EditDutyForm(VersionedForm):
    occurred_on = forms.DateField(label=_("The day they were told"), widget=DATE_WIDGET)
    description = forms.CharField(label=_("Who was told"), max_length=2000, widget=SHORT_TEXT)
    comment = forms.CharField(label=_("Note"), max_length=5000, required=False, widget=SHORT_TEXT)

    def __init__(self, *args: Any, terms: Terms | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_terms(self, terms)

    def clean_occurred_on(self) -> datetime.date:
        return not_in_future(self.cleaned_data["occurred_on"])


class ConfirmForm(HappenedForm):
    confirmation = forms.ChoiceField(
        label=_("What those told say"),
        choices=[
            (Duty.Confirmation.CONFIRMED, _("they confirm it")),
            (Duty.Confirmation.DENIED, _("they say it did not happen")),
        ],
        widget=forms.RadioSelect,
    )
    field_order = ["confirmation", "happened_on"]

    def __init__(self, *args: Any, terms: Terms | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_terms(self, terms)


# Consent ---------------------------------------------------------------------------------


class ConsentForm(Form):
    whom = forms.ChoiceField(label=_("Who may be told"), widget=forms.RadioSelect)
    may_know = forms.ChoiceField(
        label=_("What they may be told"),
        choices=Consent.Scope.choices,
        widget=forms.RadioSelect,
        help_text=_("Each choice includes the ones above it."),
    )
    embargo_until = forms.DateField(
        label=_("Nobody else until"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "Optional. Before this day, only people with a consent of their own may be told. "
            "From this day on the embargo is over."
        ),
    )
    occurred_on = happened_field(_("Agreed on"), _("Today, or the day you agreed on it."))
    comment = forms.CharField(label=_("Note"), max_length=5000, required=False, widget=SHORT_TEXT)
    share_with = share_with_field(
        _("Ticked: the group carrying contact, which does the informing. Untick if it should not.")
    )

    def __init__(
        self, *args: Any, groups: QuerySet[Group], people: list[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "share_with", groups)
        choices: list[tuple[str, Any]] = [(EVERYONE, _("everyone without a consent of their own"))]
        choices += [(str(p.pk), f"{p.name} ({p.get_relation_display()})") for p in people]
        field = self.fields["whom"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (declared as one)
        field.choices = choices
        self.people = {str(p.pk): p for p in people}

    def clean_whom(self) -> Person | None:
        value = self.cleaned_data["whom"]
        return None if value == EVERYONE else self.people[value]


class EditConsentForm(VersionedForm):
    comment = forms.CharField(label=_("Note"), max_length=5000, required=False, widget=SHORT_TEXT)
