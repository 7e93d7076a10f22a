"""The words a process uses for the people at its centre.

Groups choose how they speak about the person who was harmed and the person
who caused harm; every page of the process uses their choice, in English and
German.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HarmedTerm(models.TextChoices):
    SURVIVOR = "survivor", pgettext_lazy("term", "survivor")
    VICTIM = "victim", pgettext_lazy("term", "victim")
    PERSON_HARMED = "person_harmed", pgettext_lazy("term", "person harmed")


class HarmingTerm(models.TextChoices):
    PERSON_WHO_CAUSED_HARM = (
        "person_who_caused_harm",
        pgettext_lazy("term", "person who caused harm"),
    )
    PERPETRATOR = "perpetrator", pgettext_lazy("term", "perpetrator")


class HarmingPronoun(models.TextChoices):
    """How the pages speak about the person who caused harm mid-sentence.
    Each sentence is written whole for each choice (Terms.pick), never pieced
    together from a pronoun."""

    HE = "he", _("he / him")
    SHE = "she", _("she / her")
    THEY = "they", _("they / them")
    NONE = "none", _("no pronoun: the words chosen above")


# Capitalised forms for headings and the start of sentences.
_HARMED_TITLE: dict[str, Promise] = {
    HarmedTerm.SURVIVOR: pgettext_lazy("term title", "Survivor"),
    HarmedTerm.VICTIM: pgettext_lazy("term title", "Victim"),
    HarmedTerm.PERSON_HARMED: pgettext_lazy("term title", "Person harmed"),
}
_HARMING_TITLE: dict[str, Promise] = {
    HarmingTerm.PERSON_WHO_CAUSED_HARM: pgettext_lazy("term title", "Person who caused harm"),
    HarmingTerm.PERPETRATOR: pgettext_lazy("term title", "Perpetrator"),
}

HARMED_HELP = _("How your groups speak about the person who was harmed.")
HARMING_HELP = _("How your groups speak about the person who caused the harm.")
PRONOUN_HELP = _("The pages use it in sentences such as “He answered” or “She answered”.")


@dataclass(frozen=True)
class Terms:
    """Terms of one process, ready for templates: ``{{ terms.harmed }}``."""

    harmed_key: str
    harming_key: str
    pronoun: str = HarmingPronoun.HE

    @property
    def harmed(self) -> Promise:
        return HarmedTerm(self.harmed_key).label

    @property
    def harming(self) -> Promise:
        return HarmingTerm(self.harming_key).label

    @property
    def harmed_title(self) -> Promise:
        return _HARMED_TITLE[self.harmed_key]

    @property
    def harming_title(self) -> Promise:
        return _HARMING_TITLE[self.harming_key]

    def choose(self, *, he: Any, she: Any, they: Any, none: Any) -> Any:
        """The one of four whole sentences written for this process's pronoun."""
        chosen = {
            HarmingPronoun.HE: he,
            HarmingPronoun.SHE: she,
            HarmingPronoun.THEY: they,
            HarmingPronoun.NONE: none,
        }
        return chosen.get(HarmingPronoun(self.pronoun), he)

    def pick(self, *, he: Any, she: Any, they: Any, none: Any, **values: Any) -> str:
        """The sentence for this process's pronoun, with ``%(term)s`` (the
        process's words for the person who caused harm) and ``values`` filled in."""
        text = self.choose(he=he, she=she, they=they, none=none)
        return str(text) % {"term": self.harming, **values}
