"""S46: key material is authenticated. A key version, grant, account key or
wrap planted directly in the database — by someone who can write to it but
does not hold the instance key — is refused, the group is warned, and nothing
is sealed to it or written under it."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from holdspace.accounts.models import User
from holdspace.audit.models import Entry
from holdspace.processes import services
from holdspace.processes.models import Note
from holdspace.testing import (
    GROUP_KINDS,
    PASSWORD,
    World,
    add_member,
    assert_well_structured,
    client_for,
    keyring_of,
    log_in_through_forms,
    make_user,
    run_holdspace,
)
from holdspace.vault import accounts as vault_accounts
from holdspace.vault import alarms, attest, checks, compartments, crypto, rekey
from holdspace.vault.fields import field_ad
from holdspace.vault.keyring import KeyUnavailable, grant_ad, using, wrap_ad
from holdspace.vault.models import (
    AccountKey,
    Compartment,
    CompartmentVersion,
    DataKey,
    Grant,
    KeyAlarm,
    PendingGrant,
    RekeyJob,
    Wrap,
)

pytestmark = pytest.mark.django_db

WARNING = b"Holdspace found keys for this group that it did not make"
REFUSED_PAGE = b"Nothing was saved"


# Planting, as someone with write access to the database alone would -----------


def _account_public(user: User) -> bytes:
    return bytes(AccountKey.objects.get(user=user).public_key)


def _holders(compartment: Compartment) -> list[User]:
    return list(compartments.holders(compartment).order_by("username"))


def plant_version(
    compartment: Compartment,
    private: bytes,
    *,
    to: list[User] | None = None,
    attestation: bytes | None = None,
    version: int | None = None,
) -> CompartmentVersion:
    """A key version of the attacker's, made current, with grants of it to
    ``to`` (every holder by default)."""
    compartment.refresh_from_db()
    receivers = _holders(compartment) if to is None else to
    number = compartment.version + 1 if version is None else version
    row = CompartmentVersion.objects.create(
        compartment=compartment,
        version=number,
        public_key=crypto.public_key_of(private),
        attestation=attestation,
    )
    Compartment.objects.filter(pk=compartment.pk).update(version=number)
    for user in receivers:
        Grant.objects.create(
            compartment=compartment,
            version=number,
            user=user,
            sealed=crypto.seal_to(
                _account_public(user), private, grant_ad(compartment.pk, number, user.pk)
            ),
        )
    compartment.refresh_from_db()
    return row


def plant_grant(compartment: Compartment, user: User, secret: bytes) -> Grant:
    """``user``'s grant of the current version, replaced by one carrying ``secret``."""
    grant = Grant.objects.get(compartment=compartment, version=compartment.version, user=user)
    grant.sealed = crypto.seal_to(
        _account_public(user), secret, grant_ad(compartment.pk, compartment.version, user.pk)
    )
    grant.save(update_fields=["sealed"])
    return grant


def _opens_with(private: bytes, compartment: Compartment) -> list[int]:
    """The wraps of ``compartment`` that ``private`` opens."""
    opened = []
    for wrap in Wrap.objects.filter(compartment=compartment):
        try:
            crypto.open_sealed(
                private,
                bytes(wrap.sealed),
                wrap_ad(wrap.data_key_id, wrap.compartment_id, wrap.version),
            )
        except crypto.CryptoError:
            continue
        opened.append(wrap.pk)
    return opened


def _entries(target_type: str) -> list[Entry]:
    return list(Entry.objects.filter(action="keys.forgery_refused", target_type=target_type))


def _stored_body(note: Note) -> bytes:
    """The body's ciphertext as stored."""
    stored: Any = Note.objects.filter(pk=note.pk).values_list("body", flat=True).get()
    blob: bytes = stored.blob  # a Sealed, as every encrypted field reads from the database
    return blob


def _note_form(text: str) -> dict[str, str]:
    return {"occurred_on": "2026-11-01", "title": text, "body": text}


