from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the production deploy checks: Django's `check --deploy --fail-level WARNING` "
        "and Holdspace's own (CSP, password hashing, two-factor throttling, DEBUG, "
        "cookies, secrets). Exits non-zero on any problem. Run as `holdspace check`."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("check", deploy=True, fail_level="WARNING")
        self.stdout.write(self.style.SUCCESS("All deploy checks passed."))
