"""What the pages of every kind of record need: their context, and the
usual small form that calls one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from holdspace.accounts import drafts, kept
from holdspace.processes import access, writes
from holdspace.processes.models import Record
from holdspace.processes.services import Refused


def record_context(request: HttpRequest, record: Record, **extra: Any) -> dict[str, Any]:
    """The record, its process and what the account may do with it."""
    user = access.request_user(request)
    return {
        "record": record,
        "process": record.process,
        "terms": record.process.terms,
        "may_edit": access.may_edit(user, record),
        "may_act": access.may_act(user, record),
        "revisions": record.revisions.count(),
        **extra,
    }


def form_page(
    request: HttpRequest,
    form: forms.Form,
    template: str,
    context: dict[str, Any],
    *,
    save: Any,
    saved: str,
    field: str | None = None,
) -> HttpResponse:
    """The usual small form: show it; on a valid POST call ``save`` (a service
    call that returns where to go next); a refusal becomes a message on the
    form (``field``), what was typed stays, and nothing changes. The form
    carries a one-time token: sent twice, it saves once (S52)."""
    writes.offer(form)
    kept.fill(request, form)  # what was sent as the last session ran out
    drafts.fill(request, form)  # or what was being written when the page was left
    if request.method == "POST" and form.is_valid():
        try:
            target = writes.save_once(access.request_user(request), form, save)
        except writes.AlreadySaved as first:
            messages.info(request, first.message)
            return redirect(writes.fallback(request, first))
        except Refused as refusal:
            form.add_error(field, refusal.message)
        else:
            drafts.done(access.request_user(request), request.path)
            messages.success(request, saved)
            return redirect(target)
    return render(request, template, {**context, "form": form})
