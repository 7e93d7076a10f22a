"""Accounts, invitations and server-side sessions."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
import time
import unicodedata
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from holdspace.accounts import factors
from holdspace.vault import crypto

security_log = logging.getLogger("holdspace.security")

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")


def normalize_username(raw: str) -> str:
    """Usernames are compared without regard to case or Unicode form."""
    return unicodedata.normalize("NFKC", raw).strip().lower()


def validate_username(value: str) -> None:
    if not USERNAME_PATTERN.match(normalize_username(value)):
        raise ValidationError(
            _(
                "Use 3 to 40 characters: letters a to z, digits, dots, dashes or "
                "underscores, starting with a letter or digit."
            ),
            code="invalid_username",
        )


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username=normalize_username(username or ""))

    def create_user(self, username: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(username=normalize_username(username), **extra)
        user.set_password(password)
        user.save(using=self._db)  # a new row
        return user


class User(AbstractBaseUser):
    """An account. Holds no process data: memberships live in the processes app.

    The username is only for logging in; it does not need to be a real name.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = models.CharField(
        _("username"), max_length=40, unique=True, validators=[validate_username]
    )
    is_active = models.BooleanField(default=True)
    is_instance_admin = models.BooleanField(default=False)
    # Set by an administrator: this account may start new processes (and
    # then coordinates the first group). Administrators always may.
    may_start_processes = models.BooleanField(_("may start processes"), default=False)
    # Accounts created by `holdspace demo`; their presence marks a demo instance.
    is_demo = models.BooleanField(default=False, db_index=True)
    language = models.CharField(max_length=8, blank=True, choices=settings.LANGUAGES)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = [Lower("username")]

    def __str__(self) -> str:
        return self.username

    def clean(self) -> None:
        super().clean()
        self.username = normalize_username(self.username)


