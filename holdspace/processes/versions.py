"""Showing a record's content fields by their labels: for the history of
earlier versions and for an edit conflict, whatever the kind of record."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import formats


@dataclass(frozen=True)
class Row:
    label: str
    value: str


def _shown(field: models.Field[Any, Any], value: Any) -> str:
    if isinstance(field, models.DateField) and isinstance(value, str) and value:
        value = datetime.date.fromisoformat(value)
    if isinstance(field, models.TimeField) and isinstance(value, str) and value:
        value = datetime.time.fromisoformat(value)
    if isinstance(value, datetime.date):
        return str(formats.date_format(value, "DATE_FORMAT"))
    if isinstance(value, datetime.time):
        return str(formats.time_format(value, "H:i"))
    return "" if value is None else str(value)


def content_rows(model: type[models.Model], values: Mapping[str, Any] | str) -> list[Row]:
    """``values`` (field → value) of ``model``'s content fields, labelled; a
    revision that cannot be opened reads as one unlabelled row."""
    if isinstance(values, str):  # an UnreadableText
        return [Row("", values)]
    rows = []
    for name in getattr(model, "CONTENT_FIELDS", ()):
        if name in values:
            field = model._meta.get_field(name)
            assert isinstance(field, models.Field)  # noqa: S101  (content fields are columns)
            label = str(field.verbose_name or name)
            rows.append(Row(label[:1].upper() + label[1:], _shown(field, values[name])))
    return rows


def current_values(record: models.Model) -> dict[str, Any]:
    return {name: getattr(record, name) for name in getattr(type(record), "CONTENT_FIELDS", ())}
