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
- KeyAlarm: key material Holdspace refused because the instance key does not
  vouch for it (S46), shown to the group's members until someone checks.

Account keys and compartment versions carry an *attestation*, data keys a
*commitment* (see ``vault/attest.py``): a MAC under a key derived from the
instance key, which lives outside the database. Rows planted by someone who
can only write to the database fail it and are never sealed to or used.
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
    # The instance key vouches for (user, generation, public key): nothing is
    # sealed to a public key without it (S46). Empty only before migrating.
    attestation = models.BinaryField(null=True, blank=True)
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
    # Once a group keeps the party's key (a link to the party was made), the
    # escrow is sealed with this data key, which is shared with that group's
    # space like a record's: its members hold it, the instance key no longer.
    escrow_key = models.ForeignKey(
        "DataKey", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

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
    # The instance key vouches for (compartment, process, kind, group, version,
    # public key): a version planted in the database fails it (S46).
    attestation = models.BinaryField(null=True, blank=True)
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
    # A commitment to the key's bytes, vouched for by the instance key: a wrap
    # that opens to another key is refused (S46). Keys made before it existed
    # carry a "not committed yet" marker until a member first opens them.
    commitment = models.BinaryField(null=True, blank=True)
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


class KeyAlarm(models.Model):
    """Key material Holdspace refused to use because the instance key does not
    vouch for it (S46): one row per compartment and refused row, counted.

    Holds ids only. Its members see a warning until an administrator has
    checked the database and removed the row.
    """

    class What(models.TextChoices):
        VERSION = "version", "a key version Holdspace did not make"
        GRANT = "grant", "a grant that does not hold its version's key"
        WRAP = "wrap", "a record key that does not match its commitment"
        ACCOUNT = "account", "an account key Holdspace did not make"

    compartment = models.ForeignKey(Compartment, on_delete=models.CASCADE, related_name="alarms")
    what = models.CharField(max_length=16, choices=What.choices)
    # The refused row, as in the audit log: model label and primary key.
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["compartment", "what", "target_type", "target_id"],
                name="one_alarm_per_refused_row",
            )
        ]

    def __str__(self) -> str:
        return f"alarm {self.what} in {self.compartment_id}"
