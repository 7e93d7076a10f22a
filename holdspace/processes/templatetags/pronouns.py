"""Sentences about the person who caused harm, in the pronoun the process
chose: ``{% about_harming terms he=_("He answered.") she=_("She answered.")
they=_("They answered.") none=_("The %(term)s answered.") %}``.

Each choice is a whole sentence, so that every language can write it; the
tag only picks one (terminology.Terms.pick) and fills in named values such as
``%(date)s``. The result is escaped like any variable.
"""

from __future__ import annotations

from typing import Any

from django import template

from holdspace.processes.terminology import Terms

register = template.Library()


def _placeholders(text: Any) -> str:
    # A template's _("…") doubles each % (so its msgid matches the catalogue).
    return str(text).replace("%%", "%")


@register.simple_tag
def about_harming(terms: Terms, *, he: str, she: str, they: str, none: str, **values: Any) -> str:
    return terms.pick(
        he=_placeholders(he),
        she=_placeholders(she),
        they=_placeholders(they),
        none=_placeholders(none),
        **values,
    )
