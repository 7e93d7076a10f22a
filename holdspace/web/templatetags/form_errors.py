"""Whether a page shows a refused form, for the "Error:" in its title."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms, template

register = template.Library()


def _refused(value: Any) -> bool:
    # Only forms the view has already checked: reading .errors of an unchecked
    # bound form would clean it a second time, from a template.
    return (
        isinstance(value, forms.BaseForm)
        and value.is_bound
        and bool(getattr(value, "_errors", None))
    )


def _values(value: Any) -> Iterable[Any]:
    yield value
    if isinstance(value, dict):
        yield from value.values()
    elif isinstance(value, list | tuple):
        yield from value


@register.simple_tag(takes_context=True)
def page_refused_a_form(context: template.Context) -> bool:
    """True when any form in the page's context (under any name, or one
    level down in a list or dict) was sent and refused."""
    return any(_refused(item) for value in context.flatten().values() for item in _values(value))
