"""Staying logged in when the page warns that the session is about to end
(issue 12)."""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from holdspace.accounts.auth import SEEN_AT
from holdspace.accounts.middleware import seconds_left
from holdspace.lib.http import safe_next
from holdspace.web.policy import signed_in


@require_POST
@signed_in
def stay(request: HttpRequest) -> HttpResponse:
    """Count the idle limit from now. The absolute limit stays where it is
    (S25). The page's script asks for JSON and learns the seconds left;
    a plain form goes back to where it was sent from."""
    request.session[SEEN_AT] = time.time()
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"left": seconds_left(request)})
    return redirect(safe_next(request, reverse("hs-dashboard")))
