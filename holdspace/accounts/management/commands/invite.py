from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.urls import reverse

from holdspace.accounts.models import Invitation
from holdspace.audit import services as audit


def invitation_link(admin: bool) -> tuple[Invitation, str]:
    with transaction.atomic():
        invitation, token = Invitation.issue(
            Invitation.Kind.ACCOUNT, created_by=None, grants_instance_admin=admin
        )
        audit.log("invitation.created", target=invitation)
    return invitation, settings.BASE_URL + reverse("hs-invite", args=[token])


class Command(BaseCommand):
    help = (
        "Print a single-use link with which someone creates an account (a username, a "
        "password and two-factor). It expires after HOLDSPACE_INVITATION_DAYS days. "
        "Links start with HOLDSPACE_BASE_URL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--admin", action="store_true", help="the new account administers this instance"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        invitation, link = invitation_link(options["admin"])
        self.stdout.write(link)
        self.stderr.write(
            f"Send this link through a channel you trust. It works once and expires "
            f"on {invitation.expires_at:%Y-%m-%d}."
        )
