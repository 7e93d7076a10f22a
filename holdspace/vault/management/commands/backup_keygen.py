from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from holdspace.lib.env import write_private_file
from holdspace.vault import backup


class Command(BaseCommand):
    help = (
        "Make the key pair that backups are encrypted to. The private key is shown once "
        "(or written to --private-out) and never kept on this server, so the server cannot "
        "read its own backups; it keeps only the public key "
        "(HOLDSPACE_BACKUP_PUBLIC_KEY_FILE, default DATA_DIR/backup_public_key)."
    )
    # Needs no database; nothing to check first.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace an existing public key (backups made before need the old private key)",
        )
        parser.add_argument(
            "--private-out",
            metavar="FILE",
            help="write the private key to FILE (outside the data directory) instead of "
            "printing it; move it offline afterwards",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        public_path = backup.public_key_path()
        if public_path.exists() and not options["force"]:
            raise CommandError(
                f"A backup public key already exists at {public_path}. Backups made so far "
                "can only be read with its private key. Use --force to replace it with a new "
                "key pair."
            )
        private_out = self._private_out(options["private_out"], public_path)
        public_text, private_text = backup.generate_keypair()
        if private_out is not None:
            try:
                write_private_file(private_out, private_text + "\n")
            except OSError as error:
                raise CommandError(f"Cannot write {private_out}: {error.strerror}.") from None
        try:
            backup.save_public_key(public_text, force=options["force"])
        except (OSError, backup.BackupError) as error:
            if private_out is not None:
                private_out.unlink(missing_ok=True)
            raise CommandError(f"Cannot save the public key to {public_path}: {error}") from None
        print_fingerprint = backup.fingerprint(backup.parse_public_key(public_text))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup key pair made. Public key saved to {public_path} "
                f"(fingerprint {print_fingerprint})."
            )
        )
        if private_out is not None:
            self._tell_about_file(private_out)
        else:
            self._show(private_text)

    def _private_out(self, value: str | None, public_path: Path) -> Path | None:
        if not value:
            return None
        path = Path(value).expanduser().resolve()
        data_dir = Path(settings.DATA_DIR).resolve()
        if path.is_relative_to(data_dir) or path == public_path:
            raise CommandError(
                f"--private-out {path} is inside the data directory ({data_dir}). The private "
                "key must never be kept with the data it protects: choose a file elsewhere."
            )
        if path.exists():
            raise CommandError(f"{path} already exists; a key file is never overwritten.")
        return path

    def _show(self, private_text: str) -> None:
        self.stdout.write(
            "\nPRIVATE BACKUP KEY: store it offline now (a password manager, or on paper "
            "in a safe place):\n"
        )
        self.stdout.write(f"    {private_text}\n")
        self.stdout.write(
            "It is the only way to read the backups. It is NOT kept on this server and "
            "cannot be shown again: if it is lost, every backup made for this key pair is "
            "unreadable. Restore with `holdspace restore FILE --key KEYFILE`."
        )

    def _tell_about_file(self, path: Path) -> None:
        self.stdout.write(
            f"The private key was written to {path}. Move it offline now (a password "
            "manager, a USB stick in a safe place) and delete it from this machine: anyone "
            "who breaks into this server with it could read the backups. It is the only way "
            "to read them and it is not kept anywhere else."
        )
