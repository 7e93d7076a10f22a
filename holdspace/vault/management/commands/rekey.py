from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from holdspace.vault import rekey


class Command(BaseCommand):
    help = (
        "Re-wrap record keys to a group's new key version after someone left or was "
        "removed. Resumable: safe to stop at any moment and to run again. Holdspace "
        "also runs it after each removal and when it starts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=200, help="keys re-wrapped per transaction"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int) -> None:
            self.stderr.write(f"\r{done} keys re-wrapped", ending="")

        moved = rekey.run(batch_size=max(1, options["batch_size"]), progress=progress)
        if moved:
            self.stderr.write("")
        waiting = rekey.pending_jobs()
        if not moved and not waiting and options["verbosity"] < 1:
            return
        self.stdout.write(f"{moved} record keys re-wrapped; {waiting} job(s) waiting.")
        if waiting:
            self.stdout.write(
                "Waiting jobs need the old key from a member of the group: they continue "
                "after that member's next log-in."
            )
