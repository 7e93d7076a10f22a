from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from holdspace.vault import backup


class Command(BaseCommand):
    help = (
        "Write an encrypted backup: a consistent snapshot of the database (SQLite online "
        "backup or pg_dump), the instance keys and the other files of the data directory, "
        "encrypted to the backup public key. Only the offline private key can read it; "
        "this server cannot. Make the key pair first with `holdspace backup-keygen`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            metavar="FILE_OR_DIR",
            help="where to write the backup: a file, or a directory to put "
            "holdspace-<UTC time>.hsbackup in (default: DATA_DIR/backups/); never "
            "overwrites a file. Its temporary files go there too, so a backup to "
            "another disk needs no space on the data directory's disk",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["output"]:
            output = backup.output_path(Path(options["output"]))
        else:
            output = backup.default_output()
        progress = backup.ProgressPrinter(
            lambda text: self.stderr.write(text, ending=""),
            "backup",
            terminal=self.stderr.isatty(),
        )
        try:
            path = backup.create_backup(output, progress)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            progress.finish()
        self.stdout.write(
            "Only the backup private key can read it. Copy it to another place: a backup "
            "that stays on this server is lost with it."
        )
        size = backup.human_size(path.stat().st_size)
        self.stdout.write(self.style.SUCCESS(f"Backup written ({size}): {path}"))
