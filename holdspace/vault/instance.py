"""The instance key: 32 random bytes kept outside the database.

It is mixed into every key that protects an account's private key, so a
copy of the database without this file opens nothing, even with the right
passwords (S12). Back it up separately from the database.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
from pathlib import Path

from django.conf import settings

from holdspace.lib.env import write_private_file
from holdspace.vault import crypto

_loaded: dict[Path, bytes] = {}


class InstanceKeyError(Exception):
    """The instance key is missing or unreadable; the message names the file."""


def _path() -> Path:
    return Path(settings.VAULT_INSTANCE_KEY_FILE)


def _read(path: Path) -> bytes:
    try:
        key = base64.b64decode(path.read_text().strip(), validate=True)
    except (OSError, binascii.Error, ValueError) as error:
        raise InstanceKeyError(f"The instance key file {path} cannot be read ({error}).") from None
    if len(key) != crypto.KEY_BYTES:
        raise InstanceKeyError(f"The instance key file {path} does not hold a 32-byte key.")
    return key


def instance_key() -> bytes:
    """The instance key. Created on first use, but only while no account has
    keys: afterwards a missing file means keys would be lost, so it fails
    closed with a message naming the file."""
    path = _path()
    if path in _loaded:
        return _loaded[path]
    if not path.exists():
        missing = problem()
        if missing is not None:
            raise InstanceKeyError(missing)
        # Another process may have created it a moment ago.
        with contextlib.suppress(FileExistsError):
            write_private_file(path, base64.b64encode(crypto.random_bytes()).decode() + "\n")
    _loaded[path] = _read(path)
    return _loaded[path]


def forget() -> None:
    """Drop the key from memory (tests, and after a restore)."""
    _loaded.clear()


def problem() -> str | None:
    """What is wrong with the instance key, without creating it (for checks)."""
    path = _path()
    if path.exists():
        try:
            _read(path)
        except InstanceKeyError as error:
            return str(error)
        return None
    from holdspace.vault.models import AccountKey

    if AccountKey.objects.exists():
        return (
            f"The instance key file {path} is missing. Without it no account can open its "
            "keys. Restore the file from your backup (HOLDSPACE_INSTANCE_KEY_FILE names it)."
        )
    return None


def audit_key(*, may_create: bool) -> bytes:
    """The key of the audit log's hash chain (S47), derived from the instance key.

    It lives outside the database like the instance key, so whoever can write
    to the database cannot recompute the chain after changing it. Pass
    ``may_create=False`` while the log has entries: they were chained under the
    existing key, so a missing key file is then an error even before any
    account has keys, rather than a fresh key under which every entry looks
    forged.

    Raises InstanceKeyError (naming the file) if the key is missing or
    unreadable. Invariant: one instance key gives one audit key, and no other
    purpose derives the same bytes (its own BLAKE2b personalisation).
    """
    path = _path()
    if not may_create and path not in _loaded and not path.exists():
        raise InstanceKeyError(
            f"The instance key file {path} is missing. The audit log is chained under it "
            "and cannot be checked or extended without it. Restore the file from your "
            "backup (HOLDSPACE_INSTANCE_KEY_FILE names it)."
        )
    return crypto.secret_kek(b"audit", instance_key(), b"hs-audit-key")


def _server_key(purpose: str) -> bytes:
    return crypto.secret_kek(purpose.encode(), instance_key(), b"hs-server-kek")


def seal(purpose: str, plaintext: str, ad: str) -> bytes:
    """Encrypt a short text that the server itself must read while nobody is
    logged in (a reminder address), under a key derived from the instance key
    for ``purpose``. A database copy without the instance key opens none of it;
    the running server opens all of it — use only where that is the point."""
    return crypto.seal_data(_server_key(purpose), plaintext.encode(), ad.encode())


def unseal(purpose: str, blob: bytes, ad: str) -> str:
    """The text :func:`seal` sealed; raises crypto.CryptoError if the blob was
    changed, moved to another row (``ad``) or sealed for another purpose."""
    return crypto.open_data(_server_key(purpose), blob, ad.encode()).decode()
