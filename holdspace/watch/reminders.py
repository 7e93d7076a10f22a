"""Content-free e-mail reminders (S35): "something needs your attention".

Each member with an address gets at most one e-mail per tick, and only for
alerts they were not reminded of yet (the same alert at the same severity is
remembered), so a tick may run at any frequency and from several places at
once: the row lock on the member's address lets one of them send.
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext, override

from holdspace.accounts.models import User
from holdspace.processes import access
from holdspace.watch import collect, rules
from holdspace.watch.models import ReminderAddress, SentReminder

log = logging.getLogger("holdspace.watch")


def _message(user: User) -> tuple[str, str]:
    with override(user.language or settings.LANGUAGE_CODE):
        subject = gettext("Holdspace")
        body = gettext(
            "Something in Holdspace needs your attention. Please log in to see what it is:"
        )
        closing = gettext(
            "You receive this because you asked for reminders. You can turn them off under "
            "“Your account”."
        )
    return subject, f"{body}\n\n{settings.BASE_URL}/\n\n{closing}\n"


def send_reminders(today: datetime.date | None = None) -> int:
    """Remind every member who wants it of their new alerts. Returns how many
    e-mails went out."""
    if not settings.EMAIL_ENABLED:
        return 0
    alerts = collect.current_alerts(today)
    sent = 0
    for user_id in ReminderAddress.objects.filter(enabled=True, user__is_active=True).values_list(
        "user_id", flat=True
    ):
        sent += _remind(user_id, alerts)
    return sent


def _remind(user_id: uuid.UUID, alerts: list[rules.Alert]) -> int:
    with transaction.atomic():
        row = (
            ReminderAddress.objects.select_for_update()
            .select_related("user")
            .filter(user_id=user_id, enabled=True)
            .first()
        )
        if row is None:
            return 0
        user = row.user
        groups = access.group_ids_for(user)
        keys = {alert.key for alert in alerts if alert.is_for(user.pk, groups)}
        keys -= set(
            SentReminder.objects.filter(user=user, key__in=keys).values_list("key", flat=True)
        )
        if not keys:
            return 0
        SentReminder.objects.bulk_create(SentReminder(user=user, key=key) for key in keys)
        address = row.email
        subject, body = _message(user)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        log.info("reminder.sent user=%s", user.pk)
    return 1
