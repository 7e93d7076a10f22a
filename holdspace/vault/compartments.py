"""Compartments: who holds which group's key, and what happens when that changes.

Every function here runs inside the caller's transaction, so that a
membership change and its key change are stored together or not at all.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.vault import attest, crypto
from holdspace.vault.accounts import public_key
from holdspace.vault.instance import instance_key
from holdspace.vault.keyring import Keyring, KeyUnavailable, grant_ad
from holdspace.vault.models import (
    Compartment,
    CompartmentVersion,
    Grant,
    PendingGrant,
    RekeyJob,
)


class LastKeyHolder(Exception):
    """Nobody else holds this compartment's key: it would be lost (S10)."""


def create(
    keyring: Keyring,
    process_id: uuid.UUID,
    *,
    kind: str,
    group_id: uuid.UUID | None = None,
    holders: Iterable[User] = (),
) -> Compartment:
    """A new compartment with a fresh key pair, granted to ``holders``."""
    compartment = Compartment.objects.create(process_id=process_id, group_id=group_id, kind=kind)
    public, private = crypto.new_keypair()
    _new_version(compartment, 1, public)
    keyring.remember_compartment(compartment.pk, 1, private)
    for user in holders:
        grant(keyring, compartment, user)
    return compartment


def _new_version(compartment: Compartment, version: int, public: bytes) -> CompartmentVersion:
    """A compartment's public key at ``version``, attested by the instance key (S46)."""
    return CompartmentVersion.objects.create(
        compartment=compartment,
        version=version,
        public_key=public,
        attestation=attest.version_attestation(compartment, version, public),
    )


def _seal_grant(compartment: Compartment, version: int, user: User, secret: bytes) -> None:
    """Seal a compartment secret to ``user``'s account key.

    Raises KeyForgery (reported) if the instance key does not vouch for that
    account key: nothing is then sealed to it (S46).
    """
    sealed = crypto.seal_to(
        public_key(user, compartment=compartment),
        secret,
        grant_ad(compartment.pk, version, user.pk),
    )
    Grant.objects.update_or_create(
        compartment=compartment, version=version, user=user, defaults={"sealed": sealed}
    )


def grant(keyring: Keyring, compartment: Compartment, user: User) -> None:
    """Give ``user`` the compartment's current key (the keyring must hold it),
    and older versions whose records are still being re-wrapped, so that a new
    member reads everything at once.

    Raises KeyUnavailable if the keyring does not hold the current key, and
    KeyForgery if it refused it (a version or grant the instance key does not
    vouch for) or the user's account key is not attested; nothing is sealed
    then.
    """
    secret = _current_secret(keyring, compartment)
    _seal_grant(compartment, compartment.version, user, secret)
    unfinished = RekeyJob.objects.filter(compartment=compartment, finished_at=None)
    for version in set(unfinished.values_list("from_version", flat=True)):
        old = keyring.compartment_secret(compartment.pk, version)
        if old is not None:
            _seal_grant(compartment, version, user, old)
    PendingGrant.objects.filter(compartment=compartment, user=user).delete()


def _current_secret(keyring: Keyring, compartment: Compartment) -> bytes:
    """The compartment's current private key from ``keyring``.

    Raises KeyForgery if the keyring refused it (S46), KeyUnavailable if it
    simply does not hold it.
    """
    secret = keyring.compartment_secret(compartment.pk, compartment.version)
    if secret is not None:
        return secret
    if keyring.refused_compartment(compartment.pk, compartment.version):
        raise attest.KeyForgery(f"the key of compartment {compartment.pk} was refused")
    raise KeyUnavailable(f"the keyring does not hold compartment {compartment.pk}")


def holds(user: User, compartment: Compartment) -> bool:
    return Grant.objects.filter(
        compartment=compartment, version=compartment.version, user=user
    ).exists()


def holders(compartment: Compartment) -> QuerySet[User]:
    return User.objects.filter(
        grants__compartment=compartment, grants__version=compartment.version
    ).distinct()


def wait_for_grant(compartment: Compartment, user: User, reason: str) -> None:
    PendingGrant.objects.update_or_create(
        compartment=compartment, user=user, defaults={"reason": reason}
    )


def revoke(keyring: Keyring, compartment: Compartment, user: User) -> RekeyJob:
    """Take the compartment away from ``user``: their grants go, a new key
    version starts for everyone else, and a job re-wraps older data keys.

    Raises LastKeyHolder if nobody else would hold the key (S10), and
    KeyForgery if a remaining holder's account key is not attested (S46): the
    caller's transaction must then roll back, as nothing may be sealed to it.
    """
    compartment = Compartment.objects.select_for_update().get(pk=compartment.pk)
    remaining = list(holders(compartment).exclude(pk=user.pk))
    if not remaining:
        raise LastKeyHolder(f"{user.pk} holds the last key of {compartment.pk}")
    Grant.objects.filter(compartment=compartment, user=user).delete()
    PendingGrant.objects.filter(compartment=compartment, user=user).delete()
    old_version = compartment.version
    old_secret = keyring.compartment_secret(compartment.pk, old_version)
    public, private = crypto.new_keypair()
    compartment.version = old_version + 1
    compartment.save(update_fields=["version"])
    _new_version(compartment, compartment.version, public)
    keyring.remember_compartment(compartment.pk, compartment.version, private)
    for holder in remaining:
        _seal_grant(compartment, compartment.version, holder, private)
    keyring.forget_grants()
    return RekeyJob.objects.create(
        compartment=compartment,
        from_version=old_version,
        to_version=compartment.version,
        old_secret=_seal_for_job(compartment, old_version, old_secret) if old_secret else None,
    )


