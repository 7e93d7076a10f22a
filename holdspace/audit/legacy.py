"""The audit chain's first, unkeyed format (plain SHA-256), frozen.

Kept for migration 0003, which re-chains old logs under the audit key (and
back), and so that `verify` can tell an entry that was never re-keyed from an
edited one. Never change these functions: stored hashes depend on them.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime


def details_digest(actor_id: uuid.UUID | None, target_type: str, target_id: str) -> str:
    """SHA-256 over the actor and object, as written before the chain was keyed."""
    payload = {
        "actor": str(actor_id) if actor_id else None,
        "target_type": target_type,
        "target_id": target_id,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def entry_hash(
    seq: int,
    previous: str,
    at: datetime,
    action: str,
    scope: tuple[uuid.UUID | None, uuid.UUID | None],
    digest: str,
) -> str:
    """SHA-256 over an entry, as written before the chain was keyed.
    ``scope`` is (process, group)."""
    stamp = at.astimezone(UTC).isoformat(timespec="microseconds")
    process_id, group_id = scope
    material = "|".join(
        (str(seq), previous, stamp, action, str(process_id or ""), str(group_id or ""), digest)
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()
