"""Drafts of long forms, so that a closed tab or a lost connection does not
lose an hour of minutes (issue 12).

The page's script (``static/holdspace/drafts.js``) sends a form with a text
area every half minute while it changes, and when the page is left, to
:func:`keep`. The next time the account opens that page's form, it is filled
in with the draft, with a note and a button to discard it (:func:`fill`).
Saving the form deletes the draft (:func:`done`).

A draft is sealed to the author's public key, like text kept across a new
log-in (``accounts.kept``), not to the group's key: it is the author's own
unfinished text, which nobody else in the group is meant to read, and it
must stay readable to its author whatever happens to the group's keys
meanwhile. It is only shown on the page it was written on, after that page's
access check, so an author who lost access never sees it again; it is
deleted after :data:`KEEP_FOR` in any case. Sending a draft does not count
as activity: the idle limit of the session is unchanged (S25).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts import kept
from holdspace.accounts.models import Draft, SubmissionReceipt, User, hash_token
from holdspace.vault import crypto
from holdspace.vault import session as vault_session
from holdspace.vault.instance import instance_key

log = logging.getLogger("holdspace.security")

KEEP_FOR = timedelta(days=7)
MAX_PER_ACCOUNT = 20
FOR_FIELD = "hs_draft_for"
# The one-time token of the form (processes.writes.FIELD).
ONCE_FIELD = "submission"

NOTE = _(
    "This form holds a draft you were writing earlier. Check it and save it, or discard the draft."
)


def _ad(user_id: object, page: str) -> bytes:
    return f"draft|{user_id}|{page}".encode()


def page_digest(user: User, path: str) -> str:
    """Which page a draft belongs to, without storing the path in the clear."""
    data = f"{user.pk}|{path}".encode()
    return crypto.digest(data, key=instance_key(), person=b"hs-draft-page").hex()


def purge() -> int:
    count, _details = Draft.objects.filter(updated_at__lt=timezone.now() - KEEP_FOR).delete()
    return int(count)


def _already_saved(user: User, token: str) -> bool:
    return (
        bool(token)
        and SubmissionReceipt.objects.filter(token_hash=hash_token(f"{user.pk}|{token}")).exists()
    )


def keep(request: HttpRequest, user: User) -> bool:
    """Keep the form ``request`` sends as the draft of its page
    (``hs_draft_for``), replacing the one before. Returns whether it was kept.

    Nothing is kept for a path that is not a page of this site, for a form
    that was saved already (a last draft sent while the saved form was on
    its way), or without text; the account's oldest drafts go beyond
    :data:`MAX_PER_ACCOUNT`.
    """
    path = str(request.POST.get(FOR_FIELD, ""))
    if not path.startswith("/") or path.startswith("//") or not kept.shows_a_form(path):
        return False
    page = page_digest(user, path)
    fields = kept.fields_of(request)
    fields.pop(FOR_FIELD, None)
    if _already_saved(user, str(request.POST.get(ONCE_FIELD, ""))):
        Draft.objects.filter(user=user, page=page).delete()
        return False
    if not fields:
        return False
    sealed = kept.seal_for_account(user, {"path": path, "fields": fields}, _ad(user.pk, page))
    if sealed is None:
        return False
    with transaction.atomic():
        updated = Draft.objects.filter(user=user, page=page).update(
            sealed_key=sealed[0], payload=sealed[1], updated_at=timezone.now()
        )
        if not updated:
            try:
                with transaction.atomic():
                    Draft.objects.create(
                        user=user, page=page, sealed_key=sealed[0], payload=sealed[1]
                    )
            except IntegrityError:
                pass  # two drafts of one page at once: the other one is kept
        old = Draft.objects.filter(user=user).order_by("-updated_at")[MAX_PER_ACCOUNT:]
        Draft.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    purge()
    return True


def fill(request: HttpRequest, form: forms.Form) -> bool:
    """On a GET of a form page: fill ``form`` in with this account's draft of
    the page, if there is one it can open, and mark the request so that the
    page shows the note and the discard button. Call only after the page's
    access check. Text kept across a log-in (accounts.kept) comes first."""
    user = request.user
    if request.method != "GET" or not isinstance(user, User) or getattr(request, "hs_kept", False):
        return False
    row = Draft.objects.filter(user=user, page=page_digest(user, request.path)).first()
    if row is None:
        return False
    private = vault_session.load(request, user.pk)
    content = (
        kept.open_for_account(
            private, bytes(row.sealed_key), bytes(row.payload), _ad(user.pk, row.page)
        )
        if private is not None
        else None
    )
    if content is None or content.get("path") != request.path:
        return False
    fields: Any = content.get("fields")
    if not isinstance(fields, dict):
        return False
    kept.put_into(form, fields)
    request.hs_draft = {"at": row.updated_at, "note": NOTE}  # type: ignore[attr-defined]  # read by base.html
    return True


def done(user: User, path: str) -> None:
    """The form of ``path`` was saved (or its draft discarded): no draft."""
    Draft.objects.filter(user=user, page=page_digest(user, path)).delete()