def _job_ad(compartment_id: uuid.UUID, version: int) -> bytes:
    return f"rekey|{compartment_id}|{version}".encode()


def _seal_for_job(compartment: Compartment, version: int, secret: bytes) -> bytes:
    kek = crypto.secret_kek(b"rekey", instance_key(), b"hs-rekey-kek")
    return crypto.seal_data(kek, secret, _job_ad(compartment.pk, version), pad=False)


def open_for_job(job: RekeyJob) -> bytes:
    kek = crypto.secret_kek(b"rekey", instance_key(), b"hs-rekey-kek")
    assert job.old_secret is not None  # noqa: S101
    return crypto.open_data(
        kek, bytes(job.old_secret), _job_ad(job.compartment_id, job.from_version)
    )


def complete_pending(keyring: Keyring) -> int:
    """What a key holder does for others when logging in: give waiting new
    members their key, and hand old keys to waiting re-wrap jobs.

    Skips what it cannot do (a key it does not hold after all, a key version
    or account key the instance key does not vouch for — reported), so that a
    log-in never fails over someone else's keys.
    """
    if keyring.user_id is None:
        return 0
    held = Grant.objects.filter(user_id=keyring.user_id, version=F("compartment__version"))
    compartments = {g.compartment_id: g.compartment for g in held.select_related("compartment")}
    done = 0
    for pending in PendingGrant.objects.filter(
        compartment_id__in=compartments, reason=PendingGrant.Reason.JOINED
    ).select_related("user"):
        try:
            with transaction.atomic():
                grant(keyring, compartments[pending.compartment_id], pending.user)
        except (KeyUnavailable, attest.KeyForgery):
            continue
        done += 1
    for job in RekeyJob.objects.filter(finished_at=None, old_secret=None):
        secret = keyring.compartment_secret(job.compartment_id, job.from_version)
        if secret is not None:
            job.old_secret = _seal_for_job(job.compartment, job.from_version, secret)
            job.save(update_fields=["old_secret"])
    return done


# Invitation links carry the group's key, so that a new member can read at once.


def _invitation_ad(invitation_id: uuid.UUID, compartment_id: uuid.UUID) -> bytes:
    return f"invitation|{invitation_id}|{compartment_id}".encode()


def seal_for_invitation(
    keyring: Keyring, compartment: Compartment, invitation_id: uuid.UUID, token: str
) -> bytes:
    """The compartment's current key (and older ones still needed while records
    are re-wrapped), locked with the link's token — which the server never
    stores — and the instance key.

    Raises KeyForgery if the keyring refused the current key (S46), and
    KeyUnavailable if it does not hold it.
    """
    payload = struct.pack(">I", compartment.version) + _current_secret(keyring, compartment)
    for version in _readable_versions(compartment)[1:]:
        secret = keyring.compartment_secret(compartment.pk, version)
        if secret is not None:
            payload += struct.pack(">I", version) + secret
    kek = crypto.secret_kek(token.encode("utf-8"), instance_key(), b"hs-invite-kek")
    return crypto.seal_data(kek, payload, _invitation_ad(invitation_id, compartment.pk), pad=False)


def _readable_versions(compartment: Compartment) -> list[int]:
    """The current version, and older ones whose records are still being re-wrapped."""
    unfinished = RekeyJob.objects.filter(compartment=compartment, finished_at=None)
    older = set(unfinished.values_list("from_version", flat=True)) - {compartment.version}
    return [compartment.version, *sorted(older)]


def open_invitation(
    keyring: Keyring,
    sealed: bytes,
    compartment: Compartment,
    invitation_id: uuid.UUID,
    token: str,
    *,
    user: User | None,
) -> None:
    """Open the key a link carries into ``keyring``; with ``user``, it becomes
    theirs (if a newer version exists since, they wait for a holder).

    Only keys of attested versions are taken (S46). Raises CryptoError if the
    link does not open the sealed key, and KeyForgery if ``user``'s account
    key is not attested (nothing is sealed to it).
    """
    kek = crypto.secret_kek(token.encode("utf-8"), instance_key(), b"hs-invite-kek")
    payload = crypto.open_data(kek, sealed, _invitation_ad(invitation_id, compartment.pk))
    size = 4 + crypto.KEY_BYTES
    versions = []
    for start in range(0, len(payload), size):
        (version,) = struct.unpack(">I", payload[start : start + 4])
        secret = payload[start + 4 : start + size]
        if not _is_version_key(compartment, version, secret):
            continue
        keyring.remember_compartment(compartment.pk, version, secret)
        versions.append(version)
        if user is not None:
            _seal_grant(compartment, version, user, secret)
    if user is None:
        return
    keyring.forget_grants()
    if compartment.version not in versions:
        wait_for_grant(compartment, user, PendingGrant.Reason.JOINED)


