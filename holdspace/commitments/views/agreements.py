"""Short, time-limited agreements: terms, dates, renewals and breaches."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.commitments import access, services
from holdspace.commitments.forms import (
    AgreementForm,
    AgreementStatusForm,
    BreachForm,
    EditAgreementForm,
    RenewForm,
)
from holdspace.commitments.models import Agreement
from holdspace.commitments.views.common import form_page, record_context
from holdspace.lib.http import posted
from holdspace.processes import access as core
from holdspace.processes.services import Refused
from holdspace.processes.views.records import versioned_edit


@require_http_methods(["GET", "POST"])
@core.per_object_access
def agreement_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, _membership = core.get_group_for_user(request, group_id)
    kind = request.GET.get("kind")
    initial = {"agreement_kind": kind} if kind in Agreement.Kind.values else {}
    form = AgreementForm(posted(request), initial=initial)

    def save(data: dict[str, Any]) -> Agreement:
        return services.create_agreement(author=core.request_user(request), group=group, **data)

    return form_page(
        request,
        form,
        "commitments/agreement_form.html",
        {"group": group, "process": group.process},
        save=save,
        saved=_("The agreement is saved. Only your group can read it until you share it."),
    )


@require_GET
@core.per_object_access
def agreement_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    agreement = access.get_for_user(request, record_id, Agreement)
    return _agreement_page(request, agreement, AgreementStatusForm(auto_id="agreement-%s"))


def _agreement_page(
    request: HttpRequest, agreement: Agreement, status_form: AgreementStatusForm
) -> HttpResponse:
    user = core.request_user(request)
    renewal = access.agreement_renewal(user, agreement)
    renews = access.readable_or_none(user, agreement.renews)
    core.open_keys([r for r in (renewal, renews) if r is not None])
    status = agreement.effective_status()
    return render(
        request,
        "commitments/agreement_detail.html",
        record_context(
            request,
            agreement,
            agreement=agreement,
            status=status,
            status_label=Agreement.Status(status).label,
            renewal=renewal,
            renews=renews,
            breaches=list(agreement.breaches.all()),
            has_rota=agreement.agreement_kind == Agreement.Kind.SPACE_SHARING
            or agreement.venues.exists(),
            status_form=status_form,
            history=access.history_of(user, agreement),
        ),
    )


def _dates(agreement: Agreement) -> dict[str, Any]:
    return {
        "terms": agreement.terms,
        "binds": agreement.binds,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "review_on": agreement.review_on,
    }


@require_http_methods(["GET", "POST"])
@core.per_object_access
def agreement_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    agreement = access.get_for_user(request, record_id, Agreement, write=True)

    def make_form(data: Any, *, initial: dict[str, Any]) -> EditAgreementForm:
        return EditAgreementForm(data, initial=initial, kind=agreement.agreement_kind)

    return versioned_edit(
        request,
        agreement,
        make_form,
        initial={**_dates(agreement), "version": agreement.version},
        template="commitments/agreement_edit.html",
        context={"process": agreement.process, "agreement": agreement},
        saved=_("Your changes are saved. The earlier version is kept."),
    )


@require_POST
@core.per_object_access
def agreement_status(request: HttpRequest, record_id: UUID) -> HttpResponse:
    agreement = access.get_for_user(request, record_id, Agreement, act=True)
    form = AgreementStatusForm(
        request.POST, auto_id="agreement-%s", floors=services.agreement_floors(agreement)
    )
    if not form.is_valid():
        if "happened_on" in form.errors:
            return _agreement_page(request, agreement, form)  # with the day that was typed
        messages.error(request, _("Please choose agreed or ended."))
        return redirect(agreement)
    try:
        services.set_agreement_status(
            agreement,
            by=core.request_user(request),
            status=form.cleaned_data["status"],
            seen=form.cleaned_data["seen"] or None,
            happened_on=form.cleaned_data["happened_on"],
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The agreement's status is changed."))
    return redirect(agreement)


@require_http_methods(["GET", "POST"])
@core.per_object_access
def agreement_renew(request: HttpRequest, record_id: UUID) -> HttpResponse:
    agreement = access.get_for_user(request, record_id, Agreement, write=True)
    starts = (
        agreement.ends_on + datetime.timedelta(days=1)
        if agreement.ends_on
        else timezone.localdate()
    )
    initial = {**_dates(agreement), "starts_on": starts, "ends_on": None, "review_on": None}
    form = RenewForm(
        posted(request),
        initial=initial,
        kind=agreement.agreement_kind,
        floors=services.agreement_floors(agreement),
    )

    def save(data: dict[str, Any]) -> Agreement:
        return services.renew(agreement, by=core.request_user(request), **data)

    return form_page(
        request,
        form,
        "commitments/agreement_renew.html",
        record_context(request, agreement, agreement=agreement),
        save=save,
        saved=_("The renewed agreement is saved. The earlier one stays linked to it."),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def breach_new(request: HttpRequest, record_id: UUID) -> HttpResponse:
    agreement = access.get_for_user(request, record_id, Agreement, act=True)
    form = BreachForm(posted(request), floors=services.breach_floors(agreement))

    def save(data: dict[str, Any]) -> Agreement:
        services.record_breach(agreement, by=core.request_user(request), **data)
        return agreement

    return form_page(
        request,
        form,
        "commitments/breach_form.html",
        record_context(request, agreement, agreement=agreement),
        save=save,
        saved=_("The breach is recorded. Decide together how to respond."),
    )
