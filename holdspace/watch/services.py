"""Changing the watchdog's settings; reminder addresses; calendar feeds."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.audit import services as audit
from holdspace.processes import writes
from holdspace.processes.models import Process
from holdspace.processes.services import Refused
from holdspace.watch.models import Cadence, CalendarFeed, ReminderAddress


def cadence_of(process: Process) -> Cadence:
    return Cadence.objects.filter(process=process).first() or Cadence(process=process)


def set_cadence(
    process: Process,
    *,
    by: User,
    expected_version: int,
    contact_days: int,
    no_answer_days: int,
    report_days: int,
) -> None:
    if min(contact_days, no_answer_days, report_days) < 1:
        raise Refused(_("Please give a number of days from 1 to 3650."))
    with transaction.atomic():
        cadence, _created = Cadence.objects.get_or_create(process=process)
        writes.lock_version(cadence, expected_version)
        cadence.contact_days, cadence.no_answer_days = contact_days, no_answer_days
        cadence.report_days, cadence.version = report_days, cadence.version + 1
        cadence.save(update_fields=["contact_days", "no_answer_days", "report_days", "version"])
        audit.log("process.cadence_changed", user=by, target=process, process_id=process.pk)


def reminder_email(user: User) -> tuple[bool, str]:
    """Whether the account wants reminders, and where (empty: nowhere)."""
    row = ReminderAddress.objects.filter(user=user).first()
    if row is None:
        return False, ""
    return row.enabled, row.email


def set_reminders(user: User, *, enabled: bool, email: str) -> None:
    with transaction.atomic():
        if not email:
            ReminderAddress.objects.filter(user=user).delete()
        else:
            ReminderAddress.objects.update_or_create(
                user=user,
                defaults={
                    "enabled": enabled,
                    "sealed_email": ReminderAddress.seal(user.pk, email),
                    "updated_at": timezone.now(),
                },
            )
        audit.log("account.reminders_changed", user=user, target=user)


def new_calendar(user: User) -> str:
    """A new secret calendar address (any earlier one stops working)."""
    with transaction.atomic():
        _feed, token = CalendarFeed.issue(user)
        audit.log("account.calendar_created", user=user, target=user)
    return token


def revoke_calendar(user: User) -> None:
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
        audit.log("account.calendar_revoked", user=user, target=user)


def has_calendar(user: User) -> bool:
    return CalendarFeed.objects.filter(user=user, revoked_at=None).exists()
