"""Attestations: the instance key vouches for the keys others seal to (S46).

Grants and wraps are anonymous sealed boxes: anyone who knows a public key
can make one. Someone who can only write to the database (the operator of a
managed database, a leaked database password) could otherwise plant a key
version of their own for a group with grants of it to the members, put their
public key in place of an account's, or plant a wrap that hands members a
record key of their choosing — and members would write under keys the
attacker holds, noticing nothing.

The anchor is the instance key, which lives outside the database
(``vault/instance.py``). A key derived from it for this one purpose MACs
(keyed BLAKE2b) what every such row means:

- an account key: (user id, generation, public key);
- a compartment version: (compartment id, process id, kind, group id or "",
  version, public key);
- a data key: (data key id, process id, BLAKE2b of the key's bytes) — a
  *commitment*, so a wrap that opens to another key is noticed. Data keys made
  before commitments existed carry a *legacy marker* over (id, process id)
  instead, and are committed the first time a member opens them (trust on
  first use); a missing commitment is refused, so blanking one does not open
  that window again.

Grants need no MAC of their own: after opening one, the keyring checks that
the secret's public key is the *attested* version's public key.

Formats:

``attestation``  1 version | 32 BLAKE2b-256(key=attestation key,
                 person="hs-attest", message)
``commitment``   1 kind (1 committed, 2 legacy marker) | 32 MAC as above
``message``      each field as 4-byte big-endian length | bytes; the first
                 field names the kind of row (``account-key`` …); texts UTF-8,
                 ids in their canonical text form, absent ids as "".

Only the running server (database *and* instance key) can make these — the
trust the instance key already carries for every account's private key.
"""

from __future__ import annotations

import enum
import struct
import uuid

from holdspace.vault import alarms, crypto
from holdspace.vault.instance import instance_key
from holdspace.vault.models import AccountKey, Compartment, CompartmentVersion, KeyAlarm

ATTESTATION_VERSION = 1
COMMITTED = 1
LEGACY = 2


class KeyForgery(Exception):
    """Key material the instance key does not vouch for (S46).

    Raised before anything is sealed to it, so nothing was written under it;
    the refusal has already been reported (see ``vault/alarms.py``).
    """


class Verdict(enum.Enum):
    """What a data key's commitment says about a key a wrap opened to."""

    MATCHES = "matches"  # committed, and this is the key
    UNCOMMITTED = "uncommitted"  # a genuine legacy marker: trust on first use
    REFUSED = "refused"  # another key, or no genuine commitment at all


def _attestation_key() -> bytes:
    return crypto.secret_kek(b"key-attestation", instance_key(), b"hs-attest-key")


def _mac(*fields: str | bytes) -> bytes:
    message = bytearray()
    for field in fields:
        data = field.encode("utf-8") if isinstance(field, str) else field
        message += struct.pack(">I", len(data)) + data
    return crypto.digest(bytes(message), key=_attestation_key(), person=b"hs-attest")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _matches(expected: bytes, stored: bytes | memoryview | None) -> bool:
    return stored is not None and crypto.equal(expected, bytes(stored))


# Making attestations ---------------------------------------------------------


def account_key_attestation(user_id: uuid.UUID, generation: int, public_key: bytes) -> bytes:
    """The attestation of an account's public key at a key generation.

    Raises InstanceKeyError without the instance key. Deterministic: the same
    values and instance key always give the same bytes.
    """
    mac = _mac("account-key", _text(user_id), str(generation), bytes(public_key))
    return bytes([ATTESTATION_VERSION]) + mac


def version_attestation(
    compartment: Compartment | None,
    version: int,
    public_key: bytes,
    *,
    ids: tuple[uuid.UUID, uuid.UUID, str, uuid.UUID | None] | None = None,
) -> bytes:
    """The attestation of a compartment's public key at ``version``.

    Covers the compartment's id, process, kind and group, so a version cannot
    be moved to another group either. Pass the compartment, or ``ids`` as
    (compartment id, process id, kind, group id). Raises InstanceKeyError
    without the instance key.
    """
    if compartment is not None:
        ids = (compartment.pk, compartment.process_id, compartment.kind, compartment.group_id)
    assert ids is not None  # noqa: S101
    compartment_id, process_id, kind, group_id = ids
    mac = _mac(
        "compartment-version",
        _text(compartment_id),
        _text(process_id),
        str(kind),
        _text(group_id),
        str(version),
        bytes(public_key),
    )
    return bytes([ATTESTATION_VERSION]) + mac