def _is_version_key(compartment: Compartment, version: int, secret: bytes) -> bool:
    """Whether ``secret`` is the private key of an attested version (a version
    that fails its attestation is reported)."""
    try:
        public = attest.version_public_key(compartment, version)
    except attest.KeyForgery:
        return False
    try:
        return crypto.equal(crypto.public_key_of(secret), public)
    except crypto.CryptoError:
        return False


def _escrow_kek() -> bytes:
    return crypto.secret_kek(b"escrow", instance_key(), b"hs-escrow-kek")


def party_compartment(process_id: uuid.UUID, kind: str) -> Compartment:
    """The space of the person who caused harm (portal) or of the survivor.

    Groups only ever seal keys *into* it, with its public key. Its private
    key waits under a key from the instance key (documented in
    docs/encryption.md) until the first link to the party is made: from then
    on the group that made it keeps the key (:func:`keep_party_key`), and the
    account linked to the party holds it too.
    """
    existing = Compartment.objects.filter(process_id=process_id, kind=kind).first()
    if existing is not None:
        return existing
    compartment = Compartment.objects.create(process_id=process_id, kind=kind)
    public, private = crypto.new_keypair()
    _new_version(compartment, 1, public)
    compartment.escrow = crypto.seal_data(
        _escrow_kek(), private, _escrow_ad(compartment), pad=False
    )
    compartment.save(update_fields=["escrow"])
    return compartment


def _escrow_ad(compartment: Compartment) -> bytes:
    return f"escrow|{compartment.pk}|{compartment.version}".encode()


def party_secret(keyring: Keyring, compartment: Compartment) -> bytes | None:
    """A party space's current private key, for whoever may hand it over:
    an account holding it (the party's own, by its grant), a member of the
    group that keeps it (through the data key shared with that group), or —
    before any group keeps it — the escrow under the instance key. None if
    this keyring has no way to it; only the attested version's key is taken."""
    secret = keyring.compartment_secret(compartment.pk, compartment.version)
    if secret is not None or compartment.escrow is None:
        return secret
    if compartment.escrow_key_id is not None:
        kek = keyring.data_key(compartment.escrow_key_id)
        if kek is None:
            return None
    else:
        kek = _escrow_kek()
    try:
        secret = crypto.open_data(kek, bytes(compartment.escrow), _escrow_ad(compartment))
    except crypto.CryptoError:
        return None
    if not _is_version_key(compartment, compartment.version, secret):
        return None
    keyring.remember_compartment(compartment.pk, compartment.version, secret)
    return secret


def keep_party_key(
    keyring: Keyring, compartment: Compartment, group_compartment: Compartment
) -> None:
    """From now on the members of a group keep a party space's key (and the
    instance key no longer does): so the process survives the party leaving,
    and the group can link a new account. Raises KeyUnavailable if this
    keyring cannot reach the key."""
    secret = party_secret(keyring, compartment)
    if secret is None:
        raise KeyUnavailable(f"the keyring cannot reach compartment {compartment.pk}")
    if compartment.escrow_key_id is not None and keyring.data_key(compartment.escrow_key_id):
        keyring.share(compartment.escrow_key_id, group_compartment)
        return
    data_key = keyring.new_data_key(compartment.process_id)
    keyring.share(data_key.pk, group_compartment)
    kek = keyring.data_key(data_key.pk)
    assert kek is not None  # noqa: S101  (made just now)
    compartment.escrow = crypto.seal_data(kek, secret, _escrow_ad(compartment), pad=False)
    compartment.escrow_key = data_key
    compartment.save(update_fields=["escrow", "escrow_key"])


def hand_party_key_to(keyring: Keyring, compartment: Compartment, user: User) -> None:
    """Seal a party space's key to the account linked to the party, and take
    it from any account linked before. Raises KeyUnavailable if this keyring
    cannot reach the key, KeyForgery if the account key is not attested."""
    secret = party_secret(keyring, compartment)
    if secret is None:
        raise KeyUnavailable(f"the keyring cannot reach compartment {compartment.pk}")
    Grant.objects.filter(compartment=compartment).exclude(user=user).delete()
    _seal_grant(compartment, compartment.version, user, secret)
    PendingGrant.objects.filter(compartment=compartment).delete()
    keyring.forget_grants()


def finish_job(job: RekeyJob) -> None:
    job.finished_at = timezone.now()
    job.old_secret = None
    job.save(update_fields=["finished_at", "old_secret"])
    # Nobody needs the old version's key any more.
    Grant.objects.filter(compartment_id=job.compartment_id, version=job.from_version).delete()
