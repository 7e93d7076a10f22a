"""The contact log: contacts, meetings, reports, and the figures and chart
of a process's contact over time."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts.models import User
from holdspace.commitments import services as commitments
from holdspace.contact import access, chart, figures, services
from holdspace.contact.forms import (
    AnsweredForm,
    AttendeesForm,
    ContactForm,
    EditContactForm,
    EditMeetingForm,
    FollowUpStepForm,
    MeetingForm,
    OutcomeForm,
)
from holdspace.contact.models import Contact, Meeting
from holdspace.lib.http import posted
from holdspace.processes import access as core
from holdspace.processes.models import Process, Responsibility
from holdspace.processes.services import since_the_start
from holdspace.processes.views.pages import form_page, record_context
from holdspace.processes.views.records import versioned_edit
from holdspace.reports import access as report_access
from holdspace.watch import attention
from holdspace.watch import services as watch

RECENT = 30


@require_GET
@core.per_object_access
def contact_log(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = core.get_process_for_user(request, process_id)
    user = core.request_user(request)
    today = timezone.localdate()
    exchanges, gatherings = access.history(user, process)
    found = figures.compute(exchanges, gatherings, today=today)
    cadence = watch.cadence_of(process)
    waited = cadence.no_answer_days
    contacts = list(access.contacts_of(user, process)[:RECENT])
    meetings = list(access.meetings_of(user, process)[:RECENT])
    reports = list(report_access.reports_of(user, process)[:RECENT])
    core.open_keys([*contacts, *meetings, *reports])
    mine = core.group_ids_for(user, process.pk)
    return render(
        request,
        "contact/log.html",
        {
            "nothing_seen": not exchanges and not gatherings,
            "carries_contact": carries_contact(mine, process),
            "process": process,
            "terms": process.terms,
            "figures": found,
            "years": figures.by_year(exchanges, gatherings, start=process.started_on, today=today),
            "chart": chart.build(
                exchanges,
                gatherings,
                start=process.started_on,
                today=today,
                # Only waits long enough to worry about; every wait is in the figures.
                silences=[s for s in found.silences if s.days >= waited],
            ),
            "cadence": cadence,
            "contacts": contacts,
            "meetings": meetings,
            "reports": reports,
            "my_groups": [g for g in core.groups_of(process) if g.pk in mine],
            "steers": core.steers(user, process),
            "attention": attention.items_for(user, process),
        },
    )


def process_section(user: User, process: Process | None) -> dict[str, object]:
    """The contact part of the process page: the figures of what the account may read."""
    assert process is not None  # noqa: S101  (a section of the process page)
    mine = core.group_ids_for(user, process.pk)
    return {
        "contact_figures": contact_figures(user, process),
        "contact_carried": carries_contact(mine, process),
    }


def carries_contact(groups: set[UUID], process: Process) -> bool:
    """Whether one of ``groups`` carries contact in ``process`` (who carries
    which task is no secret inside a process)."""
    return any(
        r.kind == Responsibility.Kind.CONTACT and r.group_id in groups
        for r in core.responsibilities_of(process)
    )


def contact_figures(user: User, process: Process) -> figures.Figures | None:
    """The figures for the process page, from what the account may read
    (None when it may read no contact and no meeting with him)."""
    exchanges, gatherings = access.history(user, process)
    if not exchanges and not gatherings:
        return None
    return figures.compute(exchanges, gatherings, today=timezone.localdate())


# Contacts ------------------------------------------------------------------------


def _contact_form(request: HttpRequest, process: Process, **kwargs: Any) -> ContactForm:
    user = core.request_user(request)
    return ContactForm(
        posted(request),
        counterparts=services.counterpart_words(process.terms),
        attempts=access.unanswered_attempts(user, process),
        terms=process.terms,
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def contact_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, _membership = core.get_group_for_user(request, group_id)
    others = core.groups_of(group.process).exclude(pk=group.pk)
    # Who reached out, with whom and how are facts: chosen each time, never preset.
    initial = {"occurred_on": timezone.localdate()}
    form = _contact_form(request, group.process, initial=initial, groups=others)

    def save(data: dict[str, Any]) -> Contact:
        return services.log_contact(
            author=core.request_user(request),
            group=group,
            occurred_on=data["occurred_on"],
            channel=data["channel"],
            direction=data["direction"],
            counterpart=data["counterpart"],
            counterpart_note=data["counterpart_note"],
            summary=data["summary"],
            answered_on=data["answered_on"],
            answers=data.get("answers") or (),
            audience=data["share_with"],
        )

    return form_page(
        request,
        form,
        "contact/contact_form.html",
        {"group": group, "process": group.process},
        save=save,
        saved=_("The contact is logged. Only your group can read it until you share it."),
    )


@require_GET
@core.per_object_access
def contact_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    contact = core.get_specific_for_user(request, record_id, Contact)
    words = services.counterpart_words(contact.process.terms)
    return render(
        request,
        "contact/contact_detail.html",
        record_context(
            request,
            contact,
            contact=contact,
            counterpart=words[contact.counterpart],
            answered_form=AnsweredForm(attempted=contact.occurred_on, terms=contact.process.terms),
        ),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def contact_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    contact = core.get_specific_for_user(request, record_id, Contact, write=True)

    def make_form(data: Any, *, initial: dict[str, Any]) -> EditContactForm:
        return EditContactForm(data, initial=initial, answered_on=contact.answered_on)

    initial = {
        "occurred_on": contact.occurred_on,
        "counterpart_note": contact.counterpart_note,
        "summary": contact.summary,
        "version": contact.version,
    }
    return versioned_edit(
        request,
        contact,
        make_form,
        initial=initial,
        template="contact/contact_edit.html",
        context={"process": contact.process},
        saved=_("Your changes are saved. The earlier version is kept."),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def contact_answered(request: HttpRequest, record_id: UUID) -> HttpResponse:
    contact = core.get_specific_for_user(request, record_id, Contact, act=True)
    form = AnsweredForm(
        posted(request),
        attempted=contact.occurred_on,
        floors=[since_the_start(contact.process)],
        terms=contact.process.terms,
    )

    def save(data: dict[str, Any]) -> Contact:
        services.mark_answered(contact, by=core.request_user(request), **data)
        return contact

    return form_page(
        request,
        form,
        "contact/answered_form.html",
        record_context(request, contact, contact=contact),
        save=save,
        saved=contact.process.terms.pick(
            he=_("Noted: he answered."),
            she=_("Noted: she answered."),
            they=_("Noted: they answered."),
            none=_("Noted: the %(term)s answered."),
        ),
        field="answered_on",
    )


# Meetings ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@core.per_object_access
def meeting_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, _membership = core.get_group_for_user(request, group_id)
    form = MeetingForm(posted(request), people=access.people_of(group), terms=group.process.terms)

    def save(data: dict[str, Any]) -> Meeting:
        return services.plan_meeting(author=core.request_user(request), group=group, **data)

    return form_page(
        request,
        form,
        "contact/meeting_form.html",
        {"group": group, "process": group.process},
        save=save,
        saved=_("The meeting is saved. Only your group can read it until you share it."),
        field="outcome",
    )


@require_GET
@core.per_object_access
def meeting_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    meeting = core.get_specific_for_user(request, record_id, Meeting)
    user = core.request_user(request)
    demands = access.demands_to_act_on(user, meeting.process)
    core.open_keys(demands)
    return render(
        request,
        "contact/meeting_detail.html",
        record_context(
            request,
            meeting,
            meeting=meeting,
            attendees=list(meeting.attendees.all()),
            outcome_form=OutcomeForm(initial={"preparation": meeting.preparation}, meeting=meeting),
            attendees_form=AttendeesForm(
                initial={"attendees": list(meeting.attendees.all())},
                people=access.people_of(meeting.author_group),
            ),
            step_form=FollowUpStepForm(demands=demands, meeting=meeting) if demands else None,
            past=meeting.occurred_on <= timezone.localdate(),
        ),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def meeting_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    meeting = core.get_specific_for_user(request, record_id, Meeting, write=True)
    scheduled = meeting.outcome == Meeting.Outcome.SCHEDULED

    def make_form(data: Any, *, initial: dict[str, Any]) -> EditMeetingForm:
        return EditMeetingForm(data, initial=initial, scheduled=scheduled)

    initial = {name: getattr(meeting, name) for name in Meeting.CONTENT_FIELDS}
    return versioned_edit(
        request,
        meeting,
        make_form,
        initial={**initial, "version": meeting.version},
        template="contact/meeting_edit.html",
        context={"process": meeting.process},
        saved=_("Your changes are saved. The earlier version is kept."),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def meeting_outcome(request: HttpRequest, record_id: UUID) -> HttpResponse:
    meeting = core.get_specific_for_user(request, record_id, Meeting, act=True)
    form = OutcomeForm(
        posted(request), initial={"preparation": meeting.preparation}, meeting=meeting
    )

    def save(data: dict[str, Any]) -> Meeting:
        services.record_outcome(
            meeting,
            by=core.request_user(request),
            outcome=data["outcome"],
            preparation=data.get("preparation", meeting.preparation),
            minutes=data["minutes"],
            follow_ups=data["follow_ups"],
            happened_on=data["happened_on"],
        )
        return meeting

    return form_page(
        request,
        form,
        "contact/outcome_form.html",
        record_context(request, meeting, meeting=meeting),
        save=save,
        saved=_("What happened is recorded."),
        field="outcome",
    )


@require_POST
@core.per_object_access
def meeting_attendees(request: HttpRequest, record_id: UUID) -> HttpResponse:
    meeting = core.get_specific_for_user(request, record_id, Meeting, act=True)
    form = AttendeesForm(request.POST, people=access.people_of(meeting.author_group))
    if form.is_valid():
        services.set_attendees(
            meeting, by=core.request_user(request), attendees=form.cleaned_data["attendees"]
        )
        messages.success(request, _("Saved: who goes from your group."))
    else:
        messages.error(request, _("Please choose people from the group."))
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
@core.per_object_access
def meeting_step(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """An agreed follow-up becomes a step towards a demand."""
    meeting = core.get_specific_for_user(request, record_id, Meeting, act=True)
    user = core.request_user(request)
    demands = access.demands_to_act_on(user, meeting.process)
    core.open_keys(demands)
    form = FollowUpStepForm(posted(request), demands=demands, meeting=meeting)

    def save(data: dict[str, Any]) -> Any:
        demand = data["demand"]
        group = core.acting_groups(user, meeting)[0]
        return commitments.add_step(
            demand,
            author=user,
            group=group,
            description=data["description"],
            due_on=data["due_on"],
            agreed_on=data["agreed_on"],
        )

    return form_page(
        request,
        form,
        "contact/step_form.html",
        record_context(request, meeting, meeting=meeting, demands=demands),
        save=save,
        saved=_("The step is saved with the demand."),
        field="due_on",
    )
