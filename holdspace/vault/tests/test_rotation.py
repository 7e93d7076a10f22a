"""Membership changes and keys (S9 to S11): removal rotates the group's key,
the last key holder stays, and re-wrapping survives being killed."""

from __future__ import annotations

import datetime
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from holdspace.accounts.models import User
from holdspace.processes import services
from holdspace.processes.models import Membership
from holdspace.testing import (
    World,
    client_for,
    keyring_of,
    make_user,
    run_django_script,
    run_holdspace,
)
from holdspace.vault import compartments, crypto, rekey
from holdspace.vault.keyring import Keyring, using, wrap_ad
from holdspace.vault.models import Grant, PendingGrant, Wrap


class KeyMachine(RuleBasedStateMachine):
    """A group's compartment under arbitrary add / remove / write / rotate.

    ``copied`` holds every compartment key a person ever held: what a removed
    member could have kept. Nothing written after their removal may open with it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.people = [make_user(f"p{i}-{id(self)}") for i in range(5)]
        founder = self.people[0]
        with using(keyring_of(founder)):
            process = services.create_process(
                founder,
                services.NewProcess(
                    name="Process Rowan",
                    started_on=datetime.date(2026, 1, 1),
                    harmed_term="survivor",
                    harming_term="perpetrator",
                    harmed_pseudonym="A.",
                    harming_pseudonym="X",
                    group_kind="contact",
                    group_name="Rowan",
                    commitment_until=None,
                ),
            )
        self.compartment = process.groups.get().compartment
        self.process_id = process.pk
        self.holders: set[User] = {founder}
        self.copied: dict[User, set[bytes]] = {p: set() for p in self.people}
        self.removed_at: dict[User, int] = {}
        self.written: list[tuple[Any, int]] = []  # (data key id, how many removals before)
        self.removals = 0
        self._copy(founder)

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    def _fresh(self) -> None:
        self.compartment.refresh_from_db()

    def _copy(self, person: User) -> None:
        self._fresh()
        secret = keyring_of(person).compartment_secret(
            self.compartment.pk, self.compartment.version
        )
        if secret is not None:
            self.copied[person].add(secret)

    def _some_holder(self, besides: User | None = None) -> User:
        return sorted((h for h in self.holders if h != besides), key=lambda u: u.username)[0]

    @rule(pick=st.integers(0, 4))
    def add(self, pick: int) -> None:
        person = self.people[pick]
        if person in self.holders:
            return
        self._fresh()
        compartments.grant(keyring_of(self._some_holder()), self.compartment, person)
        self.holders.add(person)
        self._copy(person)

    @rule(pick=st.integers(0, 4))
    def remove(self, pick: int) -> None:
        person = self.people[pick]
        if person not in self.holders:
            return
        self._fresh()
        if len(self.holders) == 1:
            with pytest.raises(compartments.LastKeyHolder):
                compartments.revoke(keyring_of(person), self.compartment, person)
            return
        compartments.revoke(keyring_of(self._some_holder(besides=person)), self.compartment, person)
        self.holders.discard(person)
        self.removals += 1
        self.removed_at[person] = self.removals
        for holder in self.holders:
            self._copy(holder)

    @precondition(lambda self: bool(self.holders))
    @rule(pick=st.integers(0, 4))
    def write(self, pick: int) -> None:
        writer = sorted(self.holders, key=lambda u: u.username)[pick % len(self.holders)]
        self._fresh()
        ring = keyring_of(writer)
        data_key = ring.new_data_key(self.process_id)
        ring.share(data_key.pk, self.compartment)
        self.written.append((data_key.pk, self.removals))

    @rule()
    def rotate(self) -> None:
        rekey.run(batch_size=3)

    @invariant()
    def holders_read_everything_others_nothing(self) -> None:
        for person in self.people:
            ring = keyring_of(person)
            for data_key_id, _ in self.written:
                assert (ring.data_key(data_key_id) is not None) == (person in self.holders)

    @invariant()
    def copied_keys_open_nothing_written_after_removal(self) -> None:
        for person, removed_at in self.removed_at.items():
            if person in self.holders:
                continue
            later = [dk for dk, removals in self.written if removals >= removed_at]
            for wrap in Wrap.objects.filter(data_key_id__in=later):
                for secret in self.copied[person]:
                    with pytest.raises(crypto.CryptoError):
                        crypto.open_sealed(
                            secret,
                            bytes(wrap.sealed),
                            wrap_ad(wrap.data_key_id, wrap.compartment_id, wrap.version),
                        )

    @invariant()
    def no_grants_for_people_who_left(self) -> None:
        people = set(
            Grant.objects.filter(compartment=self.compartment).values_list("user", flat=True)
        )
        assert people == {p.pk for p in self.holders}


@pytest.mark.django_db
def test_keys_follow_membership_over_any_sequence_S9() -> None:
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        KeyMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=18,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


@pytest.mark.django_db
def test_a_removed_member_is_refused_and_the_key_moves_on_S9(world: World) -> None:
    group = world.groups["contact"]
    compartment = group.compartment
    removed = world.personas["contact-member"]
    victim = client_for(world, "contact-member")
    version = compartment.version
    response = client_for(world, "contact-coordinator").post(
        f"/g/{group.pk}/members/{world.memberships['contact-member'].pk}/remove/"
    )
    assert response.status_code == 302
    assert victim.get(f"/g/{group.pk}/").status_code == 302  # their next request
    compartment.refresh_from_db()
    assert compartment.version == version + 1
    assert not Grant.objects.filter(user=removed, compartment=compartment).exists()
    # Written afterwards: sealed only to the new version.
    client = client_for(world, "contact-coordinator")
    client.post(
        f"/g/{group.pk}/notes/new/",
        {"occurred_on": "2026-11-01", "title": "after", "body": "written after the removal"},
    )
    note = group.process.records.latest("created_at")
    assert set(
        Wrap.objects.filter(data_key_id=note.data_key_id).values_list("version", flat=True)
    ) == {version + 1}


@pytest.mark.django_db
def test_the_last_key_holder_cannot_leave_S10(world: World) -> None:
    """Someone who only waits for the key cannot take over: the group would lose it."""
    group = world.groups["contact"]
    member = world.memberships["contact-member"]
    Grant.objects.filter(compartment=group.compartment, user=member.user).delete()
    compartments.wait_for_grant(group.compartment, member.user, PendingGrant.Reason.JOINED)
    Membership.objects.filter(pk=member.pk).update(role="coordinator")
    response = client_for(world, "contact-coordinator").post(f"/g/{group.pk}/leave/", follow=True)
    assert b"Nobody else in the group holds its key yet" in response.content
    assert Membership.objects.get(pk=world.memberships["contact-coordinator"].pk).status == "active"
    assert Grant.objects.filter(
        compartment=group.compartment, user=world.personas["contact-coordinator"]
    ).exists()


@pytest.mark.django_db
def test_a_pending_grant_is_completed_at_a_holders_log_in(world: World) -> None:
    from holdspace.testing import log_in_through_forms

    group = world.groups["contact"]
    member = world.memberships["contact-member"]
    Grant.objects.filter(compartment=group.compartment, user=member.user).delete()
    compartments.wait_for_grant(group.compartment, member.user, PendingGrant.Reason.JOINED)
    log_in_through_forms(Client(), world.personas["contact-coordinator"])
    assert Grant.objects.filter(compartment=group.compartment, user=member.user).exists()
    assert not PendingGrant.objects.filter(user=member.user).exists()


SETUP = textwrap.dedent(
    """
    import django, json, sys
    django.setup()
    from holdspace.testing import make_user, keyring_of, PRIVATE_KEYS
    from holdspace.processes import services
    from holdspace.vault import compartments
    from holdspace.vault.keyring import using
    import datetime
    a, b = make_user("keeper"), make_user("leaver")
    ring = keyring_of(a)
    with using(ring):
        p = services.create_process(a, services.NewProcess(
            name="Process Ash", started_on=datetime.date(2026, 1, 1), harmed_term="survivor",
            harming_term="perpetrator", harmed_pseudonym="A.", harming_pseudonym="X",
            group_kind="contact", group_name="Ash", commitment_until=None))
        comp = p.groups.get().compartment
        compartments.grant(ring, comp, b)
        for _ in range(int(sys.argv[1])):
            dk = ring.new_data_key(p.pk)
            ring.share(dk.pk, comp)
        comp.refresh_from_db()
        compartments.revoke(ring, comp, b)
    info = {"compartment": str(comp.pk), "user": str(a.pk)}
    print(json.dumps({**info, "private": PRIVATE_KEYS[a.pk].hex()}))
    """
)

VERIFY = textwrap.dedent(
    """
    import django, json, sys, uuid
    django.setup()
    from holdspace.vault.keyring import Keyring
    from holdspace.vault.models import Compartment, DataKey, Wrap
    info = json.loads(sys.argv[1])
    comp = Compartment.objects.get(pk=info["compartment"])
    ring = Keyring(uuid.UUID(info["user"]), bytes.fromhex(info["private"]))
    keys = list(DataKey.objects.values_list("pk", flat=True))
    wraps = list(Wrap.objects.filter(compartment=comp).values_list("data_key_id", "version"))
    opened = sum(ring.data_key(k) is not None for k in keys)
    distinct = len({w[0] for w in wraps})
    versions = sorted({w[1] for w in wraps})
    print(json.dumps({"keys": len(keys), "wraps": len(wraps), "distinct": distinct,
                      "versions": versions, "opened": opened, "current": comp.version}))
    """
)


def test_re_wrapping_survives_kill_9_and_can_be_rerun_S11(tmp_path: Path) -> None:
    import json

    env = {"HOLDSPACE_ENV": "test", "HOLDSPACE_DATA_DIR": str(tmp_path)}
    assert run_holdspace(["migrate"], env).returncode == 0
    count = 1200
    info = run_django_script(SETUP, env, str(count))
    rng = random.Random(11)
    for _ in range(4):
        worker = subprocess.Popen(
            [sys.executable, "-m", "holdspace.cli", "rekey", "--batch-size", "25"],
            env={"PATH": os.environ["PATH"], **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.5, 1.5))
        if worker.poll() is None:
            worker.send_signal(signal.SIGKILL)
        worker.wait()
    finished = run_holdspace(["rekey"], env)
    assert finished.returncode == 0, finished.stderr
    state = json.loads(run_django_script(VERIFY, env, info))
    # Every record key is wrapped exactly once, at the new version, and opens.
    assert state == {
        "keys": count + 2,  # and the process and group keys
        "wraps": count + 2,
        "distinct": count + 2,
        "versions": [2],
        "opened": count + 2,
        "current": 2,
    }
    again = run_holdspace(["rekey"], env)
    assert again.returncode == 0 and "0 record keys re-wrapped; 0 job(s) waiting." in again.stdout


@pytest.mark.django_db
def test_a_job_waits_for_the_old_key_when_nobody_left_it(world: World) -> None:
    """Removed by someone who does not hold the old key (it never happens in the
    app, but jobs must not fail): the job waits for a holder."""
    group = world.groups["contact"]
    job = compartments.revoke(Keyring(), group.compartment, world.personas["contact-member"])
    assert job.old_secret is None
    assert rekey.run() == 0 and rekey.pending_jobs() == 1
    compartments.complete_pending(keyring_of(world.personas["contact-coordinator"]))
    assert rekey.run() > 0 and rekey.pending_jobs() == 0
