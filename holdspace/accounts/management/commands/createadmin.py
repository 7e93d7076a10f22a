import getpass
import sys
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from holdspace.accounts.management.commands.invite import invitation_link
from holdspace.accounts.models import User, normalize_username, validate_username
from holdspace.accounts.services import create_account
from holdspace.audit import services as audit


class Command(BaseCommand):
    help = (
        "Create an administrator of this instance. With --username, asks for a password "
        "(or reads it from standard input with --password-stdin); two-factor is set up "
        "at the first log-in. Without --username, prints a single-use invitation link "
        "for an administrator account instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", help="the new administrator's username")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["username"]:
            invitation, link = invitation_link(admin=True)
            self.stdout.write(link)
            self.stderr.write(
                f"Open this link to create the administrator account. It works once and "
                f"expires on {invitation.expires_at:%Y-%m-%d}."
            )
            return
        username = normalize_username(options["username"])
        try:
            validate_username(username)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The username {username!r} is taken.")
        password = self._password(options["password_stdin"])
        try:
            password_validation.validate_password(password, User(username=username))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            user, _private = create_account(username, password, is_instance_admin=True)
            audit.log("account.created", target=user)
        self.stdout.write(
            self.style.SUCCESS(f"Administrator {username} created. Log in to set up two-factor.")
        )

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for a password: use --password-stdin.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("The two passwords are not the same.")
        return first
