"""Forms for the letter, demands, steps, agreements and the rota."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.commitments import services
from holdspace.commitments.models import (
    Agreement,
    Breach,
    Demand,
    Evidence,
    LetterCopy,
    RotaException,
    RotaPerson,
    RotaVenue,
    Step,
    WordingProposal,
)
from holdspace.processes.forms import (
    DATE_WIDGET,
    LONG_TEXT,
    SHORT_TEXT,
    ApproveOrDeclineForm,
    GroupChoiceField,
    HappenedForm,
    VersionedForm,
    check_day,
    happened_field,
    not_in_future,
    share_with_field,
)
from holdspace.processes.models import Group
from holdspace.processes.services import Floor, Refused
from holdspace.web.forms import Form


class LetterForm(Form):
    occurred_on = forms.DateField(label=_("Date of the letter"), widget=DATE_WIDGET)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Letter"), max_length=200_000, widget=forms.Textarea(attrs={"rows": 18})
    )

    def clean_occurred_on(self) -> datetime.date:
        return not_in_future(self.cleaned_data["occurred_on"])


class EditLetterForm(VersionedForm, LetterForm):
    pass


class CopyForm(Form):
    recipient = forms.CharField(
        label=_("Given to"),
        max_length=300,
        help_text=_("A person or a group, as your group knows them."),
    )
    handed_on = forms.DateField(label=_("Handed over on"), widget=DATE_WIDGET)
    form = forms.ChoiceField(
        label=_("As"), choices=LetterCopy.Form.choices, widget=forms.RadioSelect
    )

    def clean_handed_on(self) -> datetime.date:
        return not_in_future(
            self.cleaned_data["handed_on"], _("Register a copy once it was handed over.")
        )


class DemandForm(Form):
    field_order = ["wording", "reason", "occurred_on", "share_with"]
    occurred_on = forms.DateField(label=_("Made on"), widget=DATE_WIDGET)
    wording = forms.CharField(
        label=_("The demand"),
        max_length=5000,
        widget=SHORT_TEXT,
        help_text=_("Clear and concrete, so that everyone can tell whether it is met."),
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=20_000,
        required=False,
        widget=LONG_TEXT,
        help_text=_("What the demand is for, in your words."),
    )
    share_with = share_with_field(
        _("The contact group needs the demands for its work. You can change this later.")
    )

    def __init__(self, *args: Any, groups: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()
        self.fields["share_with"].queryset = groups  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field

    def clean_occurred_on(self) -> datetime.date:
        return not_in_future(self.cleaned_data["occurred_on"])


def not_after(day: datetime.date, history_begins: datetime.date | None) -> datetime.date:
    """A record's own day stays before what happened to it since (a form error)."""
    if history_begins is not None and day > history_begins:
        raise forms.ValidationError(
            services.HISTORY_BEGINS % {"date": formats.date_format(history_begins, "DATE_FORMAT")}
        )
    return day


