"""An account's key pair: created with the account, opened at log-in with the
password, or with the recovery key when the password is forgotten."""

from __future__ import annotations

import base64
import binascii
import logging
import re
import uuid

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.vault import alarms, attest, crypto
from holdspace.vault.instance import instance_key
from holdspace.vault.models import AccountKey, Compartment, Grant, KeyAlarm

log = logging.getLogger("holdspace.security")

RECOVERY_BYTES = 20  # 160 bits, written as 32 base32 characters
_DUMMY_ENVELOPE = bytes([crypto.VERSION, 0]) + bytes(crypto.NONCE_BYTES + 48)

# Sent after an account got a new key pair (reset without its recovery key),
# so that the processes app can ask members to restore its access.
keys_replaced = Signal()


class WrongRecoveryKey(Exception):
    pass


def kdf_params() -> crypto.KdfParams:
    return crypto.KdfParams(**settings.VAULT_KDF)


def _ad(user: User, purpose: str, generation: int) -> bytes:
    return f"account|{user.pk}|{purpose}|{generation}".encode()


def _wrap_for_password(user: User, private: bytes, password: str, generation: int) -> bytes:
    """The private key under a key derived from the password (at today's cost)."""
    return crypto.wrap_with_password(
        private, password, instance_key(), kdf_params(), _ad(user, "password", generation)
    )


def create_keys(user: User, password: str) -> bytes:
    """A new key pair for a new account, its public key attested by the
    instance key (S46); returns the private key."""
    public, private = crypto.new_keypair()
    AccountKey.objects.create(
        user=user,
        public_key=public,
        by_password=_wrap_for_password(user, private, password, 1),
        attestation=attest.account_key_attestation(user.pk, 1, public),
    )
    return private


def public_key(user: User, *, compartment: Compartment | None = None) -> bytes:
    """The account's public key, to seal to.

    Raises KeyForgery (reported, in ``compartment``'s group if given) unless
    the instance key vouches for it: a public key substituted in the database
    never receives anything (S46).
    """
    return attest.account_public_key(user.pk, compartment=compartment)


def check_own_key(user: User, keys: AccountKey, private: bytes) -> bool:
    """After the account's private key was opened: whether the stored public
    key belongs to it and the instance key vouches for the row (S46).

    If not, logs a content-free security line and reports it (in the groups
    whose keys the account holds); nothing is sealed to that public key, as
    every sealing checks the attestation. Never raises.
    """
    try:
        belongs = crypto.equal(crypto.public_key_of(private), bytes(keys.public_key))
    except crypto.CryptoError:
        belongs = False
    if belongs and attest.account_key_valid(keys):
        return True
    log.error("vault.account_key_not_attested user=%s", user.pk)
    places: list[tuple[uuid.UUID | None, uuid.UUID | None, uuid.UUID | None]] = list(
        Grant.objects.filter(user=user)
        .values_list("compartment_id", "compartment__process_id", "compartment__group_id")
        .distinct()
    )
    for compartment_id, process_id, group_id in places or [(None, None, None)]:
        alarms.report(
            KeyAlarm.What.ACCOUNT,
            AccountKey,
            keys.pk,
            compartment_id=compartment_id,
            process_id=process_id,
            group_id=group_id,
        )
    return False


def unlock_with_password(user: User, password: str) -> bytes:
    """The account's private key. Upgrades the key derivation to the current
    cost if it was made with a weaker one (S5).

    Raises InstanceKeyError without the instance key, CryptoError if the
    stored key does not open (wrong instance key, tampering). A stored public
    key that is not this private key's, or not attested, is reported
    (:func:`check_own_key`); the log-in goes on, and nothing is sealed to it.
    """
    keys = AccountKey.objects.get(user=user)
    ad = _ad(user, "password", keys.generation)
    blob = bytes(keys.by_password)
    private = crypto.unwrap_with_password(blob, password, instance_key(), ad)
    check_own_key(user, keys, private)
    if not crypto.password_params(blob).at_least(kdf_params()):
        keys.by_password = _wrap_for_password(user, private, password, keys.generation)
        keys.save(update_fields=["by_password"])
    return private


