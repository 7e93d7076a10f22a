"""The backup key pair: texts, checksums, and the public key file on the server."""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from django.conf import settings

from holdspace.lib.env import write_private_file
from holdspace.vault import crypto
from holdspace.vault.backup.common import (
    _CHECKSUM_BYTES,
    KEY_ID_BYTES,
    PRIVATE_PREFIX,
    PUBLIC_PREFIX,
    BackupError,
)

# Keys ------------------------------------------------------------------------


def _checksum(prefix: str, raw: bytes) -> bytes:
    return crypto.digest(prefix.encode("ascii") + raw, person=b"hs-backup-key")[:_CHECKSUM_BYTES]


def _key_text(prefix: str, raw: bytes) -> str:
    body = base64.urlsafe_b64encode(raw + _checksum(prefix, raw)).decode("ascii").rstrip("=")
    return prefix + body


def generate_keypair() -> tuple[str, str]:
    """A new backup key pair as texts: (``hsbk-pub-…``, ``hsbk-priv-…``)."""
    public, private = crypto.new_keypair()
    return _key_text(PUBLIC_PREFIX, public), _key_text(PRIVATE_PREFIX, private)


def _parse_key(text: str, prefix: str, what: str) -> bytes:
    cleaned = "".join(text.split())
    if not cleaned.startswith(prefix):
        raise BackupError(f"This is not a backup {what} key (those start with {prefix}).")
    body = cleaned[len(prefix) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    key, check = raw[: crypto.KEY_BYTES], raw[crypto.KEY_BYTES :]
    if len(raw) != crypto.KEY_BYTES + _CHECKSUM_BYTES or check != _checksum(prefix, key):
        raise BackupError(
            f"The backup {what} key is mistyped or damaged (its checksum does not match)."
        )
    return key


def parse_public_key(text: str) -> bytes:
    """The 32 bytes of a ``hsbk-pub-…`` text. Raises BackupError if malformed."""
    if "".join(text.split()).startswith(PRIVATE_PREFIX):
        raise BackupError(
            "This is the backup *private* key. The server only needs the public key "
            f"({PUBLIC_PREFIX}…); keep the private key offline."
        )
    return _parse_key(text, PUBLIC_PREFIX, "public")


def parse_private_key(text: str) -> bytes:
    """The 32 bytes of a ``hsbk-priv-…`` text. Raises BackupError if malformed."""
    if "".join(text.split()).startswith(PUBLIC_PREFIX):
        raise BackupError(
            "This is the backup public key. Restoring needs the private key "
            f"({PRIVATE_PREFIX}…) that was stored offline when the key pair was made."
        )
    return _parse_key(text, PRIVATE_PREFIX, "private")


def key_id(public_key: bytes) -> bytes:
    """Which key pair a backup was made for (stored in its header)."""
    return crypto.digest(public_key, person=b"hs-backup-keyid")[:KEY_ID_BYTES]


def fingerprint(public_key: bytes) -> str:
    """The key id as text people can compare, e.g. ``3f2a-91c0-…``."""
    text = key_id(public_key).hex()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def public_key_path() -> Path:
    """Where the server keeps the backup public key (HOLDSPACE_BACKUP_PUBLIC_KEY_FILE)."""
    return Path(settings.BACKUP_PUBLIC_KEY_FILE)


def load_public_key() -> bytes:
    """The configured backup public key. Raises BackupError when there is none."""
    path = public_key_path()
    if not path.exists():
        raise BackupError(
            f"No backup public key is configured ({path} does not exist). Run "
            "`holdspace backup-keygen` first: it makes the key pair, gives you the private "
            "key and keeps only the public key on this server."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BackupError(f"The backup public key file {path} cannot be read ({error}).") from None
    try:
        return parse_public_key(text)
    except BackupError as error:
        raise BackupError(f"{path}: {error}") from None


def save_public_key(public_text: str, *, force: bool = False) -> Path:
    """Store the public key (mode 0600). Without ``force``, never replaces one."""
    parse_public_key(public_text)
    path = public_key_path()
    if path.exists() and not force:
        raise BackupError(
            f"A backup public key already exists at {path}; backups made so far can only be "
            "read with its private key. Use --force to replace it with a new key pair."
        )
    staging = path.with_name(path.name + ".tmp")
    staging.unlink(missing_ok=True)
    write_private_file(staging, public_text + "\n")
    os.replace(staging, path)
    return path


# The encrypted stream ----------------------------------------------------------
