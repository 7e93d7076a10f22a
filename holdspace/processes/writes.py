"""Writes that are neither lost nor doubled (S52).

*Status changes* all go through :func:`transition`: inside the caller's
transaction it locks the row, checks the change against what the row holds
now — not what the page showed a moment ago — and only then lets the caller
write. When two people change the same thing at once, one wins and the other
is told, in plain words, what it is now; nothing is changed twice.

*Creating forms* carry a one-time token (:func:`offer`), claimed in the same
transaction that saves (:func:`save_once`). The same form sent twice — a
double click, a reload, Back and send again — saves once; the second time the
person is taken to what the first one saved.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import SubmissionReceipt, User, hash_token

if TYPE_CHECKING:
    from holdspace.processes.services import Refused

M = TypeVar("M", bound=models.Model)

# A status (or other plain value) -> the values it may change to.
Transitions = Mapping[str, Collection[str]]

ALREADY = _("It is already “%(now)s” — perhaps someone else just did it. Nothing was changed.")
MEANWHILE = _(
    "Someone changed this a moment ago: it is now “%(now)s”. Nothing was changed; please "
    "look at it again."
)
NOT_ALLOWED = _("It is “%(now)s” and cannot become “%(to)s”. Nothing was changed.")


def _refused(message: Any) -> Refused:
    # Imported late: the services import this module.
    from holdspace.processes.services import Refused

    return Refused(message)


# Locking -------------------------------------------------------------------------


def lock(instance: M) -> M:
    """Read ``instance``'s row again, locked until the transaction ends, into
    ``instance`` itself (like pretix's ``refresh_for_update``), and return it.

    On PostgreSQL this is SELECT … FOR UPDATE: a second writer waits here
    until the first commits, then reads what it wrote. SQLite ignores FOR
    UPDATE, but Holdspace begins its transactions IMMEDIATE (settings), so the
    transaction holds the database's write lock from its start and reads the
    latest committed row.

    Raises RuntimeError outside a transaction: a lock that ends with the
    statement protects nothing.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() must run inside transaction.atomic()")
    fresh = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    for field in instance._meta.concrete_fields:
        # Through __dict__: an encrypted text stays sealed until it is read.
        instance.__dict__[field.attname] = fresh.__dict__[field.attname]
    return instance


CHANGED_MEANWHILE = _("This was changed meanwhile. Please look at it again.")


def lock_version(instance: M, expected_version: int) -> M:
    """:func:`lock` ``instance``, whose form was opened at ``expected_version``
    (S38). Raises Refused, changing nothing, when someone saved it since."""
    lock(instance)
    if getattr(instance, "version") != expected_version:  # noqa: B009  (any versioned model)
        raise _refused(CHANGED_MEANWHILE)
    return instance


def label(instance: models.Model, field: str, value: Any) -> str:
    """How a value of ``field`` (a status) reads: its choice label."""
    model_field = instance._meta.get_field(field)
    choices = dict(getattr(model_field, "choices", None) or ())
    return str(choices.get(value, value))


def transition(
    instance: M,
    to: str,
    *,
    allowed: Transitions,
    field: str = "status",
    seen: str | None = None,
) -> str:
    """Lock ``instance``'s row and set ``field`` to ``to`` on it, if the row's
    current value may change to ``to``; the caller saves, in the same
    transaction, together with whatever belongs to the change. Returns the
    value before.

    ``seen`` is the value the person saw when they chose (default: what this
    request read before the lock). Raises Refused, saying what the value is
    now, when it already is ``to``; when someone changed it since it was seen
    (a choice made on what is no longer true is not carried out, even where
    the new value would allow it); or when ``allowed`` does not permit it.
    """
    before = seen if seen is not None else getattr(instance, field)
    lock(instance)
    now = getattr(instance, field)
    words = {"now": label(instance, field, now), "to": label(instance, field, to)}
    if now == to:
        raise _refused(ALREADY % words)
    if before != now:
        raise _refused(MEANWHILE % words)
    if to not in allowed.get(now, ()):
        raise _refused(NOT_ALLOWED % words)
    setattr(instance, field, to)
    return str(now)


def still(instance: M, condition: Callable[[M], bool], message: Any) -> M:
    """Lock ``instance``'s row and check ``condition`` on what it holds now;
    raises Refused with ``message`` when it no longer holds (someone was first)."""
    lock(instance)
    if not condition(instance):
        raise _refused(message)
    return instance


# One-time submissions ------------------------------------------------------------

FIELD = "submission"
# How long a used token is remembered: long enough for Back and send again.
RECEIPT_DAYS = 7
ALREADY_SAVED = _("This was already saved, so it was not saved twice. Here it is.")


class AlreadySaved(Exception):
    """The form was sent before; ``url`` is where its first sending led."""

    def __init__(self, url: str) -> None:
        super().__init__("already saved")
        self.url = url
        self.message = ALREADY_SAVED


def offer(form: forms.Form) -> forms.Form:
    """Give ``form`` a hidden one-time token. Shown again after an error, the
    form keeps the token it was sent with."""
    form.fields[FIELD] = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        max_length=64,
        initial=secrets.token_urlsafe(18),
    )
    return form


def _claim(user: User, token: str) -> SubmissionReceipt | None:
    """Mark ``token`` used, inside the saving transaction (none: a form sent
    without one, such as a script's). Raises AlreadySaved if it was used.

    On PostgreSQL a second insert of the same token waits for the first
    transaction and fails once it commits; on SQLite the second transaction
    only begins after the first one ended.
    """
    if not token:
        return None
    digest = hash_token(f"{user.pk}|{token}")
    old = timezone.now() - datetime.timedelta(days=RECEIPT_DAYS)
    SubmissionReceipt.objects.filter(created_at__lt=old).delete()
    try:
        with transaction.atomic():
            return SubmissionReceipt.objects.create(user=user, token_hash=digest)
    except IntegrityError:
        first = SubmissionReceipt.objects.filter(token_hash=digest).first()
        raise AlreadySaved(first.result if first else "") from None


def save_once(user: User, form: forms.Form, save: Callable[[dict[str, Any]], Any]) -> str:
    """Call ``save`` with the form's data (without its token) in one
    transaction with claiming the token; return the URL ``save``'s result
    leads to (a model, a URL name or a path).

    Raises AlreadySaved when the form was saved before, or whatever ``save``
    raises — then nothing is kept, the claim neither, and the form can be
    sent again.
    """
    data = dict(form.cleaned_data)
    token = str(data.pop(FIELD, "") or "")
    with transaction.atomic():
        receipt = _claim(user, token)
        url = resolve_url(save(data))
        if receipt is not None:
            SubmissionReceipt.objects.filter(pk=receipt.pk).update(result=url)
    return url


def fallback(request: HttpRequest, first: AlreadySaved) -> str:
    """Where to go when a form was already saved: where it led the first time."""
    return first.url or request.path
