"""The `holdspace` command.

Holdspace's own commands come first; any other Django management command
(`migrate`, `createcachetable`, …) works too. `holdspace check` runs the
production deploy checks (Django's `check --deploy --fail-level WARNING`
plus Holdspace's own).
"""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "serve": "serve Holdspace with gunicorn (PORT, HOLDSPACE_BIND, HOLDSPACE_WORKERS)",
    "prepare": "migrate the database and load the demo if the database is empty",
    "demo": "create the demo accounts and process; --credentials FILE writes the log-ins",
    "check": "run the production deploy checks; exits non-zero on any problem",
    "createadmin": "create the first administrator (or print an invitation link for one)",
    "invite": "print a single-use invitation link for a new account",
    "audit": "verify the audit log's hash chain (audit verify)",
    "rekey": "re-wrap record keys after someone left a group (resumable)",
    "backup-keygen": "make the offline key pair that backups are encrypted to",
    "backup": "write an encrypted backup of the database, keys and files",
    "restore": "restore an encrypted backup into an empty data directory",
    "bench": "measure how fast the timeline is with encryption on and off",
    "outbox": "show the e-mails the embedded mode kept instead of sending them",
}

# `holdspace check` is the deploy check; Django's plain `check` stays
# reachable as `holdspace django-check`.
ALIASES = {"check": "deploycheck", "django-check": "check", "backup-keygen": "backup_keygen"}


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        "Usage: holdspace COMMAND [options]",
        "",
        "Commands:",
        *(f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()),
        "",
        "`holdspace COMMAND --help` explains a command and its options.",
        "Other Django management commands (migrate, …) are available too.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(usage())
        return
    # Everything Holdspace writes (database, keys, backups) is for its owner only.
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "holdspace.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:
        sys.stderr.write(f"holdspace: configuration error: {error}\n")
        raise SystemExit(2) from None

    from django.core.management import execute_from_command_line

    command = ALIASES.get(args[0], args[0])
    execute_from_command_line(["holdspace", command, *args[1:]])


if __name__ == "__main__":
    main()
