"""Forms for processes, groups, memberships and notes.

Forms never query process data themselves: choices (groups of a process)
come from the view, which got them through the access core.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.processes import services
from holdspace.processes.models import Group, Membership, Process
from holdspace.processes.terminology import (
    HARMED_HELP,
    HARMING_HELP,
    PRONOUN_HELP,
    HarmedTerm,
    HarmingPronoun,
    HarmingTerm,
)
from holdspace.web.forms import Form

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Text areas of the forms of every app: a few lines, or a longer text.
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})
LONG_TEXT = forms.Textarea(attrs={"rows": 6})


class PeopleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # django-stubs makes the field generic
    """Members chosen by their account names (who goes, who took part)."""

    def label_from_instance(self, obj: User) -> str:
        return str(obj.username)


COMMITMENT_HELP = _(
    "Until when you can commit to this group. The groups in these processes ask for "
    "a year or more; say honestly what you can give."
)
CAPACITY_HELP = _("For example: two evenings a month; not in August.")
CONFLICT_HELP = _(
    "Are you close to the people involved, for example a close friend of the person who "
    "caused harm? Say so here. In a contact group, a coordinator has to confirm before "
    "you take part. Leave empty if there is nothing to declare."
)


class GroupChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # django-stubs makes the field generic
    def label_from_instance(self, obj: Group) -> str:
        return str(obj.name)


class GroupsChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # django-stubs makes the field generic
    def label_from_instance(self, obj: Group) -> str:
        return str(obj.name)


IN_THE_PAST = _("Choose today or a day in the past.")


def not_in_future(value: datetime.date, message: Any = IN_THE_PAST) -> datetime.date:
    """A day that has already come (a record of something that happened)."""
    if value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


HAPPENED_HELP = _("Today, or the day it really happened if you write it down later.")


def happened_field(label: Any = None, help_text: Any = HAPPENED_HELP) -> forms.DateField:
    """The day a change happened (DESIGN §6). Left empty, it is today."""
    return forms.DateField(
        label=label or _("When did this happen?"),
        required=False,
        widget=DATE_WIDGET,
        help_text=help_text,
    )


def check_day(value: datetime.date | None, floors: Sequence[services.Floor]) -> datetime.date:
    """``value`` as services.day_it_happened checks it, as a form error."""
    try:
        return services.day_it_happened(value, *floors)
    except services.Refused as refusal:
        raise forms.ValidationError(refusal.message) from None


class HappenedForm(Form):
    """A change that may be written down after it happened: asks when
    (default today), never in the future, never before ``floors`` (the
    start of the process, the record it changes, the change before it)."""

    happened_on = happened_field()

    def __init__(self, *args: Any, floors: Sequence[services.Floor] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.floors = list(floors)
        self.fields["happened_on"].initial = timezone.localdate()

    def clean_happened_on(self) -> datetime.date:
        return check_day(self.cleaned_data["happened_on"], self.floors)


class ApproveOrDeclineForm(HappenedForm):
    """The survivor's side approves or declines what another group asks (a
    change to a demand, an informing); a decline needs its reason, which the
    asking group reads."""

    DECLINE_NEEDS_REASON = _(
        "Please say why you decline. The group that asked will read your reason."
    )
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("approve")), ("decline", _("decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose whether to approve or decline.")},
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=5000,
        required=False,
        widget=SHORT_TEXT,
        help_text=_("Needed to decline: the group that asked reads your reason."),
    )
    happened_on = happened_field(_("Decided on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "decline" and not str(cleaned.get("reason", "")).strip():
            self.add_error("reason", self.DECLINE_NEEDS_REASON)
        return cleaned


def share_with_field(help_text: Any = "", label: Any = None) -> GroupsChoiceField:
    """The optional "other groups who can read it" choice of a new record; the
    view fills its queryset with the groups it got from the access core."""
    return GroupsChoiceField(
        label=label or _("Other groups who can read it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class VersionedForm(Form):
    """A form for an editable thing: carries the version it was opened at (S38)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value"),
            _("This page could not be matched to what is saved. Please open it again."),
        ),
    )