# A planted key version --------------------------------------------------------


def test_a_planted_key_version_is_refused_and_the_group_warned_S46(world: World) -> None:
    group = world.groups["support"]
    compartment = group.compartment
    _public, attacker = crypto.new_keypair()
    forged = plant_version(compartment, attacker)
    notes_before = Note.objects.count()

    client = client_for(world, "support-member")
    response = client.post(f"/g/{group.pk}/notes/new/", _note_form("typed-before-the-refusal"))

    # A clear page, not a traceback; it names nothing and echoes nothing.
    assert response.status_code == 409
    assert REFUSED_PAGE in response.content
    assert b"instance administrator" in response.content
    assert b"typed-before-the-refusal" not in response.content
    assert_well_structured("a refused write", response.content)
    # Nothing was written, least of all under the planted key.
    assert Note.objects.count() == notes_before
    assert not Wrap.objects.filter(compartment=compartment, version=forged.version).exists()
    assert _opens_with(attacker, compartment) == []
    # The audit log says so, in the group's part of the process's log.
    [entry] = _entries("vault.compartmentversion")
    assert entry.target_id == str(forged.pk)
    assert (entry.process_id, entry.group_id) == (world.process.pk, group.pk)
    # The group's members see a calm warning; others do not.
    group_page = client.get(f"/g/{group.pk}/").content
    assert WARNING in group_page
    assert_well_structured("a group page with a key alarm", group_page)
    dashboard = client.get("/dashboard/").content
    assert b"that it did not make for these groups of yours" in dashboard
    assert f'href="/g/{group.pk}/"'.encode() in dashboard
    assert_well_structured("an overview with a key alarm", dashboard)
    coordinator = client_for(world, "support-coordinator")
    assert WARNING in coordinator.get(f"/g/{group.pk}/").content
    assert b"did not make" not in client_for(world, "contact-member").get("/dashboard/").content
    other = world.groups["contact"]
    assert b"did not make" not in client_for(world, "contact-member").get(f"/g/{other.pk}/").content
    # The administrator's check names the problem.
    [warning] = checks.check_key_alarms()
    assert warning.id == "holdspace.W022" and "keys.forgery_refused" in str(warning.hint)
    # What was written before still reads: the genuine version's grant is intact.
    note = world.notes["support"]
    assert b"The body of support note." in client.get(f"/r/{note.pk}/").content


def test_without_alarms_the_check_is_quiet_S46(world: World) -> None:
    assert checks.check_key_alarms() == []


def test_a_planted_version_cannot_be_given_to_a_newcomer_S46(world: World) -> None:
    """Handing the group's key on (a join, a coordinator's restore) would need
    the planted version's key: it is refused, nothing is sealed."""
    group = world.groups["contact"]
    compartment = group.compartment
    _public, attacker = crypto.new_keypair()
    plant_version(compartment, attacker)
    newcomer = make_user("newcomer")
    ring = keyring_of(world.personas["contact-coordinator"])
    with pytest.raises(attest.KeyForgery):
        compartments.grant(ring, compartment, newcomer)
    assert not Grant.objects.filter(user=newcomer).exists()
    assert KeyAlarm.objects.filter(compartment=compartment, what="version").exists()
    # Someone without any grant of it simply does not hold it.
    with pytest.raises(KeyUnavailable):
        compartments.grant(keyring_of(newcomer), compartment, make_user("another"))
    # A new invitation link would carry it: refused with the calm page.
    coordinator = client_for(world, "contact-coordinator")
    response = coordinator.post(f"/g/{group.pk}/invite/", {"role": "member", "note": ""})
    assert response.status_code == 409 and REFUSED_PAGE in response.content
    assert b"/join/" not in response.content


