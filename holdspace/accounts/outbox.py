"""The embedded mode's outbox: e-mails written as files, sealed (S35, S48).

Without an SMTP server, the embedded mode keeps each e-mail it would send
(content-free reminders) as a file in <data dir>/outbox, for a developer to
look at. The addresses are personal data, so each message is sealed under a
key from the instance key and bound to its file name: the files alone give
nothing away, and `holdspace outbox` shows them to whoever runs the server.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from holdspace.lib.env import write_private_file
from holdspace.vault import crypto, instance

PURPOSE = "outbox"
SUFFIX = ".sealed"
# Django's file-based backend, used before: plain text, addresses included.
PLAIN_SUFFIX = ".log"


def directory() -> Path:
    return Path(settings.EMAIL_FILE_PATH)


class SealedOutboxBackend(BaseEmailBackend):
    """An e-mail backend that seals each message into its own file."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(6)}{SUFFIX}"
            sealed = instance.seal(PURPOSE, message.message().as_string(), name)
            write_private_file(directory() / name, base64.b64encode(sealed).decode() + "\n")
        return len(email_messages)


@dataclass(frozen=True)
class Letter:
    name: str
    text: str | None  # None: the file does not open (changed, renamed, other key)


def letters() -> list[Letter]:
    """Every sealed message in the outbox, oldest first, opened."""
    found = []
    for path in sorted(directory().glob(f"*{SUFFIX}")):
        try:
            text: str | None = instance.unseal(
                PURPOSE, base64.b64decode(path.read_text().strip(), validate=True), path.name
            )
        except (binascii.Error, ValueError, crypto.CryptoError):
            text = None
        found.append(Letter(path.name, text))
    return found


def plain_files() -> list[Path]:
    """Messages written in plain text by earlier versions."""
    return sorted(directory().glob(f"*{PLAIN_SUFFIX}"))


def delete(names: Sequence[str]) -> None:
    for name in names:
        (directory() / name).unlink(missing_ok=True)