class EditDemandForm(VersionedForm):
    occurred_on = forms.DateField(label=_("Made on"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Why"), max_length=20_000, required=False, widget=LONG_TEXT)

    def __init__(
        self, *args: Any, history_begins: datetime.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.history_begins = history_begins

    def clean_occurred_on(self) -> datetime.date:
        return not_after(not_in_future(self.cleaned_data["occurred_on"]), self.history_begins)


class RewordForm(VersionedForm, HappenedForm):
    field_order = ["wording", "happened_on"]
    wording = forms.CharField(label=_("New wording"), max_length=5000, widget=SHORT_TEXT)
    happened_on = happened_field(_("Agreed on"))


class ProposalForm(HappenedForm):
    field_order = ["kind", "wording", "reason", "happened_on"]
    applies_when = {"wording": ("kind", WordingProposal.Kind.REWORD)}
    kind = forms.ChoiceField(
        label=_("You propose"),
        choices=WordingProposal.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Whether a demand is met is the survivor's side's decision: tell them what he did, "
            "and they decide."
        ),
    )
    wording = forms.CharField(
        label=_("Proposed wording"),
        max_length=5000,
        required=False,
        widget=SHORT_TEXT,
        help_text=_("Only for a new wording."),
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=20_000,
        widget=SHORT_TEXT,
        help_text=_("For “met”: what he did, and how your group checked it."),
    )
    happened_on = happened_field(_("Proposed on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == WordingProposal.Kind.REWORD and not cleaned.get("wording"):
            self.add_error("wording", _("Please write the wording you propose."))
        return cleaned


class DemandStatusForm(HappenedForm):
    """``allowed``: the statuses offered (those this person may give the
    demand now). Any status passes the form: the service says why one cannot
    be given, which a form could only guess."""

    field_order = ["status", "happened_on", "note"]
    status = forms.ChoiceField(label=_("New status"), choices=Demand.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=5000, required=False, widget=SHORT_TEXT)
    # The status the page showed: someone else may change it meanwhile.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16)

    def __init__(self, *args: Any, allowed: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            labels = dict(Demand.Status.choices)
            self.fields["status"].widget.choices = [(value, labels[value]) for value in allowed]


AGREED_HELP = _(
    "The day he agreed to it, for example at a meeting, if that was before today. The due "
    "date cannot come before it; if it has passed, the step is overdue."
)


def check_due(form: forms.Form, agreed_on: datetime.date | None) -> None:
    """The due date comes on or after the day the step was agreed (a form error)."""
    due = form.cleaned_data.get("due_on")
    if due is not None and agreed_on is not None:
        try:
            services.check_due(due, agreed_on)
        except Refused as refusal:
            form.add_error("due_on", refusal.message)


class StepForm(Form):
    field_order = ["group", "description", "agreed_on", "due_on"]
    group = GroupChoiceField(
        label=_("Written in"), queryset=None, help_text=_("Your group that agreed the step.")
    )
    description = forms.CharField(
        label=_("What he will do"),
        max_length=5000,
        widget=SHORT_TEXT,
        help_text=_("His own task, concrete and checkable. The group does not do it for him."),
    )
    agreed_on = happened_field(_("Agreed on"), AGREED_HELP)
    due_on = forms.DateField(label=_("By when"), widget=DATE_WIDGET)

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[Group],
        floors: list[Floor] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.floors = floors or []
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        self.fields["agreed_on"].initial = timezone.localdate()
        if groups.count() == 1:
            self.fields["group"].initial = groups.first()

    def clean_agreed_on(self) -> datetime.date:
        return check_day(self.cleaned_data["agreed_on"], self.floors)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_due(self, cleaned.get("agreed_on"))
        return cleaned


class EditStepForm(VersionedForm):
    """``floors``: what the day it was agreed cannot come before (the start,
    the demand); ``history_begins``: the first change of its status, which
    that day cannot come after."""

    field_order = ["description", "occurred_on", "due_on"]
    description = forms.CharField(label=_("What he will do"), max_length=5000, widget=SHORT_TEXT)
    occurred_on = forms.DateField(label=_("Agreed on"), widget=DATE_WIDGET)
    due_on = forms.DateField(label=_("By when"), widget=DATE_WIDGET)

    def __init__(
        self,
        *args: Any,
        floors: list[Floor] | None = None,
        history_begins: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.floors, self.history_begins = floors or [], history_begins

    def clean_occurred_on(self) -> datetime.date:
        day = check_day(self.cleaned_data["occurred_on"], self.floors)
        return not_after(day, self.history_begins)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_due(self, cleaned.get("occurred_on"))
        return cleaned


class StepStatusForm(HappenedForm):
    status = forms.ChoiceField(choices=Step.Status.choices)
    seen = forms.CharField(required=False, max_length=16)


class EvidenceForm(Form):
    happened_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    source = forms.ChoiceField(
        label=_("Source"), choices=Evidence.Source.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What was reported or seen"), max_length=20_000, widget=SHORT_TEXT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()

    def clean_happened_on(self) -> datetime.date:
        return not_in_future(
            self.cleaned_data["happened_on"], _("Evidence is about something that has happened.")
        )


class AssessForm(VersionedForm):
    assessment = forms.ChoiceField(
        label=_("Your group's view"), choices=Evidence.Assessment.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Why"), max_length=5000, required=False, widget=SHORT_TEXT)


class AgreementDatesMixin(Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "Short agreements with a clear end are easier to accept. Only no-contact may stay open."
        ),
    )
    review_on = forms.DateField(label=_("Look at it again on"), required=False, widget=DATE_WIDGET)

    def kind_for_dates(self) -> str:
        return str(self.cleaned_data.get("agreement_kind", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "starts_on" in cleaned and "ends_on" in cleaned and "review_on" in cleaned:
            problems = services.check_dates(
                self.kind_for_dates(),
                cleaned["starts_on"],
                cleaned["ends_on"],
                cleaned["review_on"],
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned


class AgreementForm(AgreementDatesMixin):
    field_order = [
        "agreement_kind",
        "terms",
        "binds",
        "starts_on",
        "ends_on",
        "review_on",
        "status",
    ]
    agreement_kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    terms = forms.CharField(
        label=_("What is agreed"),
        max_length=20_000,
        widget=SHORT_TEXT,
        help_text=_("For no-contact: what the person harmed prefers (none, supervised, indirect)."),
    )
    binds = forms.CharField(
        label=_("Who it binds"),
        max_length=500,
        help_text=_("By pseudonym, for example “K.” or “K. and M.”."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Agreement.Status.PROPOSED, _("proposed: not yet agreed")),
            (Agreement.Status.AGREED, _("agreed")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()
        self.fields["status"].initial = Agreement.Status.PROPOSED


class EditAgreementForm(VersionedForm, AgreementDatesMixin):
    field_order = ["terms", "binds", "starts_on", "ends_on", "review_on"]
    terms = forms.CharField(label=_("What is agreed"), max_length=20_000, widget=SHORT_TEXT)
    binds = forms.CharField(label=_("Who it binds"), max_length=500)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def kind_for_dates(self) -> str:
        return self.kind


class RenewForm(HappenedForm, EditAgreementForm):
    field_order = ["happened_on", "terms", "binds", "starts_on", "ends_on", "review_on"]
    version = None  # type: ignore[assignment]  # a renewal is a new record
    happened_on = happened_field(
        _("When was the renewal agreed?"),
        _("Today, or the day you agreed on it if you write it down later."),
    )


class AgreementStatusForm(HappenedForm):
    status = forms.ChoiceField(
        choices=[(Agreement.Status.AGREED, _("agreed")), (Agreement.Status.ENDED, _("ended"))]
    )
    seen = forms.CharField(required=False, max_length=16)


class MembersField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # of accounts
    """Accounts by the name their group knows them by."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.username)


class DecisionForm(ApproveOrDeclineForm):
    """``floors``: what any decision cannot come before (the proposal);
    ``approval_floors``: what an approval also cannot (the demand's history)."""

    DECLINE_NEEDS_REASON = _(
        "Please say why you decline. The group that proposed it will read your reason."
    )
    participants = MembersField(
        label=_("Who took part in the decision"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Tick everyone of your group who was there; you are counted in any case. "
            "It is kept in the demand's history."
        ),
        error_messages={"invalid_choice": _("Please tick only members of your group.")},
    )
    confirmed = forms.BooleanField(
        label=_("We compared both versions and want the proposed one to apply."),
        required=False,
        help_text=_("Needed to approve: the change applies at once."),
    )

    def __init__(
        self,
        *args: Any,
        approval_floors: list[Floor] | None = None,
        members: QuerySet[User] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _(
            "Needed to decline: the group that proposed it reads your reason."
        )
        self.approval_floors = approval_floors or []
        field = self.fields["participants"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101  (declared above)
        field.queryset = members if members is not None else User.objects.none()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "approve" and not cleaned.get("confirmed"):
            self.add_error(
                "confirmed",
                _("Please confirm that you have compared both versions: approving applies it."),
            )
        day = cleaned.get("happened_on")
        if cleaned.get("decision") == "approve" and day is not None:
            try:
                check_day(day, self.approval_floors)
            except forms.ValidationError as error:
                self.add_error("happened_on", error)
        return cleaned


class BreachForm(Form):
    field_order = ["happened_on", "reported_on", "reported_by", "what", "severity", "response"]
    happened_on = forms.DateField(label=_("When it happened"), widget=DATE_WIDGET)
    reported_on = happened_field(
        _("When your group heard of it"), _("Today, if you leave it as it is.")
    )
    reported_by = forms.CharField(label=_("Reported by"), max_length=300)
    what = forms.CharField(label=_("What happened"), max_length=20_000, widget=SHORT_TEXT)
    severity = forms.ChoiceField(
        label=_("How serious"), choices=Breach.Severity.choices, widget=forms.RadioSelect
    )
    response = forms.CharField(
        label=_("Our response"), max_length=20_000, required=False, widget=SHORT_TEXT
    )

    def __init__(self, *args: Any, floors: list[Floor] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.floors = floors or []
        self.fields["reported_on"].initial = timezone.localdate()

    def clean_happened_on(self) -> datetime.date:
        day = not_in_future(
            self.cleaned_data["happened_on"], _("A breach is something that has happened.")
        )
        return check_day(day, self.floors)

    def clean_reported_on(self) -> datetime.date:
        return check_day(self.cleaned_data["reported_on"], [])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        happened, reported = cleaned.get("happened_on"), cleaned.get("reported_on")
        if happened is not None and reported is not None:
            try:
                check_day(reported, [(happened, services.REPORTED_BEFORE)])
            except forms.ValidationError as error:
                self.add_error("reported_on", error)
        return cleaned


class RotaPersonForm(Form):
    pseudonym = forms.CharField(
        label=_("Pseudonym on the rota"),
        max_length=60,
        help_text=_("What the venue will read, for example “X”. Never a real name."),
    )


class VenueForm(Form):
    name = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("For example “the co-op”.")
    )


class PatternForm(VersionedForm):
    """One checkbox per person and weekday; two on the same day is refused."""

    def __init__(
        self, *args: Any, people: list[RotaPerson], weekdays: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people, self.weekdays = people, weekdays
        for person in people:
            for day, label in weekdays:
                self.fields[f"p{person.pk}_{day}"] = forms.BooleanField(
                    label=f"{person.pseudonym}: {label}", required=False
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.assignments: dict[int, RotaPerson | None] = {}
        for day, label in self.weekdays:
            chosen = [p for p in self.people if cleaned.get(f"p{p.pk}_{day}")]
            if len(chosen) > 1:
                names = " / ".join(str(p.pseudonym) for p in chosen)
                raise forms.ValidationError(
                    _("On %(day)s, %(names)s would both be there. Choose one person per day.")
                    % {"day": label, "names": names}
                )
            self.assignments[day] = chosen[0] if chosen else None
        return cleaned

    def grid(self) -> list[tuple[RotaPerson, list[tuple[str, forms.BoundField]]]]:
        """Rows of the pattern table: a person, and a weekday and its checkbox
        for each day (the weekday labels the cell on a phone)."""
        return [
            (person, [(label, self[f"p{person.pk}_{day}"]) for day, label in self.weekdays])
            for person in self.people
        ]


class ExceptionForm(Form):
    venue = forms.ChoiceField(label=_("Place"), choices=[])
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    change = forms.ChoiceField(
        label=_("Change"), choices=RotaException.Change.choices, widget=forms.RadioSelect
    )
    person = forms.ChoiceField(label=_("Who"), choices=[], required=False)

    def __init__(
        self, *args: Any, venues: list[RotaVenue], people: list[RotaPerson], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.venues = {str(venue.pk): venue for venue in venues}
        self.people = {str(person.pk): person for person in people}
        self.fields["venue"].choices = [(pk, v.name) for pk, v in self.venues.items()]  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        self.fields["person"].choices = [("", "—")] + [  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
            (pk, p.pseudonym) for pk, p in self.people.items()
        ]
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["date"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("Changes can only be made for today or later."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["venue"] = self.venues.get(str(cleaned.get("venue")))
        change = cleaned.get("change")
        person = self.people.get(str(cleaned.get("person") or ""))
        if change and change != RotaException.Change.NOBODY and person is None:
            self.add_error("person", _("Please choose who comes."))
        cleaned["person"] = None if change == RotaException.Change.NOBODY else person
        return cleaned
