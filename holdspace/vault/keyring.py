"""The keys one request may use.

A Keyring starts with the account's private key (opened from the session,
only when first needed) and opens compartment keys from the account's grants
and data keys from their wraps, as records are read. Nothing is opened that
the account holds no grant for, so only what the access decision allows can
be decrypted. It lives for one request (a context variable), never longer.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar

from holdspace.vault import crypto
from holdspace.vault.models import Compartment, CompartmentVersion, DataKey, Grant, Wrap

log = logging.getLogger("holdspace.vault")

CompartmentRef = tuple[uuid.UUID, int]


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
        self._grants: dict[CompartmentRef, bytes] | None = None
        # Texts opened in this request, by (context, ciphertext): the same group
        # name on every row of a page is decrypted once.
        self.opened: dict[tuple[bytes, bytes], str] = {}

    # The account's private key -------------------------------------------

    def private_key(self) -> bytes | None:
        if self._private is None and callable(self._private_source):
            self._private = self._private_source()
        return self._private

    # Compartments --------------------------------------------------------

    def _grant_boxes(self) -> dict[CompartmentRef, bytes]:
        if self._grants is None:
            self._grants = {}
            if self.user_id is not None:
                rows = Grant.objects.filter(user_id=self.user_id).values_list(
                    "compartment_id", "version", "sealed"
                )
                self._grants = {(cid, version): bytes(sealed) for cid, version, sealed in rows}
        return self._grants

    def forget_grants(self) -> None:
        """After grants changed in this request, look them up again."""
        self._grants = None

    def remember_compartment(self, compartment_id: uuid.UUID, version: int, secret: bytes) -> None:
        self._compartments[(compartment_id, version)] = secret

    def compartment_secret(self, compartment_id: uuid.UUID, version: int) -> bytes | None:
        """The private key of a compartment version, if this account holds a grant."""
        ref = (compartment_id, version)
        if ref in self._compartments:
            return self._compartments[ref]
        sealed = self._grant_boxes().get(ref)
        private = self.private_key() if sealed is not None else None
        if sealed is None or private is None or self.user_id is None:
            return None
        try:
            secret = crypto.open_sealed(
                private, sealed, grant_ad(compartment_id, version, self.user_id)
            )
        except crypto.CryptoError:
            log.error("grant.unreadable compartment=%s version=%s", compartment_id, version)
            return None
        self._compartments[ref] = secret
        return secret

    def holds(self, compartment: Compartment) -> bool:
        return self.compartment_secret(compartment.pk, compartment.version) is not None

    # Data keys -----------------------------------------------------------

    def remember_data_key(self, data_key_id: uuid.UUID, key: bytes) -> None:
        self._data_keys[data_key_id] = key

    def prefetch(self, data_key_ids: Iterable[uuid.UUID | None]) -> None:
        """Open many data keys with one query (a page of records)."""
        wanted = {dk for dk in data_key_ids if dk is not None and dk not in self._data_keys}
        if not wanted:
            return
        held = set(self._compartments) | set(self._grant_boxes())
        rows = Wrap.objects.filter(data_key_id__in=wanted).values_list(
            "data_key_id", "compartment_id", "version", "sealed"
        )
        for data_key_id, compartment_id, version, sealed in rows:
            if data_key_id in self._data_keys or (compartment_id, version) not in held:
                continue
            self._open_wrap(data_key_id, compartment_id, version, bytes(sealed))

    def _open_wrap(
        self, data_key_id: uuid.UUID, compartment_id: uuid.UUID, version: int, sealed: bytes
    ) -> bytes | None:
        secret = self.compartment_secret(compartment_id, version)
        if secret is None:
            return None
        try:
            key = crypto.open_sealed(secret, sealed, wrap_ad(data_key_id, compartment_id, version))
        except crypto.CryptoError:
            log.error("wrap.unreadable data_key=%s compartment=%s", data_key_id, compartment_id)
            return None
        self._data_keys[data_key_id] = key
        return key

    def data_key(self, data_key_id: uuid.UUID | None) -> bytes | None:
        """The key of a record's texts, if one of its wraps is for a
        compartment version this account holds."""
        if data_key_id is None:
            return None
        if data_key_id not in self._data_keys:
            self.prefetch([data_key_id])
        return self._data_keys.get(data_key_id)

    def new_data_key(self, process_id: uuid.UUID | None) -> DataKey:
        """A fresh data key, known to this keyring; share it before committing."""
        data_key = DataKey.objects.create(process_id=process_id)
        self._data_keys[data_key.pk] = crypto.random_bytes()
        return data_key

    def share(self, data_key_id: uuid.UUID, compartment: Compartment) -> None:
        """Seal a data key this keyring holds to a compartment's current key."""
        key = self.data_key(data_key_id)
        if key is None:
            raise KeyUnavailable(f"no key for data key {data_key_id}")
        version = compartment.version
        public = CompartmentVersion.objects.get(compartment=compartment, version=version).public_key
        Wrap.objects.get_or_create(
            data_key_id=data_key_id,
            compartment=compartment,
            version=version,
            defaults={
                "sealed": crypto.seal_to(
                    bytes(public), key, wrap_ad(data_key_id, compartment.pk, version)
                )
            },
        )


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
