import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from holdspace.demo import builder
from holdspace.lib.env import write_private_file
from holdspace.vault import backup


class Command(BaseCommand):
    help = (
        "Create the demo: invented accounts for every role (and an invented process). "
        "Runs once per database; later runs write the same log-ins again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--credentials",
            metavar="FILE",
            help="write the demo log-ins (username, password, TOTP secret, role) as JSON",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) if the database already holds real accounts",
        )
        parser.add_argument(
            "--code",
            metavar="USERNAME",
            help="print the current two-factor code of a demo account and stop",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._handle(options)
        except builder.DemoError as error:
            raise CommandError(str(error)) from None

    def _handle(self, options: dict[str, Any]) -> None:
        if options["code"]:
            self.stdout.write(builder.current_code(options["code"]))
            return
        if not builder.demo_exists():
            # Never invented accounts next to restored keys (the checks say so too).
            problem = backup.interrupted_restore()
            if problem is not None:
                raise CommandError(f"{problem} The demo was not created.")
            if not builder.database_is_empty():
                if options["if_empty"]:
                    self.stdout.write("This database holds real accounts; the demo is not loaded.")
                    return
                raise CommandError(
                    "This database already holds accounts. The demo is only ever loaded "
                    "into an empty database, so it never mixes with real data."
                )
            builder.build()
            self.stdout.write(self.style.SUCCESS("Demo created."))
        rows = builder.credentials()
        if options["credentials"]:
            self._write(Path(options["credentials"]), rows)
        self._print(rows)

    def _write(self, path: Path, rows: list[dict[str, Any]]) -> None:
        content = json.dumps({"accounts": rows}, indent=2) + "\n"
        path.unlink(missing_ok=True)
        write_private_file(path, content)
        self.stdout.write(f"Demo log-ins written to {path}")

    def _print(self, rows: list[dict[str, Any]]) -> None:
        self.stdout.write("\nDemo log-ins (invented accounts, for trying Holdspace only):")
        for row in rows:
            self.stdout.write(
                f"  {row['username']:<24} password {row['password']}  "
                f"TOTP secret {row['totp_secret']}  ({row['role']})"
            )
        self.stdout.write(
            "\nAdd a TOTP secret to an authenticator app, or print the current code with "
            "`holdspace demo --code USERNAME`.\n"
        )