def test_a_rekey_job_to_a_planted_version_moves_nothing_S46(world: World) -> None:
    """A job planted with its old key left empty: a holder's log-in fills it
    in, but re-wrapping refuses to seal to the planted version."""
    group = world.groups["contact"]
    compartment = group.compartment
    genuine = compartment.version
    _public, attacker = crypto.new_keypair()
    forged = plant_version(compartment, attacker, to=[])
    RekeyJob.objects.create(
        compartment=compartment, from_version=genuine, to_version=forged.version
    )
    compartments.complete_pending(keyring_of(world.personas["contact-coordinator"]))
    assert RekeyJob.objects.get(compartment=compartment).old_secret is not None
    assert rekey.run() == 0
    assert _opens_with(attacker, compartment) == []
    assert Wrap.objects.filter(compartment=compartment, version=genuine).exists()
    assert KeyAlarm.objects.filter(compartment=compartment, what="version").exists()


def test_a_rekey_job_back_to_an_older_version_moves_nothing_S46(world: World) -> None:
    """Someone removed keeps the old version's key: a planted job back to that
    (genuine) version would hand them everything. Jobs only move forward."""
    group = world.groups["contact"]
    coordinator = world.personas["contact-coordinator"]
    ring = keyring_of(coordinator)
    with using(ring), transaction.atomic():
        compartments.revoke(ring, group.compartment, world.personas["contact-member"])
    rekey.run()
    compartment = Compartment.objects.get(pk=group.compartment.pk)
    assert compartment.version == 2 and rekey.pending_jobs() == 0
    RekeyJob.objects.create(compartment=compartment, from_version=2, to_version=1)
    compartments.complete_pending(keyring_of(coordinator))
    assert rekey.run() == 0
    assert not Wrap.objects.filter(compartment=compartment, version=1).exists()
    assert Wrap.objects.filter(compartment=compartment, version=2).exists()


# A planted grant ----------------------------------------------------------------


def test_a_planted_grant_with_a_wrong_key_is_not_used_S46(world: World) -> None:
    group = world.groups["support"]
    compartment = group.compartment
    member = world.personas["support-member"]
    _public, attacker = crypto.new_keypair()
    grant = plant_grant(compartment, member, attacker)

    ring = keyring_of(member)
    assert ring.compartment_secret(compartment.pk, compartment.version) is None
    client = client_for(world, "support-member")
    page = client.get(f"/r/{world.notes['support'].pk}/").content
    assert b"The body of support note." not in page
    assert b"could not be decrypted" in page
    assert WARNING in client.get(f"/g/{group.pk}/").content
    [entry] = _entries("vault.grant")
    assert entry.target_id == str(grant.pk) and entry.group_id == group.pk
    # The member still writes, sealed to the genuine version only.
    response = client.post(f"/g/{group.pk}/notes/new/", _note_form("after"))
    assert response.status_code == 302
    assert _opens_with(attacker, compartment) == []
    # Every later refusal is counted on the same alarm, not logged again.
    client.get(f"/r/{world.notes['support'].pk}/")
    alarm = KeyAlarm.objects.get(compartment=compartment, what="grant")
    assert alarm.count >= 2 and len(_entries("vault.grant")) == 1


# A substituted account key ----------------------------------------------------


def _substitute_account_key(user: User, public: bytes) -> None:
    AccountKey.objects.filter(user=user).update(public_key=public)


def test_a_substituted_account_key_receives_nothing_S46(world: World) -> None:
    group = world.groups["contact"]
    compartment = group.compartment
    member = world.personas["contact-member"]
    attacker_public, _attacker = crypto.new_keypair()
    Grant.objects.filter(compartment=compartment, user=member).delete()
    compartments.wait_for_grant(compartment, member, PendingGrant.Reason.RESET)
    _substitute_account_key(member, attacker_public)

    coordinator = client_for(world, "contact-coordinator")
    membership = world.memberships["contact-member"]
    response = coordinator.post(f"/g/{group.pk}/members/{membership.pk}/restore/")
    assert response.status_code == 409 and REFUSED_PAGE in response.content
    assert not Grant.objects.filter(user=member).exists()
    [entry] = _entries("vault.accountkey")
    assert entry.target_id == str(member.pk) and entry.group_id == group.pk
    assert WARNING in coordinator.get(f"/g/{group.pk}/").content
    # Directly, too: nothing is ever sealed to the substituted key.
    with pytest.raises(attest.KeyForgery):
        compartments.grant(keyring_of(world.personas["contact-coordinator"]), compartment, member)
    assert not Grant.objects.filter(user=member).exists()


