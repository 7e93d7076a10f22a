"""The export for the survivor's side before deletion: a Markdown file of
what they may read, made on request, never stored."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from holdspace.closure.models import Closure
from holdspace.processes import party_reading, registry
from holdspace.processes.models import Party, Record
from holdspace.vault.fields import EncryptedTextField


def _day(value: datetime.date) -> str:
    return str(formats.date_format(value, "DATE_FORMAT"))


def _texts(record: Record) -> list[tuple[str, str]]:
    """The free texts of a record of any kind, with their labels."""
    specific = getattr(record, record.kind, record)
    found = []
    for field in type(specific)._meta.concrete_fields:
        if isinstance(field, EncryptedTextField) and field.model is not Record:
            value = str(getattr(specific, field.name) or "").strip()
            if value:
                found.append((str(field.verbose_name).capitalize(), value))
    return found


def _closure(closure: Closure | None) -> list[str]:
    if closure is None:
        return []
    lines = [f"## {_('How the process ended')}", ""]
    for label, text in (
        (_("What was reached"), closure.reached),
        (_("What was not reached"), closure.not_reached),
    ):
        if str(text).strip():
            lines += [f"### {label}", "", str(text), ""]
    for result in closure.results.all():
        lines += [f"- {result.criterion}: {result.get_reached_display()}"]
        if str(result.note).strip():
            lines += [f"  {result.note}"]
    if str(closure.statement).strip():
        lines += ["", f"### {_('Public statement')} ({closure.get_statement_status_display()})"]
        lines += ["", str(closure.statement), ""]
    return lines


def _header(title: str) -> list[str]:
    made = _("Made on %(date)s.") % {"date": _day(timezone.localdate())}
    return [f"# {title}", "", made, ""]


def for_group(records: Iterable[Record], closure: Closure | None) -> str:
    """What the survivor's support group may read of the process."""
    lines = _header(_("Export of the process for the survivor's side"))
    lines += _closure(closure)
    lines += ["", f"## {_('Chronology')}", ""]
    for record in records:
        label = str(registry.kind(record.kind).label).capitalize()
        lines += [f"### {_day(record.occurred_on)} – {label}", ""]
        for field, text in _texts(record):
            lines += [f"**{field}:**", "", text, ""]
    return "\n".join(lines) + "\n"


def for_her(party: Party, closure: Closure | None) -> str:
    """What the survivor reads on her own pages (their allow-lists)."""
    lines = _header(_("Export of what was shared with you"))
    lines += _closure(closure)
    lines += ["", f"## {_('What your groups shared with you')}", ""]
    for shared in party_reading.shared_with(party):
        heading = f"### {_day(shared.on)}" + (f" – {shared.title}" if shared.title else "")
        lines += [heading, "", shared.text, ""]
    return "\n".join(lines) + "\n"
