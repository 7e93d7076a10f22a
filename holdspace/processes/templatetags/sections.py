"""The breadcrumb of a page that belongs to another app's section of a
process (the demands' pages, the contact log …), from the registry."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

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
