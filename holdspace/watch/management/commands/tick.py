from typing import Any

from django.core.management.base import BaseCommand

from holdspace.watch.tick import tick


class Command(BaseCommand):
    help = (
        "Do what the calendar asks for: note expired agreements and overdue steps on the "
        "chronology, and send content-free e-mail reminders of new alerts. Safe to run at "
        "any frequency (from cron or a systemd timer): nothing is noted or sent twice. "
        "Prints counts only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        noted, sent = tick()
        self.stdout.write(f"Noted {noted} date(s) that passed; sent {sent} reminder(s).")
