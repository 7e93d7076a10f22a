"""Re-wrapping data keys after a compartment's key changed (S11).

Resumable and idempotent: each batch moves wraps from the old version to the
new one in one transaction (a new wrap in, the old one out), so a process
killed at any point leaves every data key wrapped exactly once, and running
again simply continues.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from holdspace.vault import crypto
from holdspace.vault.compartments import finish_job, open_for_job
from holdspace.vault.keyring import wrap_ad
from holdspace.vault.models import CompartmentVersion, RekeyJob, Wrap

log = logging.getLogger("holdspace.vault")


def _batch(job: RekeyJob, old_secret: bytes, new_public: bytes, size: int) -> int:
    with transaction.atomic():
        wraps = list(
            Wrap.objects.select_for_update().filter(
                compartment_id=job.compartment_id, version=job.from_version
            )[:size]
        )
        for wrap in wraps:
            key = crypto.open_sealed(
                old_secret,
                bytes(wrap.sealed),
                wrap_ad(wrap.data_key_id, job.compartment_id, job.from_version),
            )
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
            wrap.delete()
    return len(wraps)


def run(
    *,
    batch_size: int = 200,
    max_batches: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Work through every job whose old key is available; returns wraps moved."""
    moved = batches = 0
    for job in (
        RekeyJob.objects.filter(finished_at=None)
        .exclude(old_secret=None)
        .order_by("created_at", "id")
    ):
        old_secret = open_for_job(job)
        new_public = bytes(
            CompartmentVersion.objects.get(
                compartment_id=job.compartment_id, version=job.to_version
            ).public_key
        )
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
