from typing import Any

from django.core.management.base import BaseCommand

from holdspace.commitments.services import note_due_dates


class Command(BaseCommand):
    help = (
        "Do what the calendar asks for: note expired agreements and overdue steps on the "
        "chronology. Safe to run at any frequency (from cron or a systemd timer): "
        "each change is noted once. Prints counts only, never content."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        noted = note_due_dates()
        self.stdout.write(f"Noted {noted} date(s) that passed.")
