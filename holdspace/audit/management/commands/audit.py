from datetime import UTC
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from holdspace.audit import services
from holdspace.vault.instance import InstanceKeyError


def _grouped(problems: list[services.Problem]) -> list[tuple[int, int, str]]:
    """Each description's runs of neighbouring entries, as (first, last, description):
    a log recomputed without the key gives a few lines, not thousands."""
    runs: list[tuple[int, int, str]] = []
    open_run: dict[str, int] = {}  # description: index of its latest run
    for problem in problems:
        index = open_run.get(problem.description)
        if index is not None and runs[index][1] + 1 == problem.seq:
            runs[index] = (runs[index][0], problem.seq, problem.description)
        else:
            open_run[problem.description] = len(runs)
            runs.append((problem.seq, problem.seq, problem.description))
    return runs


def _position(result: services.Verification) -> str:
    entries = "1 entry" if result.count == 1 else f"{result.count} entries"
    if result.last_seq is None or result.last_at is None:
        return entries
    written = result.last_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{entries}; the last is number {result.last_seq}, written {written}"


class Command(BaseCommand):
    help = (
        "Work with the audit log. `audit verify` checks the keyed hash chain end to end "
        "and shows the position and time of the last entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="verify: check the hash chain")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = services.check()
        except InstanceKeyError as error:
            raise CommandError(f"The audit log cannot be checked: {error}") from None
        except DatabaseError:
            # E.g. keys without their database, as an interrupted restore leaves them.
            raise CommandError(
                "The audit log cannot be read from the database: it is empty or not migrated. "
                "Run `holdspace migrate` first; after an interrupted restore, run the restore "
                "again with the same backup."
            ) from None
        for first, last, description in _grouped(result.problems):
            where = f"entry {first}" if first == last else f"entries {first}…{last}"
            self.stderr.write(f"{where}: {description}")
        if result.problems:
            raise CommandError(
                f"The audit log was tampered with: {len(result.problems)} problem(s) "
                f"({_position(result)})."
            )
        # The position shows a cut-off tail, which the chain alone cannot reveal.
        self.stdout.write(self.style.SUCCESS(f"The audit log is intact ({_position(result)})."))
