"""Sentences about the person who caused harm, in the pronoun the process
chose (each written whole for each choice; see terminology.Terms.pick)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from holdspace.processes.terminology import Terms


def relation(terms: Terms) -> str:
    return terms.pick(
        he=_("Who they are to him"),
        she=_("Who they are to her"),
        they=_("Who they are to them"),
        none=_("Who they are to the %(term)s"),
    )


def told_by_help(terms: Terms) -> str:
    return terms.pick(
        he=_("For example: two of the contact group; he himself, with us present."),
        she=_("For example: two of the contact group; she herself, with us present."),
        they=_("For example: two of the contact group; they themselves, with us present."),
        none=_("For example: two of the contact group; the %(term)s, with us present."),
    )


def duty_whom(terms: Terms) -> str:
    return terms.pick(
        he=_("Whom he says he told"),
        she=_("Whom she says she told"),
        they=_("Whom they say they told"),
        none=_("Whom the %(term)s says was told"),
    )


def duty_day(terms: Terms) -> str:
    return terms.pick(
        he=_("The day he says he told them"),
        she=_("The day she says she told them"),
        they=_("The day they say they told them"),
        none=_("The day the %(term)s says they were told"),
    )


def confirmations(terms: Terms) -> list[tuple[str, str]]:
    return [
        (
            "confirmed",
            terms.pick(
                he=_("they confirm he told them"),
                she=_("they confirm she told them"),
                they=_("they confirm they were told by them"),
                none=_("they confirm the %(term)s told them"),
            ),
        ),
        (
            "denied",
            terms.pick(
                he=_("they say he did not"),
                she=_("they say she did not"),
                they=_("they say they were not told"),
                none=_("they say the %(term)s did not"),
            ),
        ),
    ]


def told_floor(terms: Terms) -> Any:
    """The floor's message, with %(date)s left for day_it_happened to fill in."""
    return terms.pick(
        he=_("He says he told them on %(date)s. Choose that day or a later one."),
        she=_("She says she told them on %(date)s. Choose that day or a later one."),
        they=_("They say they told them on %(date)s. Choose that day or a later one."),
        none=_("The %(term)s says they were told on %(date)s. Choose that day or a later one."),
        date="%(date)s",
    )


def duty_saved(terms: Terms) -> str:
    return terms.pick(
        he=_("Saved. Ask those he says he told whether he did."),
        she=_("Saved. Ask those she says she told whether she did."),
        they=_("Saved. Ask those they say they told whether they did."),
        none=_(
            "Saved. Ask those who were told, in the words of the %(term)s, whether it happened."
        ),
    )
