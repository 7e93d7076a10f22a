"""Deploy checks for the vault (S5, S12, S46)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError

from holdspace.vault import crypto

# Argon2id floor for the password-derived key: 64 MiB, two passes.
KDF_FLOOR = crypto.KdfParams(time_cost=2, memory_kib=64 * 1024, parallelism=1)


@register(Tags.security, deploy=True)
def check_kdf(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not crypto.KdfParams(**settings.VAULT_KDF).at_least(KDF_FLOOR):
        return [
            Error(
                "The key derivation for account keys uses test-speed Argon2 parameters.",
                hint="At least 64 MiB and two passes (HOLDSPACE_KDF_MEMORY_MIB).",
                id="holdspace.E020",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_instance_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from holdspace.vault.instance import problem

    try:
        found = problem()
    except DatabaseError:
        return []  # no database yet: nothing to protect, nothing lost
    return [Error(found, id="holdspace.E021")] if found else []


@register(Tags.security, deploy=True)
def check_key_alarms(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Key material Holdspace refused (S46) waits for an administrator to look."""
    from holdspace.vault.models import KeyAlarm

    try:
        alarms = KeyAlarm.objects.count()
        groups = KeyAlarm.objects.values("compartment_id").distinct().count()
    except DatabaseError:
        return []  # no database yet
    if not alarms:
        return []
    return [
        Warning(
            f"Holdspace refused {alarms} key row(s) in {groups} compartment(s) that the "
            "instance key does not vouch for: someone may have written to the database.",
            hint="The audit log's keys.forgery_refused entries and the table vault_keyalarm "
            "name the rows. Check and remove them, then delete the alarm rows.",
            id="holdspace.W022",
        )
    ]
