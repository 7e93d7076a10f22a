"""Second factors at rest (S48): authenticator seeds sealed, backup codes hashed.

The server must read an authenticator app's seed while someone logs in,
before their own keys are open, so a seed is sealed under a key derived from
the instance key (``vault.instance.seal``) and bound to its account and row.

Backup codes are only ever compared, so only a keyed BLAKE2b digest of each
is stored. They carry 40 random bits: a plain hash in the database could be
reversed by trying them all, but the key comes from the instance key, which
lives outside the database, so a copy of the database alone tests no guess.

These formats are stable: the data migration that moved the plain seeds and
codes of django-otp's tables uses the same functions.
"""

from __future__ import annotations

import binascii
import hmac
import uuid
from collections.abc import Iterable

from holdspace.vault import crypto, instance

SEED_PURPOSE = "authenticator-seed"


def _seed_ad(user_id: uuid.UUID | str, binding: uuid.UUID | str) -> str:
    return f"authenticator|{user_id}|{binding}"


def seal_seed(user_id: uuid.UUID | str, binding: uuid.UUID | str, key_hex: str) -> bytes:
    """Seal an authenticator's seed (hex, as django-otp writes it) for the
    device row with ``binding`` of account ``user_id``.

    Raises ValueError if ``key_hex`` is not hexadecimal, and
    InstanceKeyError if the instance key is unavailable.
    """
    try:
        binascii.unhexlify(key_hex)
    except (binascii.Error, ValueError):
        raise ValueError("an authenticator seed must be hexadecimal") from None
    return instance.seal(SEED_PURPOSE, key_hex.lower(), _seed_ad(user_id, binding))


def open_seed(user_id: uuid.UUID | str, binding: uuid.UUID | str, sealed: bytes) -> str:
    """The seed (hex) that :func:`seal_seed` sealed. Raises crypto.CryptoError
    if the blob was changed or moved to another row or account."""
    return instance.unseal(SEED_PURPOSE, sealed, _seed_ad(user_id, binding))


def _code_key() -> bytes:
    return crypto.secret_kek(b"backup-codes", instance.instance_key(), b"hs-backup-kek")


def code_digest(user_id: uuid.UUID | str, code: str) -> bytes:
    """The stored form of a backup code of account ``user_id``: a BLAKE2b-256
    keyed with a key from the instance key. The account id goes in, so a
    digest copied to another account matches nothing there."""
    return crypto.digest(f"{user_id}|{code}".encode(), key=_code_key(), person=b"hs-backup-code")


def find_digest(candidate: bytes, stored: Iterable[tuple[int, bytes]]) -> int | None:
    """The id of the stored digest equal to ``candidate``, or None.

    Every stored digest is compared in constant time and none is skipped, so
    how long this takes says nothing about which code, if any, matched.
    """
    found = None
    for row_id, digest in stored:
        if hmac.compare_digest(bytes(digest), candidate):
            found = row_id
    return found
