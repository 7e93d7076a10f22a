"""Accounts, invitations and server-side sessions."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
import uuid
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
        user.save(using=self._db)
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
