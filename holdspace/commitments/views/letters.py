"""The survivor's side's letter, its versions and the register of copies."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from holdspace.commitments import access, services
from holdspace.commitments.forms import CopyForm, EditLetterForm, LetterForm
from holdspace.commitments.models import Letter
from holdspace.commitments.views.common import form_page, record_context
from holdspace.lib.http import posted
from holdspace.processes import access as core
from holdspace.processes.views.records import versioned_edit


@require_http_methods(["GET", "POST"])
@core.per_object_access
def letter_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group = access.get_survivor_group_for_user(request, group_id)
    form = LetterForm(posted(request), initial={"occurred_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Letter:
        return services.write_letter(author=core.request_user(request), group=group, **data)

    return form_page(
        request,
        form,
        "commitments/letter_form.html",
        {"group": group, "process": group.process},
        save=save,
        saved=_("The letter is saved. Only your group can read it until you share it."),
    )


@require_GET
@core.per_object_access
def letter_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    letter = access.get_for_user(request, record_id, Letter)
    copies = list(letter.copies.select_related("handed_by"))
    return render(
        request,
        "commitments/letter_detail.html",
        record_context(
            request,
            letter,
            letter=letter,
            copies=copies,
            copy_form=CopyForm(initial={"handed_on": timezone.localdate(), "form": "printed"}),
        ),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def letter_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    letter = access.get_for_user(request, record_id, Letter, write=True)
    initial = {
        "occurred_on": letter.occurred_on,
        "title": letter.title,
        "body": letter.body,
        "version": letter.version,
    }
    return versioned_edit(
        request,
        letter,
        EditLetterForm,
        initial=initial,
        template="commitments/letter_form.html",
        context={"process": letter.process},
        saved=_("The new version is saved. Copies already handed out keep their version number."),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def copy_new(request: HttpRequest, record_id: UUID) -> HttpResponse:
    letter = access.get_for_user(request, record_id, Letter, act=True)
    form = CopyForm(posted(request), initial={"handed_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Letter:
        services.hand_out_copy(letter, by=core.request_user(request), **data)
        return letter

    return form_page(
        request,
        form,
        "commitments/copy_form.html",
        record_context(request, letter, letter=letter),
        save=save,
        saved=_("The copy is registered."),
    )
