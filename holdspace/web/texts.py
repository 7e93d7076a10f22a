"""The free-text fields of every form, and what a request holding them weighs.

Used where a request cannot be saved (a full disk, a text too long) to show
people what they typed, and by the test that sizes the request limit
(DATA_UPLOAD_MAX_MEMORY_SIZE) above the largest form Holdspace accepts.

Forms count characters (``max_length``); requests are limited in bytes. A
browser sends a form URL-encoded: every byte of UTF-8 that is not plain
ASCII becomes ``%XX``, so one character (at most 4 bytes) can take 12 bytes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.urls import get_resolver
from django.utils.functional import Promise

#: The most bytes one character takes in a URL-encoded form (4 bytes × "%XX").
BYTES_PER_CHARACTER = 12

# Log-in, password, code and recovery-key forms hold credentials, not texts
# worth keeping; they are never shown back.
_NOT_TEXT_APPS = ("holdspace.accounts.",)
_SECRET_WORDS = ("password", "token", "recovery", "secret", "csrf")


@dataclass(frozen=True)
class TextField:
    """A free-text field as the forms declare it (one name may serve several forms)."""

    name: str
    labels: tuple[str | Promise, ...]
    max_length: int | None


@dataclass(frozen=True)
class Typed:
    """What someone typed into one field, to be shown back (never stored, never logged)."""

    label: str | Promise | None
    value: str
    max_length: int | None

    @property
    def length(self) -> int:
        return len(self.value)


def declared_fields(form: type[forms.BaseForm]) -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = getattr(form, "base_fields", {})
    return fields


def form_classes() -> list[type[forms.BaseForm]]:
    """Every form class Holdspace's views can use (imports the views first)."""
    get_resolver().url_patterns  # noqa: B018  (importing the views imports their forms)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            module = sub.__module__
            if module.startswith("holdspace.") and ".tests." not in module and sub not in found:
                found.append(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def is_free_text(form: type[forms.BaseForm], name: str, field: forms.Field) -> bool:
    if form.__module__.startswith(_NOT_TEXT_APPS):
        return False
    if not isinstance(field, forms.CharField) or isinstance(field, forms.EmailField):
        return False
    if isinstance(field.widget, forms.PasswordInput | forms.HiddenInput):
        return False
    return not any(word in name.lower() for word in _SECRET_WORDS)


@functools.cache
def text_fields() -> dict[str, TextField]:
    """Every free-text field name of every form, with its labels and the
    largest max_length any form gives it (None: one form sets no limit)."""
    labels: dict[str, list[str | Promise]] = {}
    limits: dict[str, int | None] = {}
    for form in form_classes():
        for name, field in declared_fields(form).items():
            if not (isinstance(field, forms.CharField) and is_free_text(form, name, field)):
                continue
            seen = labels.setdefault(name, [])
            if field.label is not None and str(field.label) not in [str(x) for x in seen]:
                seen.append(field.label)
            limit = field.max_length
            if name not in limits:
                limits[name] = limit
            elif limits[name] is not None:
                previous = limits[name]
                limits[name] = None if limit is None or previous is None else max(previous, limit)
    return {name: TextField(name, tuple(labels[name]), limits[name]) for name in sorted(labels)}


def typed_texts(data: QueryDict) -> list[Typed]:
    """The free texts in posted ``data``, in the order they were sent. Empty
    fields, choices, dates and credentials are left out."""
    known = text_fields()
    shown: list[Typed] = []
    for name in data:
        field = known.get(name)
        if field is None:
            continue
        for value in data.getlist(name):
            if value.strip():
                label = field.labels[0] if len(field.labels) == 1 else None
                shown.append(Typed(label, value, field.max_length))
    return shown


def largest_form_bytes() -> tuple[str, int]:
    """The form whose text fields, filled to their limits with 4-byte
    characters, make the biggest URL-encoded request: (its name, bytes)."""
    largest = ("", 0)
    for form in form_classes():
        total = 0
        for name, field in declared_fields(form).items():
            if isinstance(field, forms.CharField) and field.max_length is not None:
                total += len(name) + 2 + field.max_length * BYTES_PER_CHARACTER
        if total > largest[1]:
            largest = (f"{form.__module__}.{form.__qualname__}", total)
    return largest
