"""Periodic reports to the supervision group (DESIGN C12).

A report is drafted from the records of its period that the writing group
may read (the *basis*: one dated line per record, each linking to it), the
group edits the draft's text, members sign it off, and a coordinator sends
it to the supervision group. Once sent it is frozen: what it said and the
lines it was built on are kept as they were at sending (the *snapshot*). A
correction is a new report that says what changed.

The table is still called ``contact_report``: reports began as part of the
contact app, and moving them kept every row.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.processes.models import Record
from holdspace.vault.fields import EncryptedTextField


class Report(Record):
    """A report to the supervision group for a period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")

    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    text = EncryptedTextField(_("report"), key="data_key")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    # JSON: the lines the draft was built from (see reports.digest.Line).
    basis = EncryptedTextField(_("lines from the records"), key="data_key", blank=True)
    # A correction says what changed since the report it corrects.
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )
    what_changed = EncryptedTextField(_("what changed"), key="data_key", blank=True)
    # The day it was sent (given, back-datable) and when that was written down.
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # JSON: the text, the lines and the sign-offs as they were when it was sent.
    snapshot = EncryptedTextField(key="data_key", blank=True)

    CONTENT_FIELDS = ("occurred_on", "period_from", "period_to", "text", "what_changed")

    class Meta:
        db_table = "contact_report"

    def __str__(self) -> str:
        return f"report {self.pk}"

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    def lines(self) -> list[dict[str, Any]]:
        """The lines it is built on: as sent, once it is sent."""
        found = self.sent().get("lines", []) if self.is_sent else self.drafted_lines()
        return found if isinstance(found, list) else []

    def drafted_lines(self) -> list[dict[str, Any]]:
        """The lines it was drafted from (its basis)."""
        found = _loads(self.basis, [])
        return found if isinstance(found, list) else []

    def sent(self) -> dict[str, Any]:
        """What it said when it was sent (empty for a draft)."""
        found = _loads(self.snapshot, {})
        return found if isinstance(found, dict) else {}

    def shown_text(self) -> str:
        return str(self.sent().get("text", self.text)) if self.is_sent else str(self.text)


def _loads(value: object, default: Any) -> Any:
    if not isinstance(value, str) or not value:
        return default
    try:
        return json.loads(value)
    except ValueError:
        return default


class Signoff(models.Model):
    """A member of the writing group agreed to a version of the report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="signoffs")
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField()
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user", "version"], name="one_signoff_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"signoff {self.pk}"
