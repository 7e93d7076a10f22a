"""Site-wide pages: home, dashboard, quick exit, language, errors, health."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from holdspace.accounts.models import User
from holdspace.web.policy import is_fully_signed_in, public

# What the browser is asked to forget when someone leaves in a hurry or logs out.
CLEAR_ON_EXIT = '"cookies", "storage"'
CLEAR_ON_LOGOUT = '"cache", "cookies", "storage"'


@require_GET
@public
def home(request: HttpRequest) -> HttpResponse:
    if is_fully_signed_in(request):
        return redirect("hs-dashboard")
    return redirect("hs-login")


def leave_now(request: HttpRequest) -> HttpResponse:
    """End the session and send the browser to the neutral site (S33)."""
    logout(request)
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL, status=303)
    response["Clear-Site-Data"] = CLEAR_ON_EXIT
    return response


@require_POST
@public
def quick_exit(request: HttpRequest) -> HttpResponse:
    return leave_now(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Leaving must never fail: ending a session needs no CSRF protection,
    # and a stale form must not keep someone on the page.
    if request.path_info == reverse("hs-quick-exit"):
        return leave_now(request)
    return render(request, "web/csrf.html", status=403)


@require_POST
@public
def set_language(request: HttpRequest) -> HttpResponseBase:
    language = request.POST.get("language", "")
    user = request.user
    known = language in dict(settings.LANGUAGES)
    if known and is_fully_signed_in(request) and isinstance(user, User):
        user.language = language
        user.save(update_fields=["language"])
    return django_set_language(request)


@require_GET
@public
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok\n", content_type="text/plain")


# Error pages: generic, content-free (S36). They must not fail themselves, so
# the 500 page renders without the request (no database access).
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(loader.render_to_string("500.html"), status=500)