def test_an_account_key_copied_from_another_account_is_refused_S46(world: World) -> None:
    """Attestations are bound to their account: copying one with its public
    key (a key pair the attacker made an account for) does not pass."""
    member = world.personas["contact-member"]
    accomplice = make_user("accomplice")
    theirs = AccountKey.objects.get(user=accomplice)
    AccountKey.objects.filter(user=member).update(
        public_key=theirs.public_key, attestation=theirs.attestation
    )
    with pytest.raises(attest.KeyForgery):
        vault_accounts.public_key(member)
    AccountKey.objects.filter(user=member).update(generation=2)
    with pytest.raises(attest.KeyForgery):
        vault_accounts.public_key(member)


def test_a_log_in_notices_a_substituted_public_key_S46(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    member = world.personas["contact-member"]
    attacker_public, _attacker = crypto.new_keypair()
    _substitute_account_key(member, attacker_public)
    with caplog.at_level("INFO"):
        log_in_through_forms(Client(), member)
    assert f"vault.account_key_not_attested user={member.pk}" in caplog.text
    assert PASSWORD not in caplog.text
    group = world.groups["contact"]
    [entry] = _entries("vault.accountkey")
    assert entry.group_id == group.pk
    assert WARNING in client_for(world, "contact-coordinator").get(f"/g/{group.pk}/").content


# A planted wrap --------------------------------------------------------------


def test_a_planted_wrap_is_not_used_and_nothing_is_written_under_it_S46(world: World) -> None:
    """The member holds two groups' keys; a wrap of the support note's key is
    planted for the other group, with a key of the attacker's choosing. The
    member reads and edits with the genuine key, and the plant is reported."""
    note = world.notes["support"]
    member = world.personas["support-member"]
    contact = world.groups["contact"]
    add_member(world.keyring, contact, member)
    compartment = contact.compartment
    planted = crypto.random_bytes()
    public = bytes(CompartmentVersion.objects.get(compartment=compartment, version=1).public_key)
    wrap = Wrap.objects.create(
        data_key_id=note.data_key_id,
        compartment=compartment,
        version=compartment.version,
        sealed=crypto.seal_to(
            public, planted, wrap_ad(note.data_key_id, compartment.pk, compartment.version)
        ),
    )
    genuine = keyring_of(world.personas["support-coordinator"]).data_key(note.data_key_id)
    assert genuine is not None

    client = client_for(world, "support-member")
    assert b"The body of support note." in client.get(f"/r/{note.pk}/").content
    response = client.post(
        f"/r/{note.pk}/edit/",
        {"occurred_on": "2026-01-02", "title": "edited", "body": "edited body", "version": 1},
    )
    assert response.status_code == 302
    body = _stored_body(note)
    ad = field_ad(note, "body", note.data_key_id)
    assert crypto.open_data(genuine, body, ad) == b"edited body"
    with pytest.raises(crypto.CryptoError):
        crypto.open_data(planted, body, ad)
    [entry] = _entries("vault.wrap")
    assert entry.target_id == str(wrap.pk) and entry.group_id == contact.pk
    assert WARNING in client.get(f"/g/{contact.pk}/").content


def test_a_replaced_wrap_reads_as_damaged_and_cannot_be_written_under_S46(world: World) -> None:
    note = world.notes["support"]
    compartment = world.groups["support"].compartment
    planted = crypto.random_bytes()
    public = bytes(CompartmentVersion.objects.get(compartment=compartment, version=1).public_key)
    Wrap.objects.filter(data_key_id=note.data_key_id).update(
        sealed=crypto.seal_to(
            public, planted, wrap_ad(note.data_key_id, compartment.pk, compartment.version)
        )
    )
    before = _stored_body(note)
    client = client_for(world, "support-member")
    page = client.get(f"/r/{note.pk}/").content
    assert b"could not be decrypted" in page and b"The body of" not in page
    response = client.post(
        f"/r/{note.pk}/edit/",
        {"occurred_on": "2026-01-02", "title": "edited", "body": "edited body", "version": 1},
    )
    assert response.status_code == 409 and REFUSED_PAGE in response.content
    assert _stored_body(note) == before


def test_a_blanked_commitment_does_not_reopen_trust_on_first_use_S46(world: World) -> None:
    note = world.notes["support"]
    DataKey.objects.filter(pk=note.data_key_id).update(commitment=None)
    page = client_for(world, "support-member").get(f"/r/{note.pk}/").content
    assert b"could not be decrypted" in page
    assert _entries("vault.datakey")


def test_re_wrapping_does_not_carry_a_planted_key_over_S46(world: World) -> None:
    note = world.notes["contact"]
    group = world.groups["contact"]
    compartment = group.compartment
    planted = crypto.random_bytes()
    public = bytes(CompartmentVersion.objects.get(compartment=compartment, version=1).public_key)
    Wrap.objects.filter(data_key_id=note.data_key_id, compartment=compartment).update(
        sealed=crypto.seal_to(public, planted, wrap_ad(note.data_key_id, compartment.pk, 1))
    )
    coordinator = world.personas["contact-coordinator"]
    ring = keyring_of(coordinator)
    with using(ring), transaction.atomic():
        compartments.revoke(ring, compartment, world.personas["contact-member"])
    rekey.run()
    assert not Wrap.objects.filter(data_key_id=note.data_key_id, compartment=compartment).exists()
    assert _entries("vault.wrap")
    # The group's other keys moved on and open.
    fresh = keyring_of(coordinator)
    assert fresh.data_key(group.data_key_id) is not None


# Any forgery, as a property ------------------------------------------------------


@st.composite
def forgeries(draw: Any) -> dict[str, Any]:
    return {
        "kind": draw(st.sampled_from(GROUP_KINDS)),
        "how": draw(st.sampled_from(["new version", "replaced key", "grant"])),
        "offset": draw(st.integers(1, 3)),
        "private": draw(st.binary(min_size=32, max_size=32)),
        "receivers": draw(st.sets(st.integers(0, 1), max_size=2)),
        "attestation": draw(st.sampled_from(["none", "random", "copied"])),
    }


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(forgery=forgeries())
def test_any_planted_version_or_grant_is_refused_and_nothing_is_written_under_it_S46(
    world: World, forgery: dict[str, Any]
) -> None:
    savepoint = transaction.savepoint()
    try:
        _check_forgery(world, forgery)
    finally:
        transaction.savepoint_rollback(savepoint)


def _forged_attestation(how: str, compartment: Compartment) -> bytes | None:
    if how == "random":
        return bytes([attest.ATTESTATION_VERSION]) + crypto.random_bytes()
    if how == "copied":  # the genuine current version's, replayed
        row = CompartmentVersion.objects.get(compartment=compartment, version=compartment.version)
        return bytes(row.attestation) if row.attestation is not None else None
    return None


def _check_forgery(world: World, forgery: dict[str, Any]) -> None:
    group = world.groups[forgery["kind"]]
    compartment = Compartment.objects.get(pk=group.compartment.pk)
    holders = _holders(compartment)
    receivers = [holders[i] for i in sorted(forgery["receivers"]) if i < len(holders)]
    attacker = forgery["private"]
    genuine = compartment.version
    if forgery["how"] == "new version":
        attestation = _forged_attestation(forgery["attestation"], compartment)
        plant_version(
            compartment,
            attacker,
            to=receivers,
            attestation=attestation,
            version=genuine + forgery["offset"],
        )
    elif forgery["how"] == "replaced key":
        CompartmentVersion.objects.filter(compartment=compartment, version=genuine).update(
            public_key=crypto.public_key_of(attacker)
        )
        for user in receivers:
            plant_grant(compartment, user, attacker)
    else:
        for user in receivers:
            plant_grant(compartment, user, attacker)
    compartment.refresh_from_db()
    planted_version = forgery["how"] != "grant"
    for holder in holders:
        ring = keyring_of(holder)
        secret = ring.compartment_secret(compartment.pk, compartment.version)
        assert secret != attacker
        forged_grant = holder in receivers
        assert (secret is None) == (planted_version or forged_grant)
        # As in a request: refusals are recorded even when the write rolls back.
        with alarms.collecting(), using(ring):
            if planted_version:
                with pytest.raises(attest.KeyForgery), transaction.atomic():
                    _write(group, holder)
            else:
                _write(group, holder)
    # Nothing anywhere was sealed to the attacker's key.
    assert _opens_with(attacker, compartment) == []
    assert not Wrap.objects.filter(compartment=compartment, version__gt=genuine).exists()
    if planted_version or receivers:
        assert KeyAlarm.objects.filter(compartment=compartment).exists()


def _write(group: Any, author: User) -> None:
    services.write_note(
        author=author,
        group=group,
        occurred_on=group.process.started_on,
        title=f"by {author.username} {uuid.uuid4()}",
        body="some words",
    )


def test_the_refusals_are_content_free_in_the_log_S46(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    group = world.groups["support"]
    _public, attacker = crypto.new_keypair()
    plant_version(group.compartment, attacker)
    with caplog.at_level("INFO"):
        client_for(world, "support-member").post(
            f"/g/{group.pk}/notes/new/", _note_form("words-that-stay-private")
        )
    assert "keys.forgery_refused what=version" in caplog.text
    assert "words-that-stay-private" not in caplog.text
    assert "Willow" not in caplog.text


# Rows from before attestations existed ------------------------------------------


def _migration() -> Any:
    return importlib.import_module("holdspace.vault.migrations.0003_attest_existing_keys")


def _as_before_the_upgrade() -> None:
    AccountKey.objects.update(attestation=None)
    CompartmentVersion.objects.update(attestation=None)
    DataKey.objects.update(commitment=None)


def test_the_migration_attests_existing_rows_S46(world: World) -> None:
    _as_before_the_upgrade()
    member = world.personas["support-member"]
    with pytest.raises(attest.KeyForgery):
        vault_accounts.public_key(member)  # un-attested rows are refused
    _migration().attest_existing(django_apps, None)

    assert all(attest.account_key_valid(keys) for keys in AccountKey.objects.all())
    for row in CompartmentVersion.objects.select_related("compartment"):
        c = row.compartment
        place = (c.pk, c.process_id, c.kind, c.group_id)
        assert attest.version_valid(place, row.version, bytes(row.public_key), row.attestation)
    markers = {bytes(c or b"")[:1] for c in DataKey.objects.values_list("commitment", flat=True)}
    assert markers == {bytes([attest.LEGACY])}
    # The first reading commits a record key (trust on first use) ...
    note = world.notes["support"]
    client = client_for(world, "support-member")
    assert b"The body of support note." in client.get(f"/r/{note.pk}/").content
    genuine = keyring_of(world.personas["support-coordinator"]).data_key(note.data_key_id)
    assert genuine is not None
    commitment = DataKey.objects.get(pk=note.data_key_id).commitment
    verdict = attest.check_data_key(note.data_key_id, world.process.pk, commitment, genuine)
    assert verdict is attest.Verdict.MATCHES
    # ... and the group goes on as before.
    assert (
        client.post(f"/g/{world.groups['support'].pk}/notes/new/", _note_form("x")).status_code
        == 302
    )
    assert not KeyAlarm.objects.exists()
    # Run again, it changes nothing.
    before = list(AccountKey.objects.values_list("attestation", flat=True))
    _migration().attest_existing(django_apps, None)
    assert list(AccountKey.objects.values_list("attestation", flat=True)) == before


def test_wraps_that_disagree_on_a_key_not_yet_committed_are_refused_S46(world: World) -> None:
    """Before its first reading, a legacy record key could be planted; if the
    member's wraps disagree on it, none is trusted."""
    _as_before_the_upgrade()
    _migration().attest_existing(django_apps, None)
    note = world.notes["support"]
    member = world.personas["support-member"]
    contact = world.groups["contact"]
    add_member(world.keyring, contact, member)
    compartment = contact.compartment
    public = bytes(CompartmentVersion.objects.get(compartment=compartment, version=1).public_key)
    Wrap.objects.create(
        data_key_id=note.data_key_id,
        compartment=compartment,
        version=1,
        sealed=crypto.seal_to(
            public, crypto.random_bytes(), wrap_ad(note.data_key_id, compartment.pk, 1)
        ),
    )
    page = client_for(world, "support-member").get(f"/r/{note.pk}/").content
    assert b"could not be decrypted" in page
    commitment = DataKey.objects.get(pk=note.data_key_id).commitment
    assert bytes(commitment or b"")[:1] == bytes([attest.LEGACY])
    assert len(_entries("vault.wrap")) == 2


CHECK = r"""
import json
import django
django.setup()
from holdspace.vault import attest
from holdspace.vault.models import AccountKey, CompartmentVersion, DataKey
keys = list(AccountKey.objects.all())
versions = list(CompartmentVersion.objects.select_related("compartment"))
places = [(v.compartment.pk, v.compartment.process_id, v.compartment.kind, v.compartment.group_id)
          for v in versions]
print(json.dumps({
    "accounts": len(keys),
    "versions": len(versions),
    "accounts_ok": all(attest.account_key_valid(k) for k in keys),
    "versions_ok": all(attest.version_valid(p, v.version, bytes(v.public_key), v.attestation)
                       for p, v in zip(places, versions)),
    "markers": sorted({bytes(c)[:1].hex()
                       for c in DataKey.objects.values_list("commitment", flat=True)}),
}))
"""


def _state(env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "holdspace.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    state: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return state


@pytest.mark.skipif(connection.vendor != "sqlite", reason="runs on SQLite in a data directory")
def test_the_attestation_migration_goes_down_and_up_and_needs_the_instance_key_S41_S46(
    tmp_path: Path,
) -> None:
    env = {"HOLDSPACE_ENV": "test", "HOLDSPACE_DATA_DIR": str(tmp_path)}

    def ok(*args: str) -> None:
        result = run_holdspace(list(args), env)
        assert result.returncode == 0, (args, result.stderr[-2000:])

    ok("migrate", "--no-input", "-v", "0")
    ok("demo")
    made = _state(env)
    assert made["accounts"] > 3 and made["versions"] > 3
    assert made["accounts_ok"] and made["versions_ok"] and made["markers"] == ["01"]
    # Down to before attestations, up again: the rows there are attested.
    ok("migrate", "vault", "0001", "--no-input", "-v", "0")
    ok("migrate", "--no-input", "-v", "0")
    upgraded = _state(env)
    assert upgraded == {**made, "markers": ["02"]}
    # Without the instance key the upgrade stops, naming the file, and changes nothing.
    ok("migrate", "vault", "0001", "--no-input", "-v", "0")
    key_file = tmp_path / "instance_key"
    kept = tmp_path / "kept_instance_key"
    key_file.rename(kept)
    failed = run_holdspace(["migrate", "--no-input", "-v", "0"], env)
    assert failed.returncode != 0
    assert str(key_file) in failed.stderr and "Nothing was changed" in failed.stderr
    assert "Traceback" not in failed.stderr
    kept.rename(key_file)
    ok("migrate", "--no-input", "-v", "0")
    ok("migrate", "--check")
    assert _state(env) == upgraded
