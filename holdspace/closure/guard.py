"""A closed process is read-only (DESIGN C19): one guard, in two layers.

Why two layers, and why here rather than in each view or service:

1. **In the model layer** (:func:`refuse_writes_to_closed_processes`, a
   ``pre_save`` and ``pre_delete`` receiver for every model): saving or
   deleting a record of a closed process, a row that belongs to one (a
   revision, an audience row, an answer, a piece of evidence …), or the
   process row itself raises :class:`ProcessClosed`. No view, service, command
   or app that comes later can forget it, because it never has to ask. Events
   that Holdspace writes about people (someone left, an account was
   deactivated) stay possible: who may read a closed process can still
   change, what it holds cannot. ``QuerySet.update()`` sends no signal: the
   bulk status updates of ``commitments.note_due_dates`` leave closed
   processes out themselves.
2. **At the door** (:class:`ClosedProcessMiddleware`): a POST to any page of
   a closed process (found by the ``process_id``, ``group_id`` or
   ``record_id`` in its address) gets a calm page saying that the process is
   closed and showing what was typed, before any form is checked; a
   :class:`ProcessClosed` raised further in gets the same page. Only the
   closure app's own pages (reopening, the statement, the export, marked
   with :func:`allowed_when_closed`) pass.

Closing, reopening and deleting on the retention date write inside
:func:`closure_writes`, the only way past the guard.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db.models import Model
from django.db.models.signals import pre_delete, pre_save
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.processes.models import Group, Party, Process, Record
from holdspace.processes.services import Refused

CLOSED = _(
    "This process is closed, so nothing new can be written in it. Nothing was saved. "
    "The groups that steer it can open it again on its closure page."
)

# Processes whose closure app writes are under way in this context.
_ALLOWED: ContextVar[frozenset[uuid.UUID]] = ContextVar("closure_allowed", default=frozenset())

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


class ProcessClosed(Refused):
    """A write to a closed process; nothing was saved."""

    def __init__(self) -> None:
        super().__init__(CLOSED)


@contextmanager
def closure_writes(process_id: uuid.UUID) -> Iterator[None]:
    """Let the closure app's own changes to ``process_id`` through the guard
    (closing, the statement, reopening, deleting on the retention date)."""
    token = _ALLOWED.set(_ALLOWED.get() | {process_id})
    try:
        yield
    finally:
        _ALLOWED.reset(token)


def is_closed(process_id: uuid.UUID | None) -> bool:
    if process_id is None or process_id in _ALLOWED.get():
        return False
    return Process.objects.filter(pk=process_id, status=Process.Status.CLOSED).exists()


# The model layer -------------------------------------------------------------

# model -> the attnames of its foreign keys to records (filled on first use).
_RECORD_LINKS: dict[type[Model], tuple[str, ...]] = {}


def _record_links(model: type[Model]) -> tuple[str, ...]:
    if model not in _RECORD_LINKS:
        _RECORD_LINKS[model] = tuple(
            field.attname
            for field in model._meta.concrete_fields
            if field.many_to_one
            and isinstance(field.related_model, type)
            and issubclass(field.related_model, Record)
        )
    return _RECORD_LINKS[model]


def _closed_record(record_ids: list[Any]) -> bool:
    """Whether one of these records (not an event) belongs to a closed process."""
    rows = Record.objects.filter(pk__in=record_ids, process__status=Process.Status.CLOSED)
    allowed = _ALLOWED.get()
    found = rows.exclude(kind=Record.Kind.EVENT).values_list("process_id", flat=True)
    return any(process_id not in allowed for process_id in found)


def _writes_to_closed_process(instance: Model) -> bool:
    if isinstance(instance, Process):
        return instance.pk is not None and is_closed(instance.pk)
    if isinstance(instance, Record):
        if instance.kind == Record.Kind.EVENT and getattr(instance, "about_id", None) is None:
            return False  # about people and groups (someone left), never about content
        return is_closed(instance.process_id)
    links = [getattr(instance, attname) for attname in _record_links(type(instance))]
    links = [link for link in links if link is not None]
    return bool(links) and _closed_record(links)


def refuse_writes_to_closed_processes(sender: Any, instance: Model, **kwargs: Any) -> None:
    """Raises ProcessClosed before a closed process's data is saved or deleted."""
    if kwargs.get("raw"):
        return  # loading fixtures
    if _writes_to_closed_process(instance):
        raise ProcessClosed


