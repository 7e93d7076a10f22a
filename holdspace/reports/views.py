"""Periodic reports: draft one from the records, edit it, sign it off, send
it to supervision, and correct it with a new version once it is sent."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts import drafts, kept
from holdspace.lib.http import posted
from holdspace.processes import access as core
from holdspace.processes import registry
from holdspace.processes.services import EditConflict, Refused
from holdspace.processes.versions import content_rows, current_values
from holdspace.processes.views.pages import form_page, record_context
from holdspace.reports import access, digest, services
from holdspace.reports.forms import CorrectForm, EditReportForm, ReportForm, SendForm
from holdspace.reports.models import Report

SECTIONS = (digest.CONTACT, digest.MEETINGS, digest.CHANGES, digest.OPEN)


@require_http_methods(["GET", "POST"])
@core.per_object_access
def report_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, _membership = core.get_group_for_user(request, group_id)
    start, end = access.proposed_period(group, timezone.localdate())
    form = ReportForm(posted(request), initial={"period_from": start, "period_to": end})

    def save(data: dict[str, Any]) -> Report:
        return services.draft(author=core.request_user(request), group=group, **data)

    return form_page(
        request,
        form,
        "reports/report_form.html",
        {"group": group, "process": group.process, "supervision": services.supervision_of(group)},
        save=save,
        saved=_(
            "The draft is ready, with the records of the period. Only your group can read "
            "it until it is sent."
        ),
        field="period_to",
    )


def _sections(request: HttpRequest, report: Report) -> list[dict[str, Any]]:
    """The report's lines by part, each linking to its record if the reader may read it."""
    lines = report.lines()
    ids = {str(line.get("record")) for line in lines if line.get("record")}
    readable = {
        str(pk)
        for pk in core.records_visible_to(core.request_user(request), report.process)
        .filter(pk__in=list(ids))
        .values_list("pk", flat=True)
    }
    labels = {
        digest.CONTACT: _("Contact"),
        digest.MEETINGS: _("Meetings"),
        digest.CHANGES: _("Demands, steps, agreements and decisions"),
        digest.OPEN: _("Still open"),
    }
    sections = []
    for name in SECTIONS:
        rows = []
        for line in lines:
            if line.get("section") != name:
                continue
            record, kind = str(line.get("record") or ""), str(line.get("kind") or "")
            url = ""
            if record in readable and kind in registry.KINDS:
                url = reverse(registry.kind(kind).page, args=[record])
            day = datetime.date.fromisoformat(str(line.get("on")))
            rows.append({**line, "url": url, "day": day})
        sections.append({"name": name, "label": labels[name], "lines": rows})
    return sections


@require_GET
@core.per_object_access
def report_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    report = core.get_specific_for_user(request, record_id, Report)
    user = core.request_user(request)
    sent = report.sent()
    return render(
        request,
        "reports/report_detail.html",
        record_context(
            request,
            report,
            report=report,
            sections=_sections(request, report),
            text=report.shown_text(),
            what_changed=sent.get("what_changed", "") if report.is_sent else report.what_changed,
            signers=access.signers(report),
            sent_signers=[
                (name, datetime.datetime.fromisoformat(when))
                for name, when in sent.get("signed", [])
            ],
            may_sign=access.may_sign(user, report),
            may_send=access.may_send(user, report) and not report.is_sent,
            may_correct=access.may_send(user, report)
            and report.is_sent
            and not hasattr(report, "corrected_by"),
            correction=access.correction_of(user, report),
            corrects=access.corrected(user, report),
            signed_this_version=report.signoffs.filter(user=user, version=report.version).exists(),
        ),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def report_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    report = core.get_specific_for_user(request, record_id, Report)
    if report.is_sent:
        # Frozen for everyone who may read it; a correction is a new version.
        return render(
            request,
            "reports/frozen.html",
            record_context(request, report, report=report),
            status=409,
        )
    user = core.request_user(request)
    if not core.may_edit(user, report):
        raise core.deny(request, "record_not_editable", record_id)
    correction = report.corrects_id is not None
    initial = {name: getattr(report, name) for name in ("occurred_on", "text", "what_changed")}
    initial["version"] = report.version
    form = EditReportForm(posted(request), initial=initial, correction=correction)
    kept.fill(request, form)
    drafts.fill(request, form)
    context = {"process": report.process, "record": report, "report": report, "form": form}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            services.edit_draft(report, by=user, expected_version=expected, changes=data)
        except EditConflict as conflict:
            current = conflict.current
            return render(
                request,
                "processes/edit_conflict.html",
                {
                    "record": report,
                    "current": content_rows(Report, current_values(current)),
                    "mine": content_rows(Report, data),
                    "form": EditReportForm(
                        None, initial={**data, "version": current.version}, correction=correction
                    ),
                },
                status=409,
            )
        except Refused as refusal:
            # Sent a moment ago: nothing saved, what was typed stays on the form.
            form.add_error(None, refusal.message)
            return render(request, "reports/report_edit.html", context)
        drafts.done(user, request.path)
        messages.success(
            request,
            _(
                "Your changes are saved. The earlier version is kept. Sign-offs of the "
                "earlier version do not count for this one."
            ),
        )
        return redirect(report.get_absolute_url())
    return render(request, "reports/report_edit.html", context)


@require_POST
@core.per_object_access
def report_sign(request: HttpRequest, record_id: UUID) -> HttpResponse:
    report = core.get_specific_for_user(request, record_id, Report)
    user = core.request_user(request)
    if report.author_group_id not in core.group_ids_for(user, report.process_id):
        raise core.deny(request, "not_report_group", record_id)
    try:
        services.sign(report, by=user)
    except Refused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("You signed off this version of the report."))
    return redirect(report)


@require_http_methods(["GET", "POST"])
@core.per_object_access
def report_send(request: HttpRequest, record_id: UUID) -> HttpResponse:
    report = core.get_specific_for_user(request, record_id, Report)
    user = core.request_user(request)
    if not access.may_send(user, report):
        raise core.deny(request, "not_report_coordinator", record_id)
    form = SendForm(posted(request))

    def save(data: dict[str, Any]) -> Report:
        services.send(report, by=user, sent_on=data["sent_on"])
        return report

    return form_page(
        request,
        form,
        "reports/send_form.html",
        record_context(
            request,
            report,
            report=report,
            supervision=services.supervision_of(report.author_group),
            signed=report.signoffs.filter(version=report.version).exists(),
        ),
        save=save,
        saved=_("The report is sent. The supervision group can read it now; it stays as it is."),
        field="sent_on",
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def report_correct(request: HttpRequest, record_id: UUID) -> HttpResponse:
    report = core.get_specific_for_user(request, record_id, Report)
    user = core.request_user(request)
    if not access.may_send(user, report):
        raise core.deny(request, "not_report_coordinator", record_id)
    form = CorrectForm(posted(request))

    def save(data: dict[str, Any]) -> Report:
        return services.correct(report, by=user, what_changed=data["what_changed"])

    return form_page(
        request,
        form,
        "reports/correct_form.html",
        record_context(request, report, report=report),
        save=save,
        saved=_(
            "The correction is a new draft. Edit it, sign it off and send it; the report "
            "as it was sent stays as it is."
        ),
        field="what_changed",
    )
