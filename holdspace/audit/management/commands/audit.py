from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from holdspace.audit import services


class Command(BaseCommand):
    help = "Work with the audit log. `audit verify` checks the hash chain end to end."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="verify: check the hash chain")

    def handle(self, *args: Any, **options: Any) -> None:
        count, problems = services.verify()
        if problems:
            for problem in problems:
                self.stderr.write(f"entry {problem.seq}: {problem.description}")
            raise CommandError(
                f"The audit log was tampered with: {len(problems)} problem(s) in {count} entries."
            )
        self.stdout.write(self.style.SUCCESS(f"The audit log is intact ({count} entries)."))
