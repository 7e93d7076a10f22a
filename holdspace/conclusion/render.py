"""An edition as a page, a printable HTML file, Markdown and a PDF.

Every form starts from the same plain data (holdspace.conclusion.build), so a
released edition looks the same however it is downloaded. File names say what
the file is, for whom and when — never a name.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from holdspace.conclusion.models import Audience
from holdspace.lib import pdf
from holdspace.processes.terminology import Terms

# Rows of the chronology laid out together in a PDF (see holdspace.lib.pdf).
CHUNK_ROWS = 1000

FORMATS = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}


def label(made_for: str, terms: Terms) -> str:
    """Whom an edition is for, in the process's words."""
    if made_for == Audience.SURVIVOR:
        return _("For the %(term)s's side") % {"term": terms.harmed}
    if made_for == Audience.SUPERVISION:
        return _("For the supervision group")
    return _("For the wider community")


def dated(data: dict[str, Any]) -> dict[str, Any]:
    """The data with its ISO dates as dates, for templates."""

    def day(value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)

    return {
        **data,
        "made_on": day(data["made_on"]),
        "chronology": [{**row, "on": day(row["on"])} for row in data["chronology"]],
        "demands": [
            {**d, "history": [{**h, "on": day(h["on"])} for h in d["history"]]}
            for d in data["demands"]
        ],
        "decisions": [{**d, "on": day(d["on"])} for d in data["decisions"]],
    }


def _document(data: dict[str, Any], heading: str, **extra: Any) -> str:
    return render_to_string(
        "conclusion/export.html",
        {
            "data": data,
            "label": heading,
            "language": translation.get_language() or "en",
            "rows": None,
            **extra,
        },
    )


def html_file(data: dict[str, Any], heading: str) -> str:
    """A printable page of its own (print CSS inside), chronology included."""
    content = dated(data)
    return _document(content, heading, rows=content["chronology"], first=True)


def _pdf_parts(data: dict[str, Any], heading: str) -> Iterator[str]:
    content = dated(data)
    yield _document(content, heading)
    rows = content["chronology"]
    for start in range(0, max(len(rows), 1), CHUNK_ROWS):
        yield _document(
            content,
            heading,
            continued=True,
            rows=rows[start : start + CHUNK_ROWS],
            first=start == 0,
        )


def pdf_file(data: dict[str, Any], heading: str) -> bytes:
    """The PDF: the written parts, demands, decisions and figures, then the
    chronology as a table, laid out in parts of :data:`CHUNK_ROWS` rows."""
    return pdf.render(_pdf_parts(data, heading), title=_("Conclusion report"))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+\.)", re.MULTILINE)


def _md(text: str) -> str:
    """Text as Markdown shows it literally: no emphasis, link, table cell,
    heading or list made of what someone typed."""
    return _LINE_START.sub(r"\1\\\2", _MARKDOWN_SPECIAL.sub(r"\\\1", text))


def _day(value: str) -> str:
    return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")


def markdown_file(data: dict[str, Any], heading: str) -> str:
    """The edition as Markdown."""
    lines = [f"# {_('Conclusion report')}", "", _md(heading), ""]
    lines += [_("Drawn on %(date)s") % {"date": _day(data["made_on"])}, ""]
    if data["process"]:
        lines += [_md(data["process"]), ""]
    for part in data["written"]:
        lines += [
            f"## {_md(part['heading'])}",
            "",
            _md(part["text"]) or _("Nothing written yet."),
            "",
        ]
    lines += [f"## {_('The demands and what became of them')}", ""]
    if not data["demands"]:
        lines += [_("No demand is part of this edition."), ""]
    for number, demand in enumerate(data["demands"], 1):
        lines += [
            f"### {_('Demand %(number)s') % {'number': number}}",
            "",
            _md(demand["wording"]),
            "",
        ]
        lines += [f"**{_('Outcome:')}** {_md(demand['outcome'])}", ""]
        lines += [f"- {_day(step['on'])}: {_md(step['what'])}" for step in demand["history"]]
        lines += [""]
    lines += [f"## {_('Decisions and their reasons')}", ""]
    if not data["decisions"]:
        lines += [_("No decision is part of this edition."), ""]
    for decision in data["decisions"]:
        lines += [f"### {_('Decided on %(date)s') % {'date': _day(decision['on'])}}", ""]
        lines += [_md(decision["proposal"]), ""]
        outcome = " — ".join(filter(None, [decision["result"], decision["outcome"]]))
        lines += [f"**{_('Outcome:')}** {_md(outcome)}", ""]
        if decision["reasons"]:
            lines += [f"**{_('Why:')}** {_md(decision['reasons'])}", ""]
    lines += [f"## {_('Contact in figures')}", ""]
    lines += [f"- {_md(name)}: {value}" for name, value in data["figures"]] or [
        _("No contact is part of this edition.")
    ]
    lines += ["", f"## {_('Chronology')}", ""]
    lines += [f"| {_('Date')} | {_('What')} | {_('Written by')} |", "|---|---|---|"]
    for row in data["chronology"]:
        what = capfirst(row["what"]) + (f": {row['summary']}" if row["summary"] else "")
        lines.append(f"| {row['on']} | {_md(what)} | {_md(row['by'])} |")
    return "\n".join(lines) + "\n"


def filename(made_for: str, made_on: str, extension: str) -> str:
    """``conclusion-report-community-2026-11-30.pdf``: no name, ever."""
    return f"conclusion-report-{made_for}-{made_on}.{extension}"


def download(data: dict[str, Any], heading: str, extension: str) -> HttpResponse:
    """The edition as a file to save: never kept in a cache."""
    body: str | bytes
    if extension == "pdf":
        body = pdf_file(data, heading)
    elif extension == "md":
        body = markdown_file(data, heading)
    else:
        body = html_file(data, heading)
    response = HttpResponse(body, content_type=FORMATS[extension])
    name = filename(data["edition"], data["made_on"], extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
