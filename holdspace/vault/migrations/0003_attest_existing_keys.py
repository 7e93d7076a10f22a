"""Attest the keys that existed before attestations did (S46).

Account keys and compartment versions get their attestation now: the rows in
the database at the moment of upgrading are trusted (trust on first use at
upgrade, see docs/encryption.md). Data keys cannot be committed without their
keys, which the server does not hold: they get a legacy marker, and a
member's keyring commits each one the first time it opens it.

Needs the instance key when there are rows; without the file it stops with
a message naming it, and changes nothing. Going back changes nothing: the
columns go with the migration before this one.

The format (vault/attest.py, version 1) is copied here on purpose: this
migration must go on writing it whatever later versions of attest.py do.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import migrations

from holdspace.vault import crypto, instance

BATCH = 500
ATTESTATION_VERSION = 1
LEGACY = 2


def _mac(key: bytes, *fields: str | bytes) -> bytes:
    message = bytearray()
    for field in fields:
        data = field.encode("utf-8") if isinstance(field, str) else field
        message += struct.pack(">I", len(data)) + data
    return crypto.digest(bytes(message), key=key, person=b"hs-attest")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _attestation_key() -> bytes:
    path = Path(settings.VAULT_INSTANCE_KEY_FILE)
    try:
        if not path.exists():
            raise instance.InstanceKeyError(f"The instance key file {path} is missing.")
        key = instance.instance_key()
    except instance.InstanceKeyError as error:
        raise CommandError(
            f"{error} It is needed to attest the keys already in the database. Restore the "
            "file from your backup (HOLDSPACE_INSTANCE_KEY_FILE names it), then run "
            "`holdspace migrate` again. Nothing was changed."
        ) from None
    return crypto.secret_kek(b"key-attestation", key, b"hs-attest-key")


def attest_existing(apps: Any, schema_editor: Any) -> None:
    account_keys = apps.get_model("vault", "AccountKey").objects.filter(attestation=None)
    versions = apps.get_model("vault", "CompartmentVersion").objects.filter(attestation=None)
    data_keys = apps.get_model("vault", "DataKey").objects.filter(commitment=None)
    if not (account_keys.exists() or versions.exists() or data_keys.exists()):
        return
    key = _attestation_key()

    def account(row: Any) -> bytes:
        fields = (_text(row.user_id), str(row.generation), bytes(row.public_key))
        return bytes([ATTESTATION_VERSION]) + _mac(key, "account-key", *fields)

    def version(row: Any) -> bytes:
        compartment = row.compartment
        fields = (
            _text(compartment.pk),
            _text(compartment.process_id),
            str(compartment.kind),
            _text(compartment.group_id),
            str(row.version),
            bytes(row.public_key),
        )
        return bytes([ATTESTATION_VERSION]) + _mac(key, "compartment-version", *fields)

    def legacy(row: Any) -> bytes:
        fields = (_text(row.pk), _text(row.process_id))
        return bytes([LEGACY]) + _mac(key, "data-key-legacy", *fields)

    _fill(account_keys, "attestation", account)
    _fill(versions.select_related("compartment"), "attestation", version)
    _fill(data_keys, "commitment", legacy)


def _fill(rows: Any, field: str, value: Callable[[Any], bytes]) -> None:
    """Set ``field`` on every row still without it, a batch at a time (bounded
    memory; filled rows leave the query, so each batch is fetched afresh)."""
    while batch := list(rows.order_by("pk")[:BATCH]):
        for row in batch:
            setattr(row, field, value(row))
        rows.model.objects.bulk_update(batch, [field])

class Migration(migrations.Migration):
    dependencies = [
        ("vault", "0002_key_attestations"),
    ]

    operations = [
        migrations.RunPython(attest_existing, migrations.RunPython.noop, elidable=False),
    ]
