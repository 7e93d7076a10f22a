import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections

from holdspace.lib import locks
from holdspace.vault import backup
from holdspace.web.checks import free_space_warning

# How long a second `prepare` waits for the first one (migrations on a slow disk).
LOCK_WAIT_SECONDS = 600
# The PostgreSQL advisory lock ("Holdspac"): two machines preparing one database.
_ADVISORY_LOCK = 0x486F6C6473706163


@contextlib.contextmanager
def _database_lock(waiting: Callable[[], None]) -> Iterator[None]:
    """On PostgreSQL, an advisory lock in a session of its own for the block."""
    if connection.vendor != "postgresql":
        yield
        return
    session = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with session.cursor() as cursor:
            deadline = time.monotonic() + LOCK_WAIT_SECONDS
            said = False
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [_ADVISORY_LOCK])
                if cursor.fetchone()[0]:
                    break
                if not said:
                    waiting()
                    said = True
                if time.monotonic() >= deadline:
                    raise locks.LockTimeout("database")
                time.sleep(locks.POLL_SECONDS)
        yield
    finally:
        session.close()  # ends the session, and with it the lock


class Command(BaseCommand):
    help = (
        "Get the database ready: apply migrations, then load the demo if the database "
        "holds no accounts (writing its log-ins to <data dir>/demo-credentials.json). A "
        "second run at the same time waits for the first. Refuses to run on what an "
        "interrupted restore left behind."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        warning = free_space_warning()
        if warning:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        try:
            with (
                locks.maintenance(timeout=LOCK_WAIT_SECONDS, waiting=self._waiting),
                _database_lock(self._waiting),
            ):
                self._prepare()
        except locks.LockTimeout:
            raise CommandError(
                "Another `holdspace prepare` (or a restore) has been working on this data "
                f"directory or database for {LOCK_WAIT_SECONDS // 60} minutes and is not done. "
                "Check whether it hangs, then run this again. Nothing was changed."
            ) from None

    def _waiting(self) -> None:
        self.stdout.write(
            "Another `holdspace prepare` (or a restore) is working on this data directory; "
            "waiting for it to finish…"
        )
        self.stdout.flush()

    def _prepare(self) -> None:
        problem = backup.interrupted_restore()
        if problem is not None:
            raise CommandError(f"{problem} Nothing was changed; no demo was created.")
        self._refuse_keys_without_database()
        # What crashed backups and restores left: garbage, as big as the database.
        backup.remove_stale(Path(settings.DATA_DIR))
        backup.discard_restore_leftovers()
        call_command("migrate", interactive=False, verbosity=0)
        # Finish re-wrapping keys an earlier run may have left half done.
        call_command("rekey", verbosity=0, stdout=self.stdout)
        self.stdout.write(f"Database ready ({settings.DATABASES['default']['ENGINE']}).")
        call_command(
            "demo", if_empty=True, credentials=str(settings.DATA_DIR / "demo-credentials.json")
        )

    def _refuse_keys_without_database(self) -> None:
        """An instance key beside an empty database is what a restore that an
        older Holdspace did not finish leaves: never a demo on a restored key."""
        key = Path(settings.VAULT_INSTANCE_KEY_FILE)
        if key.exists() and backup.database_is_empty():
            raise CommandError(
                f"The data directory {settings.DATA_DIR} holds an instance key ({key}) but "
                "the database is empty. An interrupted restore leaves this behind: run "
                "`holdspace restore FILE --key KEY` again with the same backup to finish it. "
                "Nothing was changed; no demo was created. To start afresh instead, move the "
                "instance key away first: without its database it opens nothing."
            )
