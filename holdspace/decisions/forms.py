"""Forms for proposals, answers, outcomes and the ladder. Choices (groups,
records, members, options) come from the view, which got them through the
access core."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.decisions import services
from holdspace.decisions.models import Answer, Decision, NonCooperation, Option
from holdspace.processes.forms import (
    DATE_WIDGET,
    LONG_TEXT,
    SHORT_TEXT,
    GroupChoiceField,
    GroupsChoiceField,
    PeopleField,
    VersionedForm,
    happened_field,
)
from holdspace.processes.models import Group, Record
from holdspace.processes.terminology import Terms
from holdspace.web.forms import Form

DEADLINE_DAYS = 14
CRITERION = forms.RadioSelect


class RecordsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # django-stubs makes the field generic
    def label_from_instance(self, obj: Record) -> str:
        return f"{capfirst(obj.kind_label)}, {formats.date_format(obj.occurred_on, 'DATE_FORMAT')}"


class OptionField(forms.ModelChoiceField):  # type: ignore[type-arg]  # django-stubs makes the field generic
    def label_from_instance(self, obj: Option) -> str:
        return str(obj.text)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ProposalForm(Form):
    field_order = [
        "group",
        "topic",
        "proposal",
        "reasons",
        "inform_whom",
        "trust_built",
        "gaining_power",
        "criteria_reasoning",
        "options",
        "asked",
        "about",
        "deadline",
        "proposed_on",
    ]
    applies_when = {
        "inform_whom": ("topic", Decision.Topic.INFORM),
        "trust_built": ("topic", Decision.Topic.INFORM),
        "gaining_power": ("topic", Decision.Topic.INFORM),
        "criteria_reasoning": ("topic", Decision.Topic.INFORM),
    }
    group = GroupChoiceField(
        label=_("Who proposes it"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("You are in more than one group: choose the one that proposes it."),
    )
    topic = forms.ChoiceField(
        label=_("What is it about"),
        choices=[
            (Decision.Topic.GENERAL, _("A proposal to decide together")),
            (Decision.Topic.INFORM, _("Whom to inform about the process")),
            (Decision.Topic.RESPOND, _("How to respond when agreements are not kept")),
        ],
        initial=Decision.Topic.GENERAL,
        widget=forms.RadioSelect,
    )
    proposal = forms.CharField(
        label=_("What do you propose?"),
        max_length=20_000,
        widget=LONG_TEXT,
        help_text=_("Say it so that someone who was not there can understand it."),
    )
    reasons = forms.CharField(
        label=_("Why?"),
        max_length=20_000,
        required=False,
        widget=LONG_TEXT,
        help_text=_("What speaks for it, and what you weighed against it."),
    )
    inform_whom = forms.CharField(
        label=_("Who would be told?"),
        max_length=1_000,
        required=False,
        help_text=_("A person or a group, as your groups refer to them."),
    )
    trust_built = forms.ChoiceField(
        label=_("Are they building up trust in him, personally or politically?"),
        choices=Decision.Criterion.choices,
        required=False,
        widget=CRITERION,
    )
    gaining_power = forms.ChoiceField(
        label=_("Is he gaining social or political power there?"),
        choices=Decision.Criterion.choices,
        required=False,
        widget=CRITERION,
        help_text=_("For example admiration for him, or people depending on him."),
    )
    criteria_reasoning = forms.CharField(
        label=_("How did you weigh these two questions?"),
        max_length=20_000,
        required=False,
        widget=SHORT_TEXT,
        help_text=_(
            "Write down your reasons, so that others can understand them or question them later."
        ),
    )
    options = forms.CharField(
        label=_("Options (if there is more than one)"),
        max_length=20_000,
        required=False,
        widget=SHORT_TEXT,
        help_text=_("One option per line. Leave empty for a single proposal."),
    )
    asked = GroupsChoiceField(
        label=_("Also ask"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Your group is always asked. The groups you tick here can read the proposal "
            "and answer it too."
        ),
    )
    about = RecordsField(
        label=_("What it is about"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Records it refers to, such as a missed meeting or a breach."),
    )
    deadline = forms.DateField(
        label=_("Answers until"),
        widget=DATE_WIDGET,
        help_text=_("Members can give and change their answer until the end of this day."),
    )
    proposed_on = happened_field(
        _("Proposed on"), _("Today, or the day it was proposed if you write it down later.")
    )

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[Group],
        others: QuerySet[Group],
        records: QuerySet[Record],
        terms: Terms | None = None,
        draft: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        if len(groups) < 2:
            del self.fields["group"]
        self.fields["asked"].queryset = others  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        self.fields["about"].queryset = records  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(
            days=DEADLINE_DAYS
        )
        self.fields["proposed_on"].initial = timezone.localdate()
        if draft:
            del self.fields["proposed_on"]
        if terms is not None:
            self._use_pronoun(terms)

    def _use_pronoun(self, terms: Terms) -> None:
        self.fields["trust_built"].label = terms.pick(
            he=_("Are they building up trust in him, personally or politically?"),
            she=_("Are they building up trust in her, personally or politically?"),
            they=_("Are they building up trust in them, personally or politically?"),
            none=_("Are they building up trust in the %(term)s, personally or politically?"),
        )
        self.fields["gaining_power"].label = terms.pick(
            he=_("Is he gaining social or political power there?"),
            she=_("Is she gaining social or political power there?"),
            they=_("Are they gaining social or political power there?"),
            none=_("Is the %(term)s gaining social or political power there?"),
        )

    def clean_options(self) -> list[str]:
        options = _lines(self.cleaned_data.get("options") or "")
        if len(options) == 1:
            raise forms.ValidationError(services.OPTIONS_TOO_FEW)
        return options

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("topic") == Decision.Topic.INFORM:
            needed = {
                "inform_whom": _("Please say who would be told."),
                "trust_built": _("Please answer this question: yes, no or unsure."),
                "gaining_power": _("Please answer this question: yes, no or unsure."),
                "criteria_reasoning": _("Please write down how you weighed the two questions."),
            }
            for name, message in needed.items():
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def as_proposal(self) -> services.Proposal:
        data = self.cleaned_data
        return services.Proposal(
            topic=data["topic"],
            proposal=data["proposal"],
            reasons=data["reasons"],
            deadline=data["deadline"],
            options=data["options"],
            asked=list(data["asked"]),
            about=list(data["about"]),
            inform_whom=data["inform_whom"],
            trust_built=data["trust_built"],
            gaining_power=data["gaining_power"],
            criteria_reasoning=data["criteria_reasoning"],
        )


class AnswerForm(Form):
    answer = forms.ChoiceField(
        label=_("Your answer"), choices=Answer.Choice.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Your reason"),
        max_length=10_000,
        required=False,
        widget=SHORT_TEXT,
        help_text=_("Needed when you object or block; welcome otherwise."),
    )
    preferred = OptionField(
        label=_("Which option do you prefer?"),
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args: Any, options: QuerySet[Option], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred"].queryset = options  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        if not options.exists():
            del self.fields["preferred"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("answer") in Answer.NEEDS_REASON and not (cleaned.get("reason") or ""):
            self.add_error("reason", services.REASON_NEEDED)
        return cleaned


class OutcomeForm(Form):
    result = forms.ChoiceField(label=_("What did the group decide?"), widget=forms.RadioSelect)
    outcome = forms.CharField(
        label=_("What was decided"),
        max_length=20_000,
        widget=LONG_TEXT,
        help_text=_("Including who does what next, and by when."),
    )
    outcome_reasons = forms.CharField(
        label=_("Why"),
        max_length=20_000,
        widget=LONG_TEXT,
        help_text=_("The reasons, and how objections were taken into account."),
    )
    participants = PeopleField(
        label=_("Who took part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        widget=DATE_WIDGET,
        help_text=_("Today, or the day you decided if you write it down later."),
    )
    review_on = forms.DateField(
        label=_("Look at it again on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Optional. The watchdog reminds the readers two weeks before."),
    )

    NOT_ADOPTED = "not_adopted"

    def __init__(
        self, *args: Any, options: list[Option], people: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.options = {f"option-{option.pk}": option for option in options}
        if options:
            self.fields["result"].choices = [  # type: ignore[attr-defined]  # a choice field, typed as a plain Field
                *((key, str(option.text)) for key, option in self.options.items()),
                (self.NOT_ADOPTED, _("None of them: nothing was adopted")),
            ]
        else:
            self.fields["result"].choices = [  # type: ignore[attr-defined]  # a choice field, typed as a plain Field
                (Decision.Result.ADOPTED, _("Adopted: the group does what was proposed")),
                (self.NOT_ADOPTED, _("Not adopted: the group does not do it")),
            ]
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        self.fields["decided_on"].initial = timezone.localdate()

    def clean_decided_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Choose today or a day in the past."))
        return day

    def chosen(self) -> tuple[str, Option | None]:
        value = self.cleaned_data["result"]
        if value in self.options:
            return Decision.Result.ADOPTED, self.options[value]
        return value, None


class LadderForm(VersionedForm):
    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in NonCooperation.choices:
            self.fields[kind] = forms.CharField(
                label=capfirst(label),
                max_length=10_000,
                required=False,
                widget=SHORT_TEXT,
                help_text=_("One step per line, in the order you would take them."),
            )
        if new:
            self.fields["version"].required = False

    def steps(self) -> dict[str, list[str]]:
        return {kind: _lines(self.cleaned_data.get(kind) or "") for kind in NonCooperation.values}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not any(_lines(cleaned.get(kind) or "") for kind in NonCooperation.values):
            raise forms.ValidationError(_("Please write at least one step."))
        return cleaned
