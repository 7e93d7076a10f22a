"""Move second factors out of django-otp's plain-text tables (S48).

Forwards: each authenticator's seed is sealed into an AuthenticatorDevice
(throttling and the last accepted step carry over) and each backup code
becomes a keyed digest; the plain rows are deleted. Needs the instance key,
like every log-in. Sessions verified with the old devices end: everybody
logs in once more.

Backwards: seeds go back into django-otp's TOTP table. Backup codes cannot
be recovered from their digests, so the accounts have none afterwards and
make new ones in "Your account" (their authenticator app keeps working).
"""

import uuid

from django.db import migrations


def _copy_device(old, new_model, **fields):
    return new_model(
        user_id=old.user_id,
        name=old.name,
        confirmed=old.confirmed,
        throttling_failure_timestamp=old.throttling_failure_timestamp,
        throttling_failure_count=old.throttling_failure_count,
        last_used_at=old.last_used_at,
        **fields,
    )


def seal_and_hash(apps, schema_editor):
    from holdspace.accounts import factors

    plain_totp = apps.get_model("otp_totp", "TOTPDevice")
    plain_static = apps.get_model("otp_static", "StaticDevice")
    plain_token = apps.get_model("otp_static", "StaticToken")
    authenticator = apps.get_model("accounts", "AuthenticatorDevice")
    backup_device = apps.get_model("accounts", "BackupCodeDevice")
    backup_code = apps.get_model("accounts", "BackupCode")

    for old in plain_totp.objects.all():
        binding = uuid.uuid4()
        _copy_device(
            old,
            authenticator,
            binding=binding,
            sealed_key=factors.seal_seed(old.user_id, binding, old.key),
            step=old.step,
            t0=old.t0,
            digits=old.digits,
            tolerance=old.tolerance,
            drift=old.drift,
            last_t=old.last_t,
        ).save()
    plain_totp.objects.all().delete()

    for old in plain_static.objects.all():
        device = _copy_device(old, backup_device)
        device.save()
        backup_code.objects.bulk_create(
            backup_code(device=device, digest=factors.code_digest(old.user_id, token))
            for token in plain_token.objects.filter(device=old).values_list("token", flat=True)
        )
    plain_static.objects.all().delete()


def unseal(apps, schema_editor):
    from holdspace.accounts import factors

    plain_totp = apps.get_model("otp_totp", "TOTPDevice")
    authenticator = apps.get_model("accounts", "AuthenticatorDevice")
    backup_device = apps.get_model("accounts", "BackupCodeDevice")

    for new in authenticator.objects.all():
        _copy_device(
            new,
            plain_totp,
            key=factors.open_seed(new.user_id, new.binding, bytes(new.sealed_key)),
            step=new.step,
            t0=new.t0,
            digits=new.digits,
            tolerance=new.tolerance,
            drift=new.drift,
            last_t=new.last_t,
        ).save()
    authenticator.objects.all().delete()
    backup_device.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_second_factor_devices"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(seal_and_hash, unseal)]
