"""The audit log: content-free, hash-chained, append-only."""

from __future__ import annotations

from django.db import models

GENESIS = "0" * 64


class Entry(models.Model):
    """One state change: who, what (an action code), on which object, when.

    Never content: no names, no text. `details_digest` covers the actor and
    object ids, so retention can blank them for a purged process while the
    chain still verifies.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    action = models.CharField(max_length=64)
    actor_id = models.UUIDField(null=True, blank=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    process_id = models.UUIDField(null=True, blank=True, db_index=True)
    # The group whose space the change concerns, so coordinators see their part.
    group_id = models.UUIDField(null=True, blank=True)
    details_digest = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"{self.seq} {self.action}"


class Head(models.Model):
    """The last sequence number and hash: serialises writers (the row is locked
    while an entry is appended) and reveals a deleted last entry."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"head at {self.seq}"
