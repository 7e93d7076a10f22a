"""The conclusion report: writing it, previewing its editions, releasing
them, reading and downloading them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from holdspace.accounts.models import User
from holdspace.conclusion import access, build, services
from holdspace.conclusion import render as output
from holdspace.conclusion.forms import ConclusionForm, EditConclusionForm
from holdspace.conclusion.models import Audience, Conclusion, Edition
from holdspace.lib.http import posted
from holdspace.processes import access as core
from holdspace.processes.models import Process
from holdspace.processes.services import Refused
from holdspace.processes.views.pages import form_page, record_context
from holdspace.processes.views.records import versioned_edit


def _user(request: HttpRequest) -> User:
    return core.request_user(request)


def _edition_asked(request: HttpRequest) -> str:
    asked = request.GET.get("edition", "")
    return asked if asked in Audience.values else Audience.SUPERVISION


def _format_asked(request: HttpRequest) -> str:
    asked = request.GET.get("format", "")
    return asked if asked in output.FORMATS else "pdf"


def process_section(user: User, process: Process | None) -> dict[str, Any]:
    """The conclusion report's part of the process page."""
    assert process is not None  # noqa: S101  (a section of the process page)
    return {
        "conclusion": access.readable_conclusion(user, process),
        "editions": list(access.editions_for(user, process)),
        "may_begin": access.may_write(user, process),
        "begun": access.conclusion_of(process) is not None,
    }


@require_GET
@core.per_object_access
def conclusion_page(request: HttpRequest, process_id: UUID) -> HttpResponse:
    """The report if the account may read it, else the editions released to it."""
    process = core.get_process_for_user(request, process_id)
    user = _user(request)
    conclusion = access.readable_conclusion(user, process)
    if conclusion is not None:
        return redirect("hs-conclusion-report", conclusion.pk)
    editions = list(access.editions_for(user, process))
    labels = [(edition, output.label(edition.made_for, process.terms)) for edition in editions]
    return render(
        request,
        "conclusion/process_page.html",
        {
            "process": process,
            "terms": process.terms,
            "editions": labels,
            "may_begin": access.may_write(user, process),
            "begun": access.conclusion_of(process) is not None,
        },
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def conclusion_new(request: HttpRequest, process_id: UUID) -> HttpResponse:
    process = core.get_steered_process_for_user(request, process_id)
    user = _user(request)
    group = core.acting_steering_group(user, process)
    form = ConclusionForm(posted(request))

    def save(data: dict[str, Any]) -> Conclusion:
        return services.begin(process, by=user, group=group, written=form.as_written())

    return form_page(
        request,
        form,
        "conclusion/conclusion_form.html",
        {"process": process, "terms": process.terms, "group": group},
        save=save,
        saved=_("The conclusion report is begun. Preview its editions before you release them."),
    )


def _editions(conclusion: Conclusion, terms: Any) -> list[dict[str, Any]]:
    done = access.released(conclusion)
    return [
        {
            "made_for": made_for,
            "label": output.label(made_for, terms),
            "released": done.get(made_for),
        }
        for made_for in Audience.values
    ]


@require_GET
@core.per_object_access
def conclusion_report(request: HttpRequest, record_id: UUID) -> HttpResponse:
    conclusion = core.get_specific_for_user(request, record_id, Conclusion)
    core.open_keys([conclusion])
    context = record_context(request, conclusion, conclusion=conclusion)
    return render(
        request,
        "conclusion/report.html",
        {**context, "editions": _editions(conclusion, conclusion.process.terms)},
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def conclusion_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    conclusion = core.get_specific_for_user(request, record_id, Conclusion, write=True)
    initial = {
        "achieved": conclusion.achieved,
        "not_achieved": conclusion.not_achieved,
        "lessons": conclusion.lessons,
        "occurred_on": conclusion.occurred_on,
        "version": conclusion.version,
    }
    return versioned_edit(
        request,
        conclusion,
        EditConclusionForm,
        initial=initial,
        template="conclusion/conclusion_edit.html",
        context={"process": conclusion.process, "terms": conclusion.process.terms},
        saved=_("Your changes are saved. Editions already released stay as they were released."),
    )


@require_GET
@core.per_object_access
def conclusion_preview(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """One edition as it would be released now, with what its audience may
    read and the names it may see."""
    conclusion = core.get_specific_for_user(request, record_id, Conclusion)
    made_for = _edition_asked(request)
    terms = conclusion.process.terms
    data = build.draw(_user(request), conclusion, made_for)
    context = record_context(request, conclusion, conclusion=conclusion)
    return render(
        request,
        "conclusion/preview.html",
        {
            **context,
            "made_for": made_for,
            "label": output.label(made_for, terms),
            "data": output.dated(data),
            "editions": _editions(conclusion, terms),
            "released": access.released(conclusion).get(made_for),
            "formats": _format_links(),
        },
    )


def _format_links() -> list[tuple[str, str]]:
    return [("pdf", _("PDF")), ("html", _("a web page to print")), ("md", _("Markdown"))]


@require_GET
@core.per_object_access
def conclusion_download(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """A preview as a file (PDF, printable HTML or Markdown)."""
    conclusion = core.get_specific_for_user(request, record_id, Conclusion)
    made_for = _edition_asked(request)
    data = build.draw(_user(request), conclusion, made_for)
    heading = output.label(made_for, conclusion.process.terms)
    return output.download(data, heading, _format_asked(request))


@require_POST
@core.per_object_access
def conclusion_release(request: HttpRequest, record_id: UUID) -> HttpResponse:
    conclusion = core.get_specific_for_user(request, record_id, Conclusion, write=True)
    made_for = request.POST.get("edition", "")
    try:
        edition = services.release(conclusion, made_for, by=_user(request))
    except Refused as refusal:
        messages.error(request, str(refusal.message))
        return redirect("hs-conclusion-report", conclusion.pk)
    messages.success(
        request, _("The edition is released. Its readers find it on the process page.")
    )
    return redirect("hs-edition", edition.pk)


@require_GET
@core.per_object_access
def edition_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    edition = core.get_specific_for_user(request, record_id, Edition)
    core.open_keys([edition])
    terms = edition.process.terms
    return render(
        request,
        "conclusion/edition.html",
        {
            **record_context(request, edition),
            "edition": edition,
            "label": output.label(edition.made_for, terms),
            "data": output.dated(edition.data) if edition.data else None,
            "formats": _format_links(),
        },
    )


@require_GET
@core.per_object_access
def edition_download(request: HttpRequest, record_id: UUID) -> HttpResponse:
    edition = core.get_specific_for_user(request, record_id, Edition)
    if not edition.data:
        raise core.deny(request, "edition_unreadable", record_id)
    heading = output.label(edition.made_for, edition.process.terms)
    return output.download(edition.data, heading, _format_asked(request))
