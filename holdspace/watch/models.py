"""The watchdog's settings and memory: each process's cadences, who wants
reminders by e-mail, which reminders went out, and calendar feeds.

Nothing here holds process content. A reminder address must be readable
without anybody's key (reminders go out while nobody is logged in), so it is
sealed with a key derived from the instance key instead (see
``vault.instance.seal``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.processes.models import Process
from holdspace.vault import instance

DEFAULT_CONTACT_DAYS = 90
DEFAULT_NO_ANSWER_DAYS = 14
DEFAULT_REPORT_DAYS = 90
# What secrets.token_urlsafe(32) gives: anything else is not a feed.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


class Cadence(models.Model):
    """How often a process wants contact and reports, and how long to wait
    for an answer before the watchdog speaks up."""

    process = models.OneToOneField(
        Process, primary_key=True, on_delete=models.CASCADE, related_name="cadence"
    )
    contact_days = models.PositiveIntegerField(
        _("contact at least every … days"), default=DEFAULT_CONTACT_DAYS
    )
    no_answer_days = models.PositiveIntegerField(
        _("say so when he has not answered for … days"), default=DEFAULT_NO_ANSWER_DAYS
    )
    report_days = models.PositiveIntegerField(
        _("report to supervision every … days"), default=DEFAULT_REPORT_DAYS
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"cadence of {self.process_id}"


class ReminderAddress(models.Model):
    """Where one account wants its content-free reminders, if anywhere."""

    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="reminder_address"
    )
    sealed_email = models.BinaryField()
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"reminders for {self.user_id}"

    # The address is sealed with a key from the instance key (the server reads
    # it while nobody is logged in), bound to its account: one place for both.
    PURPOSE = "reminder-address"

    @staticmethod
    def _ad(user_id: Any) -> str:
        return f"reminder|{user_id}"

    @staticmethod
    def seal(user_id: Any, email: str) -> bytes:
        return instance.seal(ReminderAddress.PURPOSE, email, ReminderAddress._ad(user_id))

    @property
    def email(self) -> str:
        """The address; raises crypto.CryptoError if the row was tampered with."""
        return instance.unseal(self.PURPOSE, bytes(self.sealed_email), self._ad(self.user_id))


class SentReminder(models.Model):
    """An alert a member was already reminded of (kind, subject, due date and
    severity in one key), so that no tick sends it twice."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="remind_once_per_alert")
        ]

    def __str__(self) -> str:
        return f"reminded {self.user_id}"


class CalendarFeed(models.Model):
    """A secret address for one account's calendar. Only a hash of the token
    is stored; revoking makes the address answer 404 for good."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> tuple[CalendarFeed, str]:
        """A new feed for ``user`` (earlier ones are revoked) and its token."""
        token = secrets.token_urlsafe(32)
        cls.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
        feed = cls.objects.create(user=user, token_hash=cls.hash_token(token))
        return feed, token

    @classmethod
    def find(cls, token: str) -> CalendarFeed | None:
        if not TOKEN_SHAPE.fullmatch(token):
            return None
        return (
            cls.objects.filter(token_hash=cls.hash_token(token), revoked_at=None)
            .select_related("user")
            .first()
        )
