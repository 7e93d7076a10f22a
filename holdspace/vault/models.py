"""Keys, kept only in wrapped form.

- AccountKey: an account's X25519 key pair; the private key wrapped by a key
  from the password and by a key from the recovery key, both mixed with the
  instance key.
- Compartment: a group's space in a process (or the portal / survivor space),
  with a key pair per version; its private key is sealed to each member
  allowed to read it (Grant).
- DataKey: the random key that encrypts one record's (or one process's, or
  one group's) texts; sealed to each compartment allowed to read them (Wrap).
- RekeyJob: after someone leaves, re-wraps older data keys to the new version.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from holdspace.accounts.models import User


class AccountKey(models.Model):
    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="vault_key"
    )
    public_key = models.BinaryField()
    by_password = models.BinaryField()
    by_recovery = models.BinaryField(null=True, blank=True)
    recovery_confirmed_at = models.DateTimeField(null=True, blank=True)
    # Grows when the account gets a new key pair (reset without recovery key).
    generation = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"keys of {self.user_id}"


class Compartment(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", "group"
        PORTAL = "portal", "portal of the person who caused harm"
        SURVIVOR = "survivor", "survivor's view"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(
        "processes.Process", on_delete=models.CASCADE, related_name="compartments"
    )
    group = models.OneToOneField(
        "processes.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="compartment",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    version = models.PositiveIntegerField(default=1)
    # For a party's space before an account is linked to the party: its
    # private key, sealed under a key from the instance key, until a linked
    # account receives it. Group compartments never have one.
    escrow = models.BinaryField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "kind"],
                condition=~models.Q(kind="group"),
                name="one_party_compartment_per_process",
            )
        ]

    def __str__(self) -> str:
        return f"compartment {self.pk} v{self.version}"


class CompartmentVersion(models.Model):
    compartment = models.ForeignKey(Compartment, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    public_key = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["compartment", "version"], name="one_key_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.compartment_id} v{self.version}"


class Grant(models.Model):
    """A compartment version's private key, sealed to one account."""

    compartment = models.ForeignKey(Compartment, on_delete=models.CASCADE, related_name="grants")
    version = models.PositiveIntegerField()
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    sealed = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["compartment", "version", "user"], name="one_grant_per_version"
            )
        ]
        indexes = [models.Index(fields=["user", "compartment"])]

    def __str__(self) -> str:
        return f"grant {self.compartment_id} v{self.version} to {self.user_id}"


class PendingGrant(models.Model):
    """Someone who should hold a compartment's key but does not yet."""

    class Reason(models.TextChoices):
        # Completed by any holder's next log-in.
        JOINED = "joined", "joined"
        # The account was reset without its recovery key: a member restores
        # its access deliberately ("restore access for …").
        RESET = "reset", "reset"

    compartment = models.ForeignKey(
        Compartment, on_delete=models.CASCADE, related_name="pending_grants"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pending_grants")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["compartment", "user"], name="one_pending_grant")
        ]

    def __str__(self) -> str:
        return f"pending {self.compartment_id} for {self.user_id}"


class DataKey(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # For purging a process's keys with it (no foreign key: processes point here).
    process_id = models.UUIDField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"data key {self.pk}"


class Wrap(models.Model):
    """A data key sealed to one version of one compartment's public key."""

    data_key = models.ForeignKey(DataKey, on_delete=models.CASCADE, related_name="wraps")
    compartment = models.ForeignKey(Compartment, on_delete=models.CASCADE, related_name="wraps")
    version = models.PositiveIntegerField()
    sealed = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["data_key", "compartment", "version"], name="one_wrap_per_version"
            )
        ]
        indexes = [models.Index(fields=["compartment", "version"])]

    def __str__(self) -> str:
        return f"wrap {self.data_key_id} for {self.compartment_id} v{self.version}"


class RekeyJob(models.Model):
    """Re-wrap a compartment's data keys from an old version to a new one.

    The old version's private key waits here, sealed under a key from the
    instance key, only until the job is done (then it is erased).
    """

    compartment = models.ForeignKey(Compartment, on_delete=models.CASCADE, related_name="rekeys")
    from_version = models.PositiveIntegerField()
    to_version = models.PositiveIntegerField()
    old_secret = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"rekey {self.compartment_id} v{self.from_version}→v{self.to_version}"
