"""Re-wrapping data keys after a compartment's key changed (S11).

Resumable and idempotent: each batch moves wraps from the old version to the
new one in one transaction (a new wrap in, the old one out), so a process
killed at any point leaves every data key wrapped exactly once, and running
again simply continues.

Nothing is sealed to a version the instance key does not vouch for, and a
key that does not match its data key's commitment is not carried over (S46):
a job planted in the database cannot move a group's keys to a key of its own.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.db import transaction

from holdspace.vault import alarms, attest, crypto
from holdspace.vault.compartments import finish_job, open_for_job
from holdspace.vault.keyring import wrap_ad
from holdspace.vault.models import Compartment, DataKey, KeyAlarm, RekeyJob, Wrap

log = logging.getLogger("holdspace.vault")


def _keeps_commitment(
    wrap: Wrap, key: bytes, data_key: tuple[uuid.UUID | None, bytes | None] | None
) -> bool:
    """Whether the key a wrap opened to may move to the new version: it must
    match its data key's commitment. A key not committed yet moves as it is
    (readers check it when they first open it)."""
    process_id, commitment = data_key or (None, None)
    stored = bytes(commitment) if commitment is not None else b""
    if stored[:1] != bytes([attest.COMMITTED]):
        return True
    verdict = attest.check_data_key(wrap.data_key_id, process_id, stored, key)
    return verdict is attest.Verdict.MATCHES


def _report(job: RekeyJob, wrap: Wrap) -> None:
    compartment = job.compartment
    alarms.report(
        KeyAlarm.What.WRAP,
        Wrap,
        wrap.pk,
        compartment_id=compartment.pk,
        process_id=compartment.process_id,
        group_id=compartment.group_id,
    )


def _open(job: RekeyJob, wrap: Wrap, old_secret: bytes) -> bytes | None:
    ad = wrap_ad(wrap.data_key_id, job.compartment_id, job.from_version)
    try:
        return crypto.open_sealed(old_secret, bytes(wrap.sealed), ad)
    except crypto.CryptoError:
        return None


def _batch(job: RekeyJob, old_secret: bytes, new_public: bytes, size: int) -> int:
    """Move up to ``size`` wraps to the new version in one transaction. A wrap
    that does not open, or opens to a key other than the committed one, is
    not carried over (reported); every old wrap goes."""
    with transaction.atomic():
        wraps = list(
            Wrap.objects.select_for_update().filter(
                compartment_id=job.compartment_id, version=job.from_version
            )[:size]
        )
        data_keys = {
            pk: (process_id, bytes(commitment) if commitment is not None else None)
            for pk, process_id, commitment in DataKey.objects.filter(
                pk__in=[wrap.data_key_id for wrap in wraps]
            ).values_list("pk", "process_id", "commitment")
        }
        for wrap in wraps:
            key = _open(job, wrap, old_secret)
            if key is not None and _keeps_commitment(wrap, key, data_keys.get(wrap.data_key_id)):
                Wrap.objects.get_or_create(
                    data_key_id=wrap.data_key_id,
                    compartment_id=job.compartment_id,
                    version=job.to_version,
                    defaults={
                        "sealed": crypto.seal_to(
                            new_public,
                            key,
                            wrap_ad(wrap.data_key_id, job.compartment_id, job.to_version),
                        )
                    },
                )
            else:
                _report(job, wrap)
            wrap.delete()
    return len(wraps)


def _new_public(job: RekeyJob) -> bytes | None:
    """The public key to re-wrap to, if the job moves forward to a version the
    instance key vouches for; None (reported) if not."""
    compartment: Compartment = job.compartment
    if job.to_version <= job.from_version:
        attest.report_version(
            (compartment.pk, compartment.process_id, compartment.kind, compartment.group_id),
            None,
        )
        return None
    try:
        return attest.version_public_key(compartment, job.to_version)
    except attest.KeyForgery:
        return None


def run(
    *,
    batch_size: int = 200,
    max_batches: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Work through every job whose old key is available; returns wraps moved.

    A job whose new version is not attested (S46) is left waiting, reported,
    and nothing is sealed to it; the other jobs go on.
    """
    moved = batches = 0
    for job in (
        RekeyJob.objects.filter(finished_at=None)
        .exclude(old_secret=None)
        .select_related("compartment")
        .order_by("created_at", "id")
    ):
        new_public = _new_public(job)
        if new_public is None:
            log.error("rekey.refused compartment=%s version=%s", job.compartment_id, job.to_version)
            continue
        old_secret = open_for_job(job)
        while True:
            if max_batches is not None and batches >= max_batches:
                return moved
            count = _batch(job, old_secret, new_public, batch_size)
            batches += 1
            moved += count
            if progress is not None and count:
                progress(moved)
            if count < batch_size:
                break
        with transaction.atomic():
            finish_job(RekeyJob.objects.select_for_update().get(pk=job.pk))
        log.info("rekey.finished compartment=%s version=%s", job.compartment_id, job.to_version)
    return moved


def pending_jobs() -> int:
    return RekeyJob.objects.filter(finished_at=None).count()