def change_password(user: User, private: bytes, new_password: str) -> None:
    keys = AccountKey.objects.get(user=user)
    keys.by_password = _wrap_for_password(user, private, new_password, keys.generation)
    keys.save(update_fields=["by_password"])


def format_recovery_key(raw: bytes) -> str:
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalise_recovery_key(text: str) -> str:
    return re.sub(r"[\s-]", "", text).upper()


def parse_recovery_key(text: str) -> bytes:
    cleaned = normalise_recovery_key(text)
    try:
        raw = base64.b32decode(cleaned)
    except (binascii.Error, ValueError):
        raise WrongRecoveryKey from None
    if len(raw) != RECOVERY_BYTES:
        raise WrongRecoveryKey
    return raw


def has_recovery_key(user: User) -> bool:
    return AccountKey.objects.filter(user=user, recovery_confirmed_at__isnull=False).exists()


def new_recovery_key() -> str:
    """A fresh recovery key, as the text people write down. Not stored yet."""
    return format_recovery_key(crypto.random_bytes(RECOVERY_BYTES))


def save_recovery_key(user: User, private: bytes, recovery_text: str) -> None:
    """Let ``recovery_text`` open the account's key from now on (the old one stops)."""
    raw = parse_recovery_key(recovery_text)
    keys = AccountKey.objects.get(user=user)
    kek = crypto.secret_kek(raw, instance_key(), b"hs-recovery-kek")
    keys.by_recovery = crypto.seal_data(kek, private, _ad(user, "recovery", keys.generation))
    keys.recovery_confirmed_at = timezone.now()
    keys.save(update_fields=["by_recovery", "recovery_confirmed_at"])


def recovery_attempt_cost_for_unknown(recovery_text: str) -> None:
    """The same work as a wrong recovery key for a known account (S24)."""
    try:
        raw = parse_recovery_key(recovery_text)
    except WrongRecoveryKey:
        return
    kek = crypto.secret_kek(raw, instance_key(), b"hs-recovery-kek")
    try:
        crypto.open_data(kek, _DUMMY_ENVELOPE, b"account|-|recovery|1")
    except crypto.CryptoError:
        return


def unlock_with_recovery(user: User, recovery_text: str) -> bytes:
    """Raises WrongRecoveryKey unless the recovery key opens the account's key.

    A stored public key that is not this private key's, or not attested, is
    reported (:func:`check_own_key`), as at a log-in with the password.
    """
    raw = parse_recovery_key(recovery_text)
    keys = AccountKey.objects.filter(user=user, by_recovery__isnull=False).first()
    if keys is None or keys.by_recovery is None:
        raise WrongRecoveryKey
    kek = crypto.secret_kek(raw, instance_key(), b"hs-recovery-kek")
    try:
        private = crypto.open_data(
            kek, bytes(keys.by_recovery), _ad(user, "recovery", keys.generation)
        )
    except crypto.CryptoError:
        raise WrongRecoveryKey from None
    check_own_key(user, keys, private)
    return private


def replace_keys(user: User, new_password: str) -> bytes:
    """A new key pair for an account reset without its recovery key.

    Everything the old key opened stays closed: the account's grants are
    deleted, and members restore its access deliberately. Returns the new
    private key.
    """
    public, private = crypto.new_keypair()
    with transaction.atomic():
        keys = AccountKey.objects.select_for_update().get(user=user)
        keys.generation += 1
        keys.public_key = public
        keys.attestation = attest.account_key_attestation(user.pk, keys.generation, public)
        keys.by_recovery = None
        keys.recovery_confirmed_at = None
        keys.by_password = _wrap_for_password(user, private, new_password, keys.generation)
        keys.save(
            update_fields=[
                "generation",
                "public_key",
                "attestation",
                "by_recovery",
                "recovery_confirmed_at",
                "by_password",
            ]
        )
        Grant.objects.filter(user=user).delete()
        keys_replaced.send(sender=AccountKey, user=user)
    return private
