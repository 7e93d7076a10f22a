import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from holdspace.vault import backup


class Command(BaseCommand):
    help = (
        "Restore an encrypted backup into an empty data directory (and, on PostgreSQL, an "
        "empty database), then verify it: the file's authentication and manifest, SQLite's "
        "integrity check, the migrations and the audit log's hash chain. Refuses, changing "
        "nothing, if anything does not check out. Interrupted (even killed), run it again "
        "with the same backup: it finishes what was begun, or starts afresh."
    )
    # The checks would open the database before restore has made sure it is
    # empty, and refuse to run while a restore is unfinished (holdspace.E030).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="the .hsbackup file")
        parser.add_argument(
            "--key",
            required=True,
            metavar="KEY",
            help="the backup private key: a file holding it (safer: the command line is "
            "visible to other users of the machine), the key itself (hsbk-priv-…), or - to "
            "read it from standard input",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key_text = self._key(options["key"])
        progress = backup.ProgressPrinter(
            lambda text: self.stderr.write(text, ending=""),
            "restore",
            terminal=self.stderr.isatty(),
        )
        try:
            result = backup.restore_backup(Path(options["file"]), key_text, progress)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            progress.finish()
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        audit = (
            f"audit log intact ({result.audit_entries} entries)"
            if result.audit_entries is not None
            else "audit log to be checked after `holdspace migrate`"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup made {result.created_at} by Holdspace "
                f"{result.holdspace_version} ({result.database_engine}, {result.entries} "
                f"files); integrity verified, {audit}."
            )
        )
        self.stdout.write(
            "Start (or restart) Holdspace now: running processes still use the old keys."
        )

    def _key(self, value: str) -> str:
        if value == "-":
            return sys.stdin.read()
        if value.strip().startswith("hsbk-"):
            return value
        path = Path(value).expanduser()
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            # The value is not echoed: it may be a mistyped key.
            raise CommandError(
                "--key is neither a backup private key (hsbk-priv-…) nor a readable file "
                "holding one."
            ) from None
