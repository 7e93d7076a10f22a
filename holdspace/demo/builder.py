"""The demo: invented accounts (and, from later parts, an invented process).

Demo passwords and two-factor secrets are derived from the instance's secret
key, so `holdspace demo --credentials FILE` can write the same file again at
any time without storing a password anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.oath import totp

from holdspace.accounts import auth
from holdspace.accounts.models import AuthenticatorDevice, User
from holdspace.accounts.services import create_account
from holdspace.vault import accounts as vault_accounts


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    description: str
    is_instance_admin: bool = False
    # Allowed by the administrator to start processes (administrators always may).
    may_start_processes: bool = False


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "demo-support-coordinator",
        "support group coordinator",
        "Coordinates the survivor's support group of Process Juniper; started the process.",
        may_start_processes=True,
    ),
    DemoAccount(
        "demo-support-member",
        "support group member",
        "Member of the support group: sees its notes and what others shared with it.",
    ),
    DemoAccount(
        "demo-contact-coordinator",
        "contact group coordinator",
        "Coordinates the contact group, which keeps in touch with the person who caused harm.",
    ),
    DemoAccount(
        "demo-contact-member",
        "contact group member",
        "Member of the contact group.",
    ),
    DemoAccount(
        "demo-supervision",
        "supervision group coordinator",
        "Coordinates the supervision group, which reads the contact group's reports.",
    ),
    DemoAccount(
        "demo-support-team",
        "support team coordinator",
        "Coordinates the support team that looks after the person who caused harm.",
    ),
    DemoAccount(
        "demo-pending",
        "contact group member waiting for confirmation",
        "Declared a friendship with the person who caused harm; waits for a coordinator.",
    ),
    DemoAccount(
        "demo-survivor",
        "survivor",
        "Linked to the survivor of Process Juniper: sees her demands and what waits for her.",
    ),
    DemoAccount(
        "demo-portal",
        "person who caused harm",
        "Linked to the person who caused harm: his portal shows what is addressed to him.",
    ),
    DemoAccount(
        "demo-admin",
        "instance admin",
        "Administers this instance: invites people, looks after accounts; sees no process.",
        is_instance_admin=True,
    ),
    DemoAccount(
        "demo-newcomer",
        "account without a group",
        "Has an account but belongs to no group yet, so sees no process.",
    ),
)


class DemoError(Exception):
    pass


def _derive(purpose: str, username: str) -> bytes:
    message = f"holdspace-demo:{purpose}:{username}".encode()
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), message, hashlib.sha256).digest()


def demo_password(username: str) -> str:
    letters = base64.b32encode(_derive("password", username)).decode("ascii").lower()[:20]
    return "-".join(letters[i : i + 5] for i in range(0, 20, 5))


def demo_totp_key(username: str) -> str:
    return _derive("totp", username)[:20].hex()


def demo_exists() -> bool:
    return User.objects.filter(is_demo=True).exists()


def database_is_empty() -> bool:
    return not User.objects.exists()


def build() -> None:
    """Create the demo in one transaction: all of it, or nothing."""
    from holdspace.processes import demo as process_demo

    with transaction.atomic():
        users, private_keys = {}, {}
        for account in ACCOUNTS:
            user, private = create_account(
                account.username,
                demo_password(account.username),
                is_demo=True,
                is_instance_admin=account.is_instance_admin,
                may_start_processes=account.may_start_processes,
            )
            # Demo accounts skip the recovery-key step of a first log-in.
            vault_accounts.save_recovery_key(user, private, vault_accounts.new_recovery_key())
            private_keys[user.username] = private
            AuthenticatorDevice.with_key(user, demo_totp_key(user.username), confirmed=True).save()
            auth.new_backup_codes(user)
            users[user.username] = user
        process_demo.build(users, private_keys)


def credentials() -> list[dict[str, Any]]:
    """The log-ins of the demo accounts, checked against the database."""
    users = {user.username: user for user in User.objects.filter(is_demo=True)}
    rows = []
    for account in ACCOUNTS:
        user = users.get(account.username)
        password = demo_password(account.username)
        if user is None or not user.check_password(password):
            raise DemoError(
                f"The demo account {account.username!r} is missing or was created with "
                "another secret key; start with an empty data directory."
            )
        device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise DemoError(f"The demo account {account.username!r} has no authenticator.")
        rows.append(
            {
                "username": account.username,
                "password": password,
                "totp_secret": auth.totp_secret(device),
                "role": account.role,
                "description": account.description,
            }
        )
    return rows


def current_code(username: str) -> str:
    """The TOTP code a demo account's authenticator would show now."""
    device = AuthenticatorDevice.objects.filter(
        user__username=username, user__is_demo=True, confirmed=True
    ).first()
    if device is None:
        raise DemoError(f"{username!r} is not a demo account.")
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
