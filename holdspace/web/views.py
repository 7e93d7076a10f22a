"""Site-wide pages: home, dashboard, quick exit, language, errors, health."""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from holdspace.accounts.models import User
from holdspace.lib import storage
from holdspace.web import texts
from holdspace.web.policy import is_fully_signed_in, public

storage_log = logging.getLogger("holdspace.storage")

# A request over the limit is read back, to show its text, up to this many
# times the limit; beyond that the browser's Back button is the only hope.
RECOVER_FACTOR = 2

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


@require_GET
@public
def safety(request: HttpRequest) -> HttpResponse:
    """What the quick exit does and does not do; shown once after the first log-in."""
    # Imported here: the log-in views import this module.
    from holdspace.accounts.views.login import FIRST_LOGIN, after_login

    then = None
    if is_fully_signed_in(request):
        request.session.pop(FIRST_LOGIN, None)
        then = after_login(request)
    return render(request, "web/safety.html", {"then": then})


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
    if isinstance(exception, RequestDataTooBig):
        return too_long(request)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # A full disk met outside a view (a middleware's write) is no bug either.
    if storage.is_full(sys.exc_info()[1]):
        return storage_full(request)
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def _calm_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int
) -> HttpResponse:
    """The page with the site's frame; without it if that fails (it reads the
    session and the account, which a broken request may not have)."""
    try:
        return render(request, template, context, status=status)
    except Exception:  # the plain page is the fallback, whatever went wrong
        return HttpResponse(loader.render_to_string(template, context), status=status)


def storage_full(request: HttpRequest) -> HttpResponse:
    """507: the disk or the database is full, nothing was saved; what was
    typed is shown back to copy (escaped, never stored, never logged) (S53)."""
    match = getattr(request, "resolver_match", None)
    storage_log.error(
        "storage.full method=%s view=%s",
        request.method,
        getattr(match, "view_name", None) or "-",
    )
    typed: list[texts.Typed] = []
    if request.method == "POST":
        try:
            typed = texts.typed_texts(request.POST)
        except Exception:  # a form that could not be read (an upload on the full disk)
            typed = []
    return _calm_page(request, "web/storage_full.html", {"typed": typed}, status=507)


def _recovered_post(request: HttpRequest) -> QueryDict | None:
    """The form data of a request over the size limit, read after all: only a
    URL-encoded form from a signed-in browser that passes the CSRF check, and
    only up to RECOVER_FACTOR times the limit."""
    from holdspace.web.csrf import CsrfViewMiddleware

    user = getattr(request, "user", None)
    if request.content_type != "application/x-www-form-urlencoded" or not (
        user is not None and user.is_authenticated
    ):
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE * RECOVER_FACTOR:
        return None
    try:
        data = QueryDict(request.read(length), encoding=request.encoding)
    except (OSError, ValueError, TooManyFieldsSent):
        return None
    request.POST = data
    # The text is shown only to the browser that typed it (a refusal is logged).
    if CsrfViewMiddleware(_unused).process_view(request, _unused, (), {}) is not None:
        return None
    return data


def _unused(request: HttpRequest) -> HttpResponse:  # pragma: no cover  (never called)
    raise AssertionError


def too_long(request: HttpRequest) -> HttpResponse:
    """413: a request bigger than any form allows. Nothing was saved; the
    text is shown back to copy when it can be read (S43)."""
    data = _recovered_post(request)
    typed = texts.typed_texts(data) if data is not None else []
    return _calm_page(request, "web/too_long.html", {"typed": typed}, status=413)
