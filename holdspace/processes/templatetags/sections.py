"""The breadcrumb of a page that belongs to another app's section of a
process (the demands' pages, the contact log …), and the navigation inside
a process, from the registry."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.text import capfirst

from holdspace.processes import registry

register = template.Library()


@register.simple_tag
def section_crumb(name: str, process: Any) -> dict[str, Any] | None:
    """``{"label", "url"}`` of the section ``name`` for ``process``, if it has a page."""
    section = registry.SECTIONS.get(name)
    if section is None or section.crumb is None or process is None:
        return None
    label, url_name = section.crumb
    return {"label": label, "url": reverse(url_name, args=[process.pk])}


@register.simple_tag
def process_nav(process: Any, current: str = "") -> list[dict[str, Any]]:
    """``{"label", "url", "current"}`` for each place of the navigation inside
    ``process``; ``current`` names the place the page belongs to."""
    links = []
    for link in registry.process_nav():
        url = reverse(link.url_name, args=[process.pk])
        links.append(
            {
                "label": link.label,
                "url": f"{url}#{link.anchor}" if link.anchor else url,
                "current": link.name == current,
            }
        )
    return links


def _section_of(record: Any) -> dict[str, Any] | None:
    """The crumb of the section that the app of ``record``'s kind has, if any."""
    kind = registry.KINDS.get(record.kind)
    app, named = (kind.app, kind.section) if kind is not None else ("", "")
    for section in registry.sections("process"):
        if (section.name == named if named else section.app == app) and section.crumb is not None:
            label, url_name = section.crumb  # by id: no query for the process
            return {"label": label, "url": reverse(url_name, args=[record.process_id])}
    return None


@register.simple_tag
def record_crumbs(record: Any, section: str = "") -> list[dict[str, Any]]:
    """The crumbs that lead to ``record`` below its process: its section's
    (unless the page already names ``section``), then the record's own."""
    crumbs = []
    if not section and (crumb := _section_of(record)) is not None:
        crumbs.append(crumb)
    label = registry.KINDS[record.kind].label if record.kind in registry.KINDS else record.kind
    crumbs.append({"label": capfirst(label), "url": record.get_absolute_url()})
    return crumbs


@register.simple_tag
def back_from(record: Any) -> str:
    """Where "Back" leads from ``record``'s page: where its breadcrumb ends
    (its section's page, or the process)."""
    crumb = _section_of(record)
    return crumb["url"] if crumb is not None else reverse("hs-process", args=[record.process_id])