def hash_token(token: str) -> str:
    """Invitation tokens are stored only as their SHA-256 (S27).

    The tokens are 256-bit random values, so a fast hash is enough: nothing
    can be guessed from the digest.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> InvitationQuerySet:
        return self.filter(used_at=None, revoked_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use, expiring link: to create an account, or to set a new password."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("new account")
        RESET = "reset", _("new password")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # For a reset: whose password. For an account invitation: the account
    # it created, once used.
    account = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    grants_instance_admin = models.BooleanField(default=False)
    grants_process_start = models.BooleanField(default=False)
    resets_two_factor = models.BooleanField(default=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} invitation {self.pk}"

    @classmethod
    def issue(
        cls,
        kind: Invitation.Kind,
        *,
        created_by: User | None,
        account: User | None = None,
        grants_instance_admin: bool = False,
        grants_process_start: bool = False,
        resets_two_factor: bool = False,
    ) -> tuple[Invitation, str]:
        """Create an invitation and return it with its token (shown once)."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            kind=kind,
            token_hash=hash_token(token),
            created_by=created_by,
            account=account,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
            grants_instance_admin=grants_instance_admin,
            grants_process_start=grants_process_start,
            resets_two_factor=resets_two_factor,
        )
        return invitation, token

    @classmethod
    def find_usable(cls, kind: Invitation.Kind, token: str) -> Invitation | None:
        """The usable invitation for ``token``, or None: expired, used, revoked
        and unknown tokens are indistinguishable to the caller."""
        return cls.objects.usable().filter(kind=kind, token_hash=hash_token(token)).first()

    @property
    def is_pending(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class SubmissionReceipt(models.Model):
    """A saved form, by its one-time token (S52, see processes.writes): the
    same form sent again leads to what the first sending saved, instead of
    saving it twice. ``result`` is a path of ids only, never content."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    result = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"submission {self.pk}"


class KeptPost(models.Model):
    """What someone sent just as their session ran out (accounts.kept), kept
    for their next log-in: sealed to the account's public key, so only that
    account's log-in opens it; one per account, for an hour at most."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    # A fresh key sealed to the account's public key, and the (padded) text under it.
    sealed_key = models.BinaryField()
    payload = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"kept post {self.pk}"


class Draft(models.Model):
    """A long form being written, saved every half minute by the page's
    script (accounts.drafts): sealed to the author's public key, one per
    account and page, deleted when the form is saved or discarded."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    # A keyed digest of the page's path: the path itself is inside the payload.
    page = models.CharField(max_length=64)
    sealed_key = models.BinaryField()
    payload = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="one_draft_per_account_and_page")
        ]

    def __str__(self) -> str:
        return f"draft {self.pk}"


class Session(AbstractBaseSession):
    """Django's database session, plus the account, so that all sessions of
    an account can be ended at once (removal, deactivation, password reset)."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )

    @classmethod
    def get_session_store_class(cls) -> type[Any]:
        from holdspace.accounts.sessions import SessionStore

        return SessionStore


# Second factors (S22, S48) ----------------------------------------------------
#
# Holdspace's own django-otp devices, so that no second factor is stored in
# the clear: django-otp's plugins keep the authenticator's seed as hex and
# backup codes as plain text, in columns too short for a ciphertext. These
# work with django-otp as its plugins do (``django_otp.login``,
# ``user.is_verified()``, persistent ids "accounts.authenticatordevice/<id>").


if TYPE_CHECKING:

    class _Device(models.Model):
        """What mypy needs to know of django-otp's (untyped) device models."""

        user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
        name = models.CharField(max_length=64)
        confirmed = models.BooleanField(default=True)
        throttling_failure_timestamp = models.DateTimeField(null=True)
        throttling_failure_count = models.PositiveIntegerField(default=0)
        created_at = models.DateTimeField(null=True)
        last_used_at = models.DateTimeField(null=True)
        persistent_id: str
        objects: ClassVar[models.Manager[Self]]

        class Meta:
            abstract = True

        def verify_is_allowed(self) -> tuple[bool, dict[str, Any] | None]: ...
        def throttle_reset(self, commit: bool = True) -> None: ...
        def throttle_increment(self, commit: bool = True) -> None: ...
        def set_last_used_timestamp(self, commit: bool = True) -> None: ...

else:

    class _Device(TimestampMixin, ThrottlingMixin, Device):
        # No reverse accessors on User: devices are looked up from their side.
        user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

        class Meta(Device.Meta):
            abstract = True


class AuthenticatorDevice(_Device):
    """An authenticator app (TOTP, RFC 6238). Its seed is sealed under a key
    from the instance key and bound to this row (see accounts.factors)."""

    # Part of the seal's associated data: known before the row is saved.
    binding = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sealed_key = models.BinaryField()
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    # The time step of the last accepted code: a code works only once.
    last_t = models.BigIntegerField(default=-1)

    class Meta:
        verbose_name = "authenticator app"

    @classmethod
    def with_key(cls, user: User, key: str, *, confirmed: bool) -> AuthenticatorDevice:
        """An unsaved device for ``user`` with the seed ``key`` (hex)."""
        device = cls(user=user, name="authenticator", confirmed=confirmed)
        device.sealed_key = factors.seal_seed(user.pk, device.binding, key)
        return device

    @property
    def key(self) -> str:
        """The seed as hex. Raises crypto.CryptoError if the sealed seed was
        changed or belongs to another row."""
        return factors.open_seed(self.user_id, self.binding, bytes(self.sealed_key))

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(self.key)

    def get_throttle_factor(self) -> int:
        return int(settings.OTP_TOTP_THROTTLE_FACTOR)

    def verify_token(self, token: Any) -> bool:
        """Whether ``token`` is the code the app shows now (one step either
        way allowed) and newer than the last one accepted; wrong codes slow
        the next attempt down (django-otp's throttling)."""
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            number = int(token)
        except (TypeError, ValueError):
            number = None
        try:
            seed = self.bin_key
        except crypto.CryptoError:
            # A changed or moved seed opens nothing: the code is refused.
            security_log.error("authenticator.seed_unreadable user=%s", self.user_id)
            return False
        verified = False
        if number is not None:
            totp = TOTP(seed, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = bool(totp.verify(number, self.tolerance, self.last_t + 1))
            if verified:
                self.last_t = totp.t()
                self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save(update_fields=[*_THROTTLE_FIELDS, "last_used_at", "last_t", "drift"])
        if not verified:
            self.throttle_increment(commit=False)
            self.save(update_fields=_THROTTLE_FIELDS)
        return verified

    @property
    def config_url(self) -> str:
        """The otpauth:// address an app reads from the QR code."""
        label = str(self.user.get_username())
        params = {
            "secret": base64.b32encode(self.bin_key).decode("ascii"),
            "algorithm": "SHA1",
            "digits": self.digits,
            "period": self.step,
        }
        issuer = str(settings.OTP_TOTP_ISSUER).replace(":", "")
        if issuer:
            label = f"{issuer}:{label}"
            params["issuer"] = issuer
        return f"otpauth://totp/{quote(label)}?{urlencode(params, quote_via=quote)}"


class BackupCodeDevice(_Device):
    """An account's backup codes. Each works once; only a keyed digest of
    each is stored (see accounts.factors)."""

    class Meta:
        verbose_name = "backup codes"

    def get_throttle_factor(self) -> int:
        return int(settings.OTP_STATIC_THROTTLE_FACTOR)

    def verify_token(self, token: Any) -> bool:
        """Whether ``token`` is one of the codes; a matching code is used up.
        Call inside a transaction holding this row locked (select_for_update)."""
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        candidate = factors.code_digest(self.user_id, str(token))
        stored = BackupCode.objects.filter(device=self).values_list("pk", "digest")
        match = factors.find_digest(candidate, ((pk, bytes(digest)) for pk, digest in stored))
        deleted = BackupCode.objects.filter(pk=match).delete()[0] if match is not None else 0
        if deleted:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save(update_fields=[*_THROTTLE_FIELDS, "last_used_at"])
            return True
        self.throttle_increment(commit=False)
        self.save(update_fields=_THROTTLE_FIELDS)
        return False


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.BinaryField()

    def __str__(self) -> str:
        return f"backup code {self.pk}"


_THROTTLE_FIELDS = ["throttling_failure_timestamp", "throttling_failure_count"]


class NetworkLoginFailures(models.Model):
    """Failed log-ins from one network in one minute (S50; see accounts.throttle).

    The network is stored only as a keyed digest, and rows older than the
    previous minute are deleted as new ones come.
    """

    network = models.CharField(max_length=64)
    minute = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "minute"], name="one_count_per_minute")
        ]
        indexes = [models.Index(fields=["minute"])]

    def __str__(self) -> str:
        return f"failures in minute {self.minute}"
