"""The end of a process (DESIGN C19): the criteria agreed while it runs, the
closure with its outcome, statement and retention plan, and a reopening.

Process data: views read these only through ``holdspace.closure.access``.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from holdspace.accounts.models import User
from holdspace.processes.models import Process, Record
from holdspace.vault.fields import EncryptedTextField


class Criterion(models.Model):
    """A closure criterion the steering groups agreed while the process runs:
    what has to be true for the process to end. Readable by every member of
    the process (the process key)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(_("criterion"), key="process.data_key")
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return f"criterion {self.pk}"


class Closure(Record):
    """A process closed by its steering groups: what was reached and what was
    not, each criterion's result, an optional public statement that waits for
    the survivor's side, and the retention plan (what is kept, for whom, until
    when; the day everything else is deleted)."""

    class Statement(models.TextChoices):
        NONE = "none", pgettext_lazy("statement", "no statement")
        WAITING = "waiting", pgettext_lazy("statement", "waiting for approval")
        APPROVED = "approved", pgettext_lazy("statement", "approved")
        DECLINED = "declined", pgettext_lazy("statement", "declined")
        RELEASED = "released", pgettext_lazy("statement", "released")

    reached = EncryptedTextField(_("What was reached"), key="data_key")
    not_reached = EncryptedTextField(_("What was not reached"), key="data_key", blank=True)
    statement = EncryptedTextField(_("Public statement"), key="data_key", blank=True)
    statement_status = models.CharField(
        max_length=16, choices=Statement.choices, default=Statement.NONE
    )
    statement_answered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    statement_answered_on = models.DateField(null=True, blank=True)
    # Why the survivor's side declined the statement (the steering groups read it).
    statement_reason = EncryptedTextField(key="data_key", blank=True)
    kept = EncryptedTextField(_("What is kept, for whom, until when"), key="data_key", blank=True)
    delete_on = models.DateField(_("Delete everything else on"))

    def __str__(self) -> str:
        return f"closure {self.pk}"

    @property
    def releasable(self) -> bool:
        return self.statement_status == self.Statement.APPROVED


class CriterionResult(models.Model):
    """Whether one criterion was reached when the process closed (its text as
    it was then, with the closure's key)."""

    class Reached(models.TextChoices):
        YES = "yes", pgettext_lazy("criterion reached", "yes")
        PARTLY = "partly", pgettext_lazy("criterion reached", "partly")
        NO = "no", pgettext_lazy("criterion reached", "no")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveIntegerField(default=0)
    criterion = EncryptedTextField(_("criterion"), key="closure.data_key")
    reached = models.CharField(_("Reached?"), max_length=8, choices=Reached.choices)
    note = EncryptedTextField(_("note"), key="closure.data_key", blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"result {self.pk}"


class Reopening(Record):
    """A closed process opened again by its steering groups, with their reasons."""

    reasons = EncryptedTextField(_("Why the process is opened again"), key="data_key")

    def __str__(self) -> str:
        return f"reopening {self.pk}"
