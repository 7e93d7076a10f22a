"""Drafts of long forms, sent by the page's script (issue 12)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from holdspace.accounts import drafts
from holdspace.accounts.models import User
from holdspace.lib.http import safe_next
from holdspace.web.policy import signed_in


@require_POST
@signed_in
def save_draft(request: HttpRequest) -> HttpResponse:
    """Keep the form sent as the draft of its page; 204 either way (the
    script has nothing to show)."""
    assert isinstance(request.user, User)  # noqa: S101  (guaranteed by @signed_in)
    drafts.keep(request, request.user)
    return HttpResponse(status=204)


@require_POST
@signed_in
def discard_draft(request: HttpRequest) -> HttpResponse:
    """Delete the draft of the page the person is on, and show it empty."""
    assert isinstance(request.user, User)  # noqa: S101  (guaranteed by @signed_in)
    target = safe_next(request, reverse("hs-dashboard"))
    drafts.done(request.user, target.split("?")[0])
    messages.info(request, _("The draft is discarded."))
    return redirect(target)
