"""The watchdog's pages: a process's cadences, an account's reminders and
calendar, and the calendar feed itself."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from holdspace.accounts.views.account import recent_password
from holdspace.lib.http import posted
from holdspace.processes import access
from holdspace.processes.services import Refused
from holdspace.watch import calendar, services
from holdspace.watch.forms import CadenceForm, ReminderForm, use_pronoun
from holdspace.watch.models import CalendarFeed
from holdspace.web.policy import log_denied, public, signed_in


@require_GET
@access.per_object_access
def respond(request: HttpRequest, process_id: UUID) -> HttpResponse:
    """What to do after a breach or a missed meeting, where the alerts that
    ask a group to decide together lead (until decisions are recorded)."""
    process = access.get_process_for_user(request, process_id)
    mine = access.group_ids_for(access.request_user(request), process.pk)
    return render(
        request,
        "watch/respond.html",
        {
            "process": process,
            "terms": process.terms,
            "my_groups": [group for group in access.groups_of(process) if group.pk in mine],
        },
    )


@require_http_methods(["GET", "POST"])
@access.per_object_access
def cadence(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = access.get_steered_process_for_user(request, process_id)
    current = services.cadence_of(process)
    initial = {
        "contact_days": current.contact_days,
        "no_answer_days": current.no_answer_days,
        "report_days": current.report_days,
        "version": current.version,
    }
    form = CadenceForm(posted(request), initial=initial)
    use_pronoun(form, process.terms)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.set_cadence(
                process,
                by=access.request_user(request),
                expected_version=data.pop("version"),
                **data,
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Saved. The watchdog counts with these days from now on."))
            return redirect("hs-contact-log", process.pk)
    return render(request, "watch/cadence.html", {"process": process, "form": form})


@require_http_methods(["GET", "POST"])
@signed_in
@recent_password
def reminders(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    enabled, email = services.reminder_email(user)
    form = ReminderForm(posted(request), initial={"enabled": enabled, "email": email})
    if request.method == "POST" and form.is_valid():
        services.set_reminders(
            user, enabled=form.cleaned_data["enabled"], email=form.cleaned_data["email"]
        )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("hs-account")
    return render(request, "watch/reminders.html", {"form": form})


@require_http_methods(["GET", "POST"])
@signed_in
@recent_password
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Create (or replace) and revoke the account's secret calendar address.
    The address is shown once, right after it is made."""
    user = access.request_user(request)
    address = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar(user)
            messages.success(request, _("The calendar address no longer works."))
            return redirect("hs-calendar")
        token = services.new_calendar(user)
        address = request.build_absolute_uri(reverse("hs-calendar-feed", args=[token]))
    active = services.has_calendar(user)
    return render(request, "watch/calendar.html", {"address": address, "active": active})


@require_GET
@public
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed: the token in the address is the credential (S35: neutral
    titles, no names, no places, no content)."""
    feed = CalendarFeed.find(token)
    if feed is None or not feed.user.is_active:
        log_denied(request, "calendar_token_unusable")
        raise Http404
    response = HttpResponse(calendar.feed_for(feed.user), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="holdspace.ics"'
    return response
