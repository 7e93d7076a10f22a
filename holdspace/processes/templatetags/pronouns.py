"""Sentences about the person who caused harm, in the pronoun the process
chose: ``{% about_harming terms he=_("He answered") she=_("She answered")
they=_("They answered") none=_("The {term} answered") %}``.

Each choice is a whole sentence, so that every language can write it; the
tag only picks one (terminology.Terms.choose) and fills in ``{term}`` (the
process's words) and named values such as ``{date}``. Braces, not
``%(name)s``: Django looks up a template's ``_("…")`` with each ``%``
doubled, which the extracted catalogue entry does not have. The result is
escaped like any variable.
"""

from __future__ import annotations

from typing import Any

from django import template

from holdspace.processes.terminology import Terms

register = template.Library()


@register.simple_tag
def about_harming(subject: Any, *, he: str, she: str, they: str, none: str, **values: Any) -> str:
    """``subject``: a process's Terms, or the process itself."""
    terms: Terms = getattr(subject, "terms", subject)
    text = str(terms.choose(he=he, she=she, they=they, none=none))
    return text.format_map({"term": terms.harming, **values})
