"""Records on the chronology: write, read, edit (with conflicts), share, history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from holdspace.accounts import drafts, kept
from holdspace.lib.http import posted
from holdspace.processes import access, registry, services, writes
from holdspace.processes.forms import AudienceForm, EditNoteForm, NoteForm
from holdspace.processes.models import Note, Record, Revision
from holdspace.processes.versions import content_rows, current_values
from holdspace.vault.fields import UnreadableText


@require_http_methods(["GET", "POST"])
@access.per_object_access
def note_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, _mine = access.get_group_for_user(request, group_id)
    user = access.request_user(request)
    form = writes.offer(NoteForm(posted(request), initial={"occurred_on": timezone.localdate()}))
    kept.fill(request, form)
    drafts.fill(request, form)
    if request.method == "POST" and form.is_valid():
        # Saved once, however often the form is sent (S52).
        try:
            target = writes.save_once(
                user, form, lambda data: services.write_note(author=user, group=group, **data)
            )
        except writes.AlreadySaved as first:
            messages.info(request, first.message)
            return redirect(writes.fallback(request, first))
        drafts.done(user, request.path)
        messages.success(request, _("The note is saved. Only your group can read it."))
        return redirect(target)
    return render(request, "processes/note_form.html", {"group": group, "form": form})


@require_GET
@access.per_object_access
def record_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    record = access.get_record_for_user(request, record_id)
    if registry.kind(record.kind).page != "hs-record":
        return redirect(record.get_absolute_url())
    user = access.request_user(request)
    return render(
        request,
        "processes/record_detail.html",
        {
            "record": record,
            "process": record.process,
            "terms": record.process.terms,
            "may_edit": access.may_edit(user, record),
            "revisions": record.revisions.count(),
        },
    )


def _note_initial(note: Note) -> dict[str, Any]:
    return {
        "occurred_on": note.occurred_on,
        "title": note.title,
        "body": note.body,
        "version": note.version,
    }


def specific(record: Record) -> Record:
    """The note, letter, demand … that ``record`` is."""
    found: Record = getattr(record, record.kind, record)
    return found


def versioned_edit(
    request: HttpRequest,
    record: Record,
    make_form: Callable[..., forms.Form],
    *,
    initial: dict[str, Any],
    template: str,
    context: dict[str, Any],
    saved: str,
) -> HttpResponse:
    """Show and save an edit form for ``record``'s content fields (S38).

    ``make_form(data, initial=…)`` builds the form. When someone else saved
    meanwhile, nothing is saved and nothing is lost: both versions are shown,
    and the form keeps what was typed.
    """
    form = make_form(posted(request), initial=initial)
    # Text sent as the last session ran out, with the version it was opened at.
    kept.fill(request, form)
    drafts.fill(request, form)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            services.edit_record(
                record, by=access.request_user(request), expected_version=expected, changes=data
            )
        except services.EditConflict as conflict:
            current = conflict.current
            model = type(current)
            return render(
                request,
                "processes/edit_conflict.html",
                {
                    "record": record,
                    "current": content_rows(model, current_values(current)),
                    "mine": content_rows(model, data),
                    "form": make_form(None, initial={**data, "version": current.version}),
                },
                status=409,
            )
        drafts.done(access.request_user(request), request.path)
        messages.success(request, saved)
        return redirect(record.get_absolute_url())
    return render(request, template, {**context, "record": record, "form": form})


@require_http_methods(["GET", "POST"])
@access.per_object_access
def note_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    record = access.get_record_for_user(request, record_id, write=True)
    if record.kind != Record.Kind.NOTE:
        return redirect(record.get_absolute_url())
    note = record.note
    return versioned_edit(
        request,
        note,
        EditNoteForm,
        initial=_note_initial(note),
        template="processes/note_form.html",
        context={},
        saved=_("Your changes are saved. The earlier version is kept."),
    )


@require_http_methods(["GET", "POST"])
@access.per_object_access
def audience(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """Who can read a record. Widening it is an explicit, audited step."""
    record = access.get_record_for_user(request, record_id, write=True)
    process = record.process
    groups = access.groups_of(process).exclude(pk=record.author_group_id)
    initial = {
        "groups": [g for g in record.audience_groups.all() if g.pk != record.author_group_id],
        "to_harming_party": record.to_harming_party,
        "to_harmed_party": record.to_harmed_party,
    }
    form = AudienceForm(posted(request), initial=initial, groups=groups, process=process)
    if registry.kind(record.kind).own_portal_audience:
        del form.fields["to_harming_party"]
    if request.method == "POST" and form.is_valid():
        parties = {**initial, **form.cleaned_data}
        try:
            services.change_audience(
                record,
                by=access.request_user(request),
                groups=form.cleaned_data["groups"],
                to_harming_party=parties["to_harming_party"],
                to_harmed_party=parties["to_harmed_party"],
            )
        except services.Refused as refusal:
            form.add_error("groups", refusal.message)
        else:
            messages.success(request, _("Saved: the people chosen can now read it."))
            return redirect(record.get_absolute_url())
    return render(
        request,
        "processes/audience.html",
        {"record": record, "form": form, "terms": process.terms},
    )


@require_GET
@access.per_object_access
def history(request: HttpRequest, record_id: UUID) -> HttpResponse:
    record = access.get_record_for_user(request, record_id)
    model = type(specific(record))
    revisions = [
        (revision, content_rows(model, _revision_values(revision)))
        for revision in record.revisions.select_related("edited_by")
    ]
    return render(request, "processes/history.html", {"record": record, "revisions": revisions})


def _revision_values(revision: Revision) -> dict[str, Any] | str:
    content = revision.content
    return content if isinstance(content, UnreadableText) else revision.values