class ProcessForm(Form):
    name = forms.CharField(
        label=_("Working name"),
        max_length=200,
        help_text=_(
            "A pseudonym such as “Process X”. Never a real name: it appears on every "
            "page of the process (but never in page titles or addresses)."
        ),
    )
    started_on = forms.DateField(label=_("Started on"), widget=DATE_WIDGET)
    harmed_term = forms.ChoiceField(
        label=_("Words for the person who was harmed"),
        choices=HarmedTerm.choices,
        widget=forms.RadioSelect,
        help_text=HARMED_HELP,
    )
    harming_term = forms.ChoiceField(
        label=_("Words for the person who caused harm"),
        choices=HarmingTerm.choices,
        widget=forms.RadioSelect,
        help_text=HARMING_HELP,
    )
    harming_pronoun = forms.ChoiceField(
        label=_("Pronoun for the person who caused harm"),
        choices=HarmingPronoun.choices,
        initial=HarmingPronoun.HE,
        # Preselected in the browser; a form sent without it keeps the default.
        required=False,
        widget=forms.RadioSelect,
        help_text=PRONOUN_HELP,
    )

    def clean_harming_pronoun(self) -> str:
        return str(self.cleaned_data.get("harming_pronoun") or HarmingPronoun.HE)


class NewProcessForm(ProcessForm):
    harmed_pseudonym = forms.CharField(
        label=_("Pseudonym of the person who was harmed"),
        max_length=100,
        initial="A.",
        help_text=_("How the groups refer to her or them. Not the real name."),
    )
    harming_pseudonym = forms.CharField(
        label=_("Pseudonym of the person who caused harm"),
        max_length=100,
        initial="X",
        help_text=_("How the groups refer to him or them, for example “X”."),
    )
    group_kind = forms.ChoiceField(
        label=_("Your group"),
        choices=Group.Kind.choices,
        initial=Group.Kind.SUPPORT,
        help_text=_("The group you start with. You will coordinate it; others join later."),
    )
    group_name = forms.CharField(
        label=_("Name of your group"),
        max_length=120,
        initial=_("Support group"),
    )
    commitment_until = forms.DateField(
        label=_("You are committed until"),
        required=False,
        widget=DATE_WIDGET,
        help_text=COMMITMENT_HELP,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["started_on"].initial = today
        self.fields["commitment_until"].initial = today + datetime.timedelta(days=365)
        self.fields["harmed_term"].initial = HarmedTerm.SURVIVOR
        self.fields["harming_term"].initial = HarmingTerm.PERSON_WHO_CAUSED_HARM


class EditProcessForm(VersionedForm, ProcessForm):
    status = forms.ChoiceField(
        label=_("Status"),
        # Closing goes through the closure page (criteria, outcome, retention).
        choices=[c for c in Process.Status.choices if c[0] != Process.Status.CLOSED],
        help_text=_(
            "Pausing is shown on every group's page, with who did it. While a process is "
            "paused, the watchdog raises no alerts and sends no reminders. To close the "
            "process, use its closure page."
        ),
    )
    steering = GroupsChoiceField(
        label=_("Other groups that steer the process"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The coordinators of the groups that support the survivor, carry the demands "
            "or keep contact steer the process: they change these settings and the "
            "pseudonyms, how often contact is due, and who carries which task. Choose "
            "other groups to steer with them. The support team of the person who caused "
            "harm never steers."
        ),
    )

    def __init__(self, *args: Any, named: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steering"].queryset = named  # type: ignore[attr-defined]  # a choice field
        if not named.exists():
            del self.fields["steering"]


class PartyForm(VersionedForm):
    pseudonym = forms.CharField(label=_("Pseudonym"), max_length=100)


class GroupForm(Form):
    kind = forms.ChoiceField(label=_("Kind of group"), choices=Group.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What this group does, and what it does not do."),
    )


class EditGroupForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class InviteForm(Form):
    role = forms.ChoiceField(
        label=_("Role in the group"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("For whom"),
        max_length=100,
        required=False,
        help_text=_("A short reminder for your group, such as an initial. Optional."),
    )


class MembershipForm(Form):
    commitment_until = forms.DateField(
        label=_("Committed until"), required=False, widget=DATE_WIDGET, help_text=COMMITMENT_HELP
    )
    capacity_note = forms.CharField(
        label=_("Time and capacity"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=CAPACITY_HELP,
    )
    conflict_of_interest = forms.CharField(
        label=_("Conflict of interest"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=CONFLICT_HELP,
    )

    def clean_commitment_until(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data["commitment_until"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("This date has passed. Choose a date from today on."))
        return value


class JoinForm(MembershipForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitment_until"].initial = timezone.localdate() + datetime.timedelta(
            days=365
        )


class EditMembershipForm(VersionedForm, MembershipForm):
    pass


class ConfirmConflictForm(Form):
    reason = forms.CharField(
        label=_("Why the group accepts this"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone in the group will read this reason next to the declaration."),
    )


STAY, LEAVE = "stay", "leave"


class HandOverForm(HappenedForm):
    """Hand a task to another group with its history (DESIGN C18): to whom,
    which records the other group will read, whether the handing group keeps
    reading them, why, and when."""

    field_order = ["group", "kinds", "afterwards", "reason", "happened_on"]
    group = GroupChoiceField(label=_("Hand it to"), queryset=None)
    kinds = forms.MultipleChoiceField(
        label=_("What the other group will read"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Everything of this task is ticked. The other group reads these records from "
            "now on, with everything written about them; what you do not tick stays with "
            "your group."
        ),
    )
    afterwards = forms.ChoiceField(
        label=_("Afterwards, your group"),
        choices=[
            (STAY, _("keeps reading these records")),
            (LEAVE, _("no longer reads them (they stay with the other group)")),
        ],
        initial=STAY,
        required=False,  # staying, unless the group chooses to leave
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why is the task handed over?"),
        max_length=5000,
        widget=SHORT_TEXT,
        help_text=_("Both groups and the groups that steer the process will read this."),
    )
    happened_on = happened_field(
        help_text=_("The day the other group took the task on, if that was before today.")
    )

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[Group],
        process: Process,
        kinds: Sequence[tuple[str, Any]] = (),
        last_hand_over: datetime.date | None = None,
        passing: bool = True,
        **kwargs: Any,
    ) -> None:
        floors = [
            services.since_the_start(process),
            (last_hand_over, services.BEFORE_THE_LAST_HAND_OVER),
        ]
        super().__init__(*args, floors=floors, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        if passing:
            self.fields["kinds"].choices = list(kinds)  # type: ignore[attr-defined]  # a choice field, typed as a plain Field
        else:  # nobody carries the task yet: there is no history to pass on
            del self.fields["kinds"]
            del self.fields["afterwards"]


class NoteForm(Form):
    occurred_on = forms.DateField(
        label=_("Date"),
        widget=DATE_WIDGET,
        help_text=_("When it happened, if that is not today."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Note"), max_length=100_000, widget=forms.Textarea(attrs={"rows": 10})
    )

    def clean_occurred_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A note is about something that has happened."))
        return value


class EditNoteForm(VersionedForm, NoteForm):
    pass


class AudienceForm(Form):
    groups = GroupsChoiceField(
        label=_("Groups who can read it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    to_harming_party = forms.BooleanField(required=False)
    to_harmed_party = forms.BooleanField(required=False)

    def __init__(
        self, *args: Any, groups: QuerySet[Group], process: Process, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups  # type: ignore[attr-defined]  # a model choice field, typed as a plain Field
        terms = process.terms
        self.fields["to_harming_party"].label = _("The %(term)s, in his or their portal") % {
            "term": terms.harming
        }
        self.fields["to_harmed_party"].label = _("The %(term)s") % {"term": terms.harmed}
