"""The space-sharing rota: who may be at which place on which day.

The venue page is meant to be printed and handed to a venue's coordinators:
it shows the place, the dates and the pseudonyms chosen for the rota, and
nothing else — no reason, no process, no group.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.commitments import access, rota, services
from holdspace.commitments.forms import ExceptionForm, PatternForm, RotaPersonForm, VenueForm
from holdspace.commitments.models import Agreement, RotaPerson, RotaVenue
from holdspace.commitments.views.common import form_page, record_context
from holdspace.lib.http import posted
from holdspace.processes import access as core
from holdspace.processes import writes

WINDOW_DAYS = 28


@dataclass(frozen=True)
class Line:
    date: datetime.date
    names: list[str]
    conflict: str | None


def _start(request: HttpRequest) -> datetime.date:
    """The first day shown: ?from=YYYY-MM-DD, else today."""
    try:
        return datetime.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        return timezone.localdate()


def _lines(
    people: list[RotaPerson], venues: list[RotaVenue], start: datetime.date
) -> dict[Any, list[Line]]:
    names = {person.pk: str(person.pseudonym) for person in people}
    lines: dict[Any, list[Line]] = {venue.pk: [] for venue in venues}
    for day in rota.calendar(venues, start, WINDOW_DAYS):
        lines[day.venue].append(
            Line(day.date, [names.get(p, "?") for p in day.people], day.conflict)
        )
    return lines


def _weekdays() -> list[tuple[int, str]]:
    return [(day, str(WEEKDAYS[day])) for day in range(7)]


def _rota_context(request: HttpRequest, agreement: Agreement, **extra: Any) -> dict[str, Any]:
    people, venues = access.rota_of(agreement)
    start = _start(request)
    lines = _lines(people, venues, start)
    names: dict[Any, Any] = {person.pk: person.pseudonym for person in people}
    today = timezone.localdate()
    return record_context(
        request,
        agreement,
        agreement=agreement,
        people=people,
        venues=[
            (
                venue,
                _pattern_row(venue, names),
                lines[venue.pk],
                [line for line in lines[venue.pk] if line.conflict],  # the days that need a look
            )
            for venue in venues
        ],
        weekdays=_weekdays(),
        changes=[
            (venue, exception, names.get(exception.person_id))
            for venue in venues
            for exception in venue.exceptions.all()
            if exception.date >= today
        ],
        start=start,
        **extra,
    )


def _pattern_row(venue: RotaVenue, names: dict[Any, Any]) -> list[tuple[str, Any]]:
    """Each weekday, Monday … Sunday, and who may come then (None: nobody)."""
    by_day = {slot.weekday: slot.person_id for slot in venue.slots.all()}
    return [(label, names.get(by_day.get(day))) for day, label in _weekdays()]


@require_GET
@core.per_object_access
def rota_page(request: HttpRequest, record_id: UUID) -> HttpResponse:
    agreement = access.get_for_user(request, record_id, Agreement)
    return render(
        request,
        "commitments/rota.html",
        _rota_context(
            request,
            agreement,
            person_form=writes.offer(RotaPersonForm()),
            venue_form=writes.offer(VenueForm()),
        ),
    )


@require_POST
@core.per_object_access
def rota_add(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """Add a person (by pseudonym) or a place to the rota, once however often
    the form is sent (S52)."""
    agreement = access.get_for_user(request, record_id, Agreement, act=True)
    user = core.request_user(request)
    venue = request.POST.get("what") == "venue"
    form = writes.offer(VenueForm(request.POST) if venue else RotaPersonForm(request.POST))
    rota_url = reverse("hs-rota", args=[agreement.pk])
    if form.is_valid():

        def save(data: dict[str, Any]) -> str:
            if venue:
                services.add_venue(agreement, by=user, name=data["name"])
            else:
                services.add_rota_person(agreement, by=user, pseudonym=data["pseudonym"])
            return rota_url

        try:
            writes.save_once(user, form, save)
        except writes.AlreadySaved as first:
            messages.info(request, first.message)
            return redirect(first.url or rota_url)
        messages.success(
            request,
            _("The place is added. Now choose who may go there on which day.")
            if venue
            else _("The person is added to the rota."),
        )
        return redirect(rota_url)
    others = writes.offer(RotaPersonForm() if venue else VenueForm())
    person_form, venue_form = (others, form) if venue else (form, others)
    return render(
        request,
        "commitments/rota.html",
        _rota_context(request, agreement, person_form=person_form, venue_form=venue_form),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def rota_venue(request: HttpRequest, record_id: UUID, venue_id: UUID) -> HttpResponse:
    """The weekly pattern of one place: one person a day at most."""
    agreement = access.get_for_user(request, record_id, Agreement, act=True)
    venue = access.get_venue(request, agreement, venue_id)
    people, _venues = access.rota_of(agreement)
    initial: dict[str, Any] = {"version": venue.version}
    for slot in venue.slots.all():
        initial[f"p{slot.person_id}_{slot.weekday}"] = True
    form = PatternForm(posted(request), initial=initial, people=people, weekdays=_weekdays())

    def save(data: dict[str, Any]) -> str:
        services.set_pattern(
            venue,
            by=core.request_user(request),
            expected_version=data["version"],
            assignments=form.assignments,
        )
        return reverse("hs-rota", args=[agreement.pk])

    return form_page(
        request,
        form,
        "commitments/rota_venue.html",
        record_context(request, agreement, agreement=agreement, venue=venue, people=people),
        save=save,
        saved=_("The weekly pattern is saved."),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def rota_exception(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """A change for one date: a swap, someone extra, or nobody."""
    agreement = access.get_for_user(request, record_id, Agreement, act=True)
    people, venues = access.rota_of(agreement)
    form = ExceptionForm(posted(request), venues=venues, people=people)

    def save(data: dict[str, Any]) -> str:
        services.add_exception(
            data["venue"],
            by=core.request_user(request),
            date=data["date"],
            change=data["change"],
            person=data["person"],
        )
        return reverse("hs-rota", args=[agreement.pk])

    return form_page(
        request,
        form,
        "commitments/rota_exception.html",
        record_context(request, agreement, agreement=agreement),
        save=save,
        saved=_("The change is saved. Check the rota for conflicts."),
    )


@require_POST
@core.per_object_access
def rota_exception_delete(
    request: HttpRequest, record_id: UUID, exception_id: UUID
) -> HttpResponse:
    agreement = access.get_for_user(request, record_id, Agreement, act=True)
    exception = access.get_exception(request, agreement, exception_id)
    services.remove_exception(exception, by=core.request_user(request))
    messages.success(request, _("The change is removed; the weekly pattern applies again."))
    return redirect("hs-rota", agreement.pk)


@require_GET
@core.per_object_access
def venue_print(request: HttpRequest, record_id: UUID, venue_id: UUID) -> HttpResponse:
    """What a venue's coordinators need: who may come on which day. Nothing else."""
    agreement = access.get_for_user(request, record_id, Agreement)
    venue = access.get_venue(request, agreement, venue_id)
    people, venues = access.rota_of(agreement)
    venue = next(v for v in venues if v.pk == venue.pk)
    start = _start(request)
    return render(
        request,
        "commitments/venue_print.html",
        {
            "venue": venue,
            "lines": _lines(people, [venue], start)[venue.pk],
            "start": start,
            "next_start": start + datetime.timedelta(days=WINDOW_DAYS),
        },
    )