def guarded_models() -> list[type[Model]]:
    """The process row, every kind of record, and every model that points at
    a record (found when the apps are ready: a new app needs no edit here)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Process | Record) or _record_links(model)
    ]


def connect() -> None:
    """Connect the guard to the guarded models only: a receiver for every
    model would cost each save a call and every bulk delete Django's fast
    path (sessions, receipts)."""
    for model in guarded_models():
        uid = f"closure-guard-{model._meta.label_lower}"
        pre_save.connect(refuse_writes_to_closed_processes, sender=model, dispatch_uid=uid)
        pre_delete.connect(refuse_writes_to_closed_processes, sender=model, dispatch_uid=uid)


# At the door -------------------------------------------------------------------

ALLOWED_ATTRIBUTE = "hs_allowed_when_closed"


def allowed_when_closed(view: V) -> V:
    """Mark a view of the closure app that may write to a closed process."""
    setattr(view, ALLOWED_ATTRIBUTE, True)
    return view


def _process_of(kwargs: dict[str, Any]) -> uuid.UUID | None:
    """The process a page belongs to, from its address (one query at most)."""
    if isinstance(kwargs.get("process_id"), uuid.UUID):
        found: uuid.UUID = kwargs["process_id"]
        return found
    if isinstance(kwargs.get("group_id"), uuid.UUID):
        rows = Group.objects.filter(pk=kwargs["group_id"])
    elif isinstance(kwargs.get("record_id"), uuid.UUID):
        rows = Record.objects.filter(pk=kwargs["record_id"])  # type: ignore[assignment]  # both have process_id
    else:
        return None
    return rows.values_list("process_id", flat=True).first()


def _belongs(user: User, process_id: uuid.UUID, kwargs: dict[str, Any]) -> bool:
    """Whether the account belongs to the process (a party, or a member of
    the group in the address, or one who may read the record in it).
    Otherwise the view answers as for anyone else (404), telling nothing."""
    from holdspace.processes import access

    if _is_party(user, process_id):
        return True
    groups = access.group_ids_for(user, process_id)
    if not groups:
        return False
    if isinstance(kwargs.get("group_id"), uuid.UUID):
        return kwargs["group_id"] in groups  # a group's pages are for its members
    record = kwargs.get("record_id")
    if not isinstance(record, uuid.UUID):
        return True
    visible = access.records_visible_to(user, Process(pk=process_id))
    return visible.filter(pk=record).exists()


def _is_party(user: User, process_id: uuid.UUID) -> bool:
    return Party.objects.filter(process_id=process_id, account=user).exists()


def closed_page(request: HttpRequest) -> HttpResponseBase:
    """What a write to a closed process answers: nothing was saved (409), and
    what was typed is shown back to copy (escaped, never stored)."""
    from holdspace.web import texts

    typed = texts.typed_texts(request.POST) if request.method == "POST" else []
    return render(request, "closure/closed.html", {"message": CLOSED, "typed": typed}, status=409)


class ClosedProcessMiddleware:
    """Refuses POSTs to the pages of a closed process, and answers a
    ProcessClosed raised by a view, with the same calm page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.method != "POST" or getattr(view_func, ALLOWED_ATTRIBUTE, False):
            return None
        user = getattr(request, "user", None)
        if not isinstance(user, User):
            return None
        process_id = _process_of(view_kwargs)
        if process_id is None or not is_closed(process_id):
            return None
        if not _belongs(user, process_id, view_kwargs):
            return None
        return closed_page(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        if isinstance(exception, ProcessClosed):
            return closed_page(request)
        return None
