"""The conclusion report of a process and its released editions.

The report (a record of kind ``conclusion``) holds what its group writes:
what was achieved, what was not, and the lessons. Everything else in it —
the chronology, the demands, the decisions, the figures — is drawn from the
records when an edition is previewed or released (holdspace.conclusion.build).

An *edition* is the report for one audience, with only what that audience may
read and only the names it may see. Releasing one freezes it: its content is
kept as it was (encrypted with the edition's own key, sealed to the groups of
its audience) and never changes afterwards.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.processes.models import Record
from holdspace.vault.fields import EncryptedTextField, UnreadableText


class Audience(models.TextChoices):
    """Who an edition is for (its label uses the process's terms in pages)."""

    SUPERVISION = "supervision", _("the supervision group")
    SURVIVOR = "survivor", _("the survivor's side")
    COMMUNITY = "community", _("the wider community")


class Conclusion(Record):
    """The conclusion report of one process: one per process."""

    achieved = EncryptedTextField(_("What was achieved"), key="data_key", blank=True)
    not_achieved = EncryptedTextField(_("What was not achieved"), key="data_key", blank=True)
    lessons = EncryptedTextField(_("Lessons for others"), key="data_key", blank=True)

    # The fields an edit may change, in the order a revision keeps them.
    CONTENT_FIELDS = ("occurred_on", "achieved", "not_achieved", "lessons")

    def __str__(self) -> str:
        return f"conclusion {self.pk}"


class Edition(Record):
    """One released edition of a conclusion report, frozen."""

    # Not "conclusion", "edition" nor "report": those name kinds' rows on every Record.
    made_from = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="editions")
    made_for = models.CharField(max_length=16, choices=Audience.choices)
    # The edition as released, as JSON (see holdspace.conclusion.build.Content).
    content = EncryptedTextField(key="data_key")
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["made_from", "made_for"], name="one_edition_per_audience"
            )
        ]

    def __str__(self) -> str:
        return f"{self.made_for} edition {self.pk}"

    @property
    def data(self) -> dict[str, Any]:
        """The frozen content; empty when this account cannot open it."""
        if isinstance(self.content, UnreadableText) or not self.content:
            return {}
        loaded: dict[str, Any] = json.loads(self.content)
        return loaded