def data_key_commitment(data_key_id: uuid.UUID, process_id: uuid.UUID | None, key: bytes) -> bytes:
    """A commitment to a data key's bytes, bound to its id and process.

    Reveals nothing about the key (a MAC of its BLAKE2b digest under a key the
    database does not hold). Raises InstanceKeyError without the instance key.
    """
    fingerprint = crypto.digest(key, person=b"hs-dk-commit")
    return bytes([COMMITTED]) + _mac("data-key", _text(data_key_id), _text(process_id), fingerprint)


def legacy_marker(data_key_id: uuid.UUID, process_id: uuid.UUID | None) -> bytes:
    """The marker of a data key that existed before commitments did: its key
    is committed the first time a member opens it (trust on first use)."""
    return bytes([LEGACY]) + _mac("data-key-legacy", _text(data_key_id), _text(process_id))


# Checking them ---------------------------------------------------------------


def account_key_valid(keys: AccountKey) -> bool:
    """Whether the instance key vouches for this account key row as it is."""
    expected = account_key_attestation(keys.user_id, keys.generation, bytes(keys.public_key))
    return _matches(expected, keys.attestation)


def version_valid(
    ids: tuple[uuid.UUID, uuid.UUID, str, uuid.UUID | None],
    version: int,
    public_key: bytes,
    attestation: bytes | memoryview | None,
) -> bool:
    """Whether the instance key vouches for a compartment version; ``ids`` is
    (compartment id, process id, kind, group id) of its compartment."""
    return _matches(version_attestation(None, version, public_key, ids=ids), attestation)


def check_data_key(
    data_key_id: uuid.UUID,
    process_id: uuid.UUID | None,
    commitment: bytes | memoryview | None,
    key: bytes,
) -> Verdict:
    """Whether ``key`` (what a wrap opened to) is the data key's real key.

    MATCHES only for the committed key; UNCOMMITTED for a genuine legacy
    marker (the caller commits the key, trust on first use); REFUSED for any
    other key and for a missing or forged commitment.
    """
    stored = bytes(commitment) if commitment is not None else b""
    if stored[:1] == bytes([COMMITTED]):
        expected = data_key_commitment(data_key_id, process_id, key)
        return Verdict.MATCHES if crypto.equal(expected, stored) else Verdict.REFUSED
    if stored[:1] == bytes([LEGACY]) and crypto.equal(
        legacy_marker(data_key_id, process_id), stored
    ):
        return Verdict.UNCOMMITTED
    return Verdict.REFUSED


# What may be sealed to ----------------------------------------------------


def account_public_key(user_id: uuid.UUID, *, compartment: Compartment | None = None) -> bytes:
    """The public key of an account, to seal a grant to.

    Raises KeyForgery — after reporting it, in ``compartment``'s group — if
    the row's attestation is missing or does not match (a substituted public
    key, generation or account); AccountKey.DoesNotExist if the account has
    no keys. Invariant: nothing is ever sealed to an account key the instance
    key does not vouch for.
    """
    keys = AccountKey.objects.get(user_id=user_id)
    if not account_key_valid(keys):
        alarms.report(
            KeyAlarm.What.ACCOUNT,
            AccountKey,
            keys.pk,
            compartment_id=compartment.pk if compartment else None,
            process_id=compartment.process_id if compartment else None,
            group_id=compartment.group_id if compartment else None,
        )
        raise KeyForgery(f"the key of account {user_id} is not attested")
    return bytes(keys.public_key)


def version_public_key(compartment: Compartment, version: int) -> bytes:
    """The public key of a compartment version, to seal a data key to.

    Raises KeyForgery (reported) if that version does not exist or its
    attestation is missing or does not match — a version planted in the
    database, or a compartment whose version number was moved to one.
    Invariant: nothing is ever sealed to a version the instance key does not
    vouch for.
    """
    row = (
        CompartmentVersion.objects.filter(compartment_id=compartment.pk, version=version)
        .values_list("pk", "public_key", "attestation")
        .first()
    )
    ids = (compartment.pk, compartment.process_id, compartment.kind, compartment.group_id)
    if row is None or not version_valid(ids, version, bytes(row[1]), row[2]):
        report_version(ids, row[0] if row else None)
        raise KeyForgery(f"version {version} of compartment {compartment.pk} is not attested")
    return bytes(row[1])


def report_version(
    ids: tuple[uuid.UUID, uuid.UUID, str, uuid.UUID | None], version_pk: int | None
) -> None:
    """Report a refused compartment version (or a version number that has no
    key at all: then the compartment row is named)."""
    compartment_id, process_id, _kind, group_id = ids
    target: type[CompartmentVersion] | type[Compartment] = CompartmentVersion
    if version_pk is None:
        target = Compartment
    alarms.report(
        KeyAlarm.What.VERSION,
        target,
        version_pk if version_pk is not None else compartment_id,
        compartment_id=compartment_id,
        process_id=process_id,
        group_id=group_id,
    )
