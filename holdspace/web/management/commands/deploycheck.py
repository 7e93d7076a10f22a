from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from holdspace.web.checks import free_space_warning


class Command(BaseCommand):
    help = (
        "Run the production deploy checks: Django's `check --deploy --fail-level WARNING` "
        "and Holdspace's own (CSP, password hashing, two-factor throttling, DEBUG, "
        "cookies, secrets, an unfinished restore). Exits non-zero on any problem. Warns, "
        "without failing, when the data directory's disk is nearly full "
        "(HOLDSPACE_MIN_FREE_MB). Run as `holdspace check`."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        # A warning only: the example unit runs this before every start, and a
        # server that is short of space must still let people read.
        warning = free_space_warning()
        if warning:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        call_command("check", deploy=True, fail_level="WARNING")
        self.stdout.write(self.style.SUCCESS("All deploy checks passed."))
