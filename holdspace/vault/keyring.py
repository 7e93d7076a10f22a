"""The keys one request may use.

A Keyring starts with the account's private key (opened from the session,
only when first needed) and opens compartment keys from the account's grants
and data keys from their wraps, as records are read. Nothing is opened that
the account holds no grant for, so only what the access decision allows can
be decrypted. It lives for one request (a context variable), never longer.

Grants and wraps are anonymous sealed boxes, so the keyring trusts none of
them on their own: a compartment secret must belong to the public key the
instance key vouches for, and a data key must match its commitment
(``vault/attest.py``, S46).
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import NamedTuple

from django.db import models

from holdspace.vault import alarms, attest, crypto
from holdspace.vault.models import (
    Compartment,
    CompartmentVersion,
    DataKey,
    Grant,
    KeyAlarm,
    Wrap,
)

log = logging.getLogger("holdspace.vault")

CompartmentRef = tuple[uuid.UUID, int]
# (compartment id, process id, kind, group id): what a version's attestation covers.
Place = tuple[uuid.UUID, uuid.UUID, str, uuid.UUID | None]


class KeyUnavailable(Exception):
    """This keyring holds no key for what was asked."""


def grant_ad(compartment_id: uuid.UUID, version: int, user_id: uuid.UUID) -> bytes:
    return f"grant|{compartment_id}|{version}|{user_id}".encode()


def wrap_ad(data_key_id: uuid.UUID, compartment_id: uuid.UUID, version: int) -> bytes:
    return f"wrap|{data_key_id}|{compartment_id}|{version}".encode()


class Keyring:
    """Keys opened so far in this request.

    ``private_key`` may be a callable, so that the session is only opened
    when a text actually needs decrypting.

    Nothing the instance key does not vouch for is used (S46): a compartment
    secret from a grant must belong to the attested version's public key, a
    data key must match its commitment, and sharing seals only to attested
    versions. Refused keys count as not held, and are reported.
    """

    def __init__(
        self,
        user_id: uuid.UUID | None = None,
        private_key: bytes | Callable[[], bytes | None] | None = None,
    ) -> None:
        self.user_id = user_id
        self._private_source = private_key
        self._private: bytes | None = private_key if isinstance(private_key, bytes) else None
        self._compartments: dict[CompartmentRef, bytes] = {}
        self._data_keys: dict[uuid.UUID, bytes] = {}
        self._grants: dict[CompartmentRef, tuple[bytes, int]] | None = None
        # Compartment versions of the grants, and where each compartment belongs.
        self._versions: dict[CompartmentRef, tuple[int, bytes, bytes | None]] | None = None
        self._places: dict[uuid.UUID, Place] = {}
        # Public keys checked against their attestation in this request.
        self._attested: dict[CompartmentRef, bytes] = {}
        self._refused_compartments: set[CompartmentRef] = set()
        self._refused_keys: set[uuid.UUID] = set()
        # Texts opened in this request, by (context, ciphertext): the same group
        # name on every row of a page is decrypted once.
        self.opened: dict[tuple[bytes, bytes], str] = {}
        # Small lookups the access core repeats on one page, kept for this
        # request only (ids and plain values, never a key or a text).
        self.memo: dict[object, object] = {}

    # The account's private key -------------------------------------------

    def private_key(self) -> bytes | None:
        if self._private is None and callable(self._private_source):
            self._private = self._private_source()
        return self._private

    # Compartments --------------------------------------------------------

    def _grant_boxes(self) -> dict[CompartmentRef, tuple[bytes, int]]:
        """The account's grants: (sealed box, grant id) by compartment version."""
        if self._grants is None:
            self._grants = {}
            if self.user_id is not None:
                rows = Grant.objects.filter(user_id=self.user_id).values_list(
                    "compartment_id", "version", "sealed", "pk"
                )
                self._grants = {
                    (cid, version): (bytes(sealed), pk) for cid, version, sealed, pk in rows
                }
        return self._grants

    def forget_grants(self) -> None:
        """After grants changed in this request, look them up again."""
        self._grants = None
        self._versions = None

    def remember_compartment(self, compartment_id: uuid.UUID, version: int, secret: bytes) -> None:
        """Keep a compartment secret this request made or received from an
        authenticated source (a new version, an invitation link)."""
        self._compartments[(compartment_id, version)] = secret

    def _version_rows(self) -> dict[CompartmentRef, tuple[int, bytes, bytes | None]]:
        """The versions of every compartment the account holds grants for, in
        one query: (row id, public key, attestation)."""
        if self._versions is None:
            ids = {cid for cid, _version in self._grant_boxes()}
            rows = CompartmentVersion.objects.filter(compartment_id__in=ids).values_list(
                "compartment_id",
                "version",
                "pk",
                "public_key",
                "attestation",
                "compartment__process_id",
                "compartment__kind",
                "compartment__group_id",
            )
            self._versions = {}
            for cid, version, pk, public, attestation, process_id, kind, group_id in rows:
                stored = bytes(attestation) if attestation is not None else None
                self._versions[(cid, version)] = (pk, bytes(public), stored)
                self._places[cid] = (cid, process_id, kind, group_id)
        return self._versions

    def _place(self, compartment_id: uuid.UUID) -> Place:
        """(compartment id, process id, kind, group id) of a compartment."""
        if compartment_id not in self._places:
            row = Compartment.objects.filter(pk=compartment_id).values_list(
                "process_id", "kind", "group_id"
            )
            process_id, kind, group_id = row.get()
            self._places[compartment_id] = (compartment_id, process_id, kind, group_id)
        return self._places[compartment_id]

    def _attested_public(self, ref: CompartmentRef) -> bytes | None:
        """The public key of a version the account holds a grant for, if the
        instance key vouches for it; None (reported) if not."""
        if ref in self._attested:
            return self._attested[ref]
        row = self._version_rows().get(ref)
        place = self._place(ref[0])
        if row is None or not attest.version_valid(place, ref[1], row[1], row[2]):
            attest.report_version(place, row[0] if row else None)
            return None
        self._attested[ref] = row[1]
        return row[1]

    def compartment_secret(self, compartment_id: uuid.UUID, version: int) -> bytes | None:
        """The private key of a compartment version, if this account holds a
        grant for it, and that grant holds the attested version's key.

        Returns None for no grant, no private key, an unreadable grant, a
        version the instance key does not vouch for, or a grant whose secret
        is not that version's key (the last two are reported, S46). Never
        raises for what is in the database.
        """
        ref = (compartment_id, version)
        if ref in self._compartments:
            return self._compartments[ref]
        box = self._grant_boxes().get(ref)
        if box is None or ref in self._refused_compartments:
            return None
        private = self.private_key()
        if private is None or self.user_id is None:
            return None
        public = self._attested_public(ref)
        if public is None:
            self._refused_compartments.add(ref)
            return None
        sealed, grant_id = box
        try:
            secret = crypto.open_sealed(
                private, sealed, grant_ad(compartment_id, version, self.user_id)
            )
        except crypto.CryptoError:
            log.error("grant.unreadable compartment=%s version=%s", compartment_id, version)
            return None
        if not crypto.equal(_public_of(secret), public):
            self._refused_compartments.add(ref)
            _cid, process_id, _kind, group_id = self._place(compartment_id)
            alarms.report(
                KeyAlarm.What.GRANT,
                Grant,
                grant_id,
                compartment_id=compartment_id,
                process_id=process_id,
                group_id=group_id,
            )
            return None
        self._compartments[ref] = secret
        return secret

    def refused_compartment(self, compartment_id: uuid.UUID, version: int) -> bool:
        """Whether this request refused that version's grant or the version
        itself (S46): it is not merely missing."""
        return (compartment_id, version) in self._refused_compartments

    def holds(self, compartment: Compartment) -> bool:
        return self.compartment_secret(compartment.pk, compartment.version) is not None

    # Data keys -----------------------------------------------------------

    def prefetch(self, data_key_ids: Iterable[uuid.UUID | None]) -> None:
        """Open many data keys with one query (a page of records)."""
        wanted = {
            dk
            for dk in data_key_ids
            if dk is not None and dk not in self._data_keys and dk not in self._refused_keys
        }
        if not wanted:
            return
        held = set(self._compartments) | set(self._grant_boxes())
        rows = Wrap.objects.filter(data_key_id__in=wanted).values_list(
            "pk",
            "data_key_id",
            "compartment_id",
            "version",
            "sealed",
            "data_key__process_id",
            "data_key__commitment",
        )
        candidates: dict[uuid.UUID, list[_WrapRow]] = {}
        for pk, data_key_id, compartment_id, version, sealed, process_id, commitment in rows:
            if (compartment_id, version) in held:
                row = _WrapRow(
                    pk,
                    data_key_id,
                    compartment_id,
                    version,
                    bytes(sealed),
                    process_id,
                    bytes(commitment) if commitment is not None else None,
                )
                candidates.setdefault(data_key_id, []).append(row)
        for data_key_id, wraps in candidates.items():
            self._open_data_key(data_key_id, wraps)

    def _open_wrap(self, wrap: _WrapRow) -> bytes | None:
        secret = self.compartment_secret(wrap.compartment_id, wrap.version)
        if secret is None:
            return None
        ad = wrap_ad(wrap.data_key_id, wrap.compartment_id, wrap.version)
        try:
            return crypto.open_sealed(secret, wrap.sealed, ad)
        except crypto.CryptoError:
            log.error(
                "wrap.unreadable data_key=%s compartment=%s", wrap.data_key_id, wrap.compartment_id
            )
            return None

    def _open_data_key(self, data_key_id: uuid.UUID, wraps: list[_WrapRow]) -> None:
        """Use a wrap whose key matches the data key's commitment.

        Every wrap this account can open is checked (usually one), so that a
        planted wrap beside a genuine one is noticed too. A key without
        commitment yet (made before commitments existed) is committed now, if
        all those wraps agree on it (trust on first use). Wraps that disagree
        or do not match, and a missing or forged commitment, are refused and
        reported; without a matching wrap the key then counts as not held.
        """
        uncommitted: list[tuple[_WrapRow, bytes]] = []
        refused = False
        matched: bytes | None = None
        for wrap in wraps:
            key = self._open_wrap(wrap)
            if key is None:
                continue
            verdict = attest.check_data_key(data_key_id, wrap.process_id, wrap.commitment, key)
            if verdict is attest.Verdict.MATCHES:
                matched = key
                continue
            if verdict is attest.Verdict.UNCOMMITTED:
                uncommitted.append((wrap, key))
                continue
            refused = True
            if (wrap.commitment or b"")[:1] != bytes([attest.COMMITTED]):
                self._report(wrap, DataKey, data_key_id)  # no genuine commitment at all
                break
            self._report(wrap, Wrap, wrap.pk)  # opens to another key than the committed one
        if matched is not None:
            self._data_keys[data_key_id] = matched
            return
        if uncommitted and len({key for _wrap, key in uncommitted}) == 1:
            wrap, key = uncommitted[0]
            commitment = attest.data_key_commitment(data_key_id, wrap.process_id, key)
            DataKey.objects.filter(pk=data_key_id, commitment=wrap.commitment).update(
                commitment=commitment
            )
            log.info("data_key.committed data_key=%s", data_key_id)
            self._data_keys[data_key_id] = key
            return
        for wrap, _key in uncommitted:  # they disagree: trust none of them
            self._report(wrap, Wrap, wrap.pk)
            refused = True
        through_refused = {
            (w.compartment_id, w.version) for w in wraps
        } & self._refused_compartments
        if refused or through_refused:
            self._refused_keys.add(data_key_id)

    def _report(self, wrap: _WrapRow, target: type[models.Model], target_id: object) -> None:
        _cid, process_id, _kind, group_id = self._place(wrap.compartment_id)
        alarms.report(
            KeyAlarm.What.WRAP,
            target,
            target_id,
            compartment_id=wrap.compartment_id,
            process_id=process_id,
            group_id=group_id,
        )

    def refused(self, data_key_id: uuid.UUID | None) -> bool:
        """Whether this data key could only be had through something refused
        in this request — a wrap, or a grant or version it is sealed to (its
        texts then read as damaged, not as waiting for a key)."""
        return data_key_id in self._refused_keys

    def data_key(self, data_key_id: uuid.UUID | None) -> bytes | None:
        """The key of a record's texts, if one of its wraps is for a
        compartment version this account holds and opens to the committed key."""
        if data_key_id is None:
            return None
        if data_key_id not in self._data_keys:
            self.prefetch([data_key_id])
        return self._data_keys.get(data_key_id)

    def new_data_key(self, process_id: uuid.UUID | None) -> DataKey:
        """A fresh data key with its commitment, known to this keyring; share
        it before committing. Raises InstanceKeyError without the instance key."""
        key = crypto.random_bytes()
        data_key = DataKey(process_id=process_id)
        data_key.commitment = attest.data_key_commitment(data_key.pk, process_id, key)
        data_key.save(force_insert=True)
        self._data_keys[data_key.pk] = key
        return data_key

    def share(self, data_key_id: uuid.UUID, compartment: Compartment) -> None:
        """Seal a data key this keyring holds to a compartment's current key.

        Raises KeyUnavailable if the keyring does not hold the data key, and
        KeyForgery (reported) if the compartment's current version is not one
        the instance key vouches for — then nothing is sealed (S46).
        """
        key = self.data_key(data_key_id)
        if key is None:
            raise KeyUnavailable(f"no key for data key {data_key_id}")
        version = compartment.version
        ref = (compartment.pk, version)
        if ref not in self._attested:
            self._attested[ref] = attest.version_public_key(compartment, version)
        Wrap.objects.get_or_create(
            data_key_id=data_key_id,
            compartment=compartment,
            version=version,
            defaults={
                "sealed": crypto.seal_to(
                    self._attested[ref], key, wrap_ad(data_key_id, compartment.pk, version)
                )
            },
        )


class _WrapRow(NamedTuple):
    pk: int
    data_key_id: uuid.UUID
    compartment_id: uuid.UUID
    version: int
    sealed: bytes
    process_id: uuid.UUID | None
    commitment: bytes | None


def _public_of(secret: bytes) -> bytes:
    try:
        return crypto.public_key_of(secret)
    except crypto.CryptoError:
        return b""


_current: ContextVar[Keyring | None] = ContextVar("holdspace_keyring", default=None)


def current() -> Keyring:
    """The keyring of the request (or command) being handled; empty outside one."""
    keyring = _current.get()
    return keyring if keyring is not None else Keyring()


@contextlib.contextmanager
def using(keyring: Keyring) -> Iterator[Keyring]:
    token = _current.set(keyring)
    try:
        yield keyring
    finally:
        _current.reset(token)
