"""S19: over any sequence of invite / join / leave / remove / write / read,
done through the HTTP layer, access always equals current membership and
audience."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from holdspace.accounts.models import User
from holdspace.processes import services
from holdspace.processes.models import Group, Membership, Note
from holdspace.testing import add_member, keyring_of, make_user, sign_in
from holdspace.vault.keyring import using
from holdspace.vault.models import Grant

GROUPS = ("support", "contact")
PEOPLE = ("ash", "bo", "cy", "dee")
LINK = re.compile(rb"http://testserver(/join/[A-Za-z0-9_-]+/)")


class AccessMachine(RuleBasedStateMachine):
    """The model: who is in which group, which note belongs to which group."""

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        leads = {kind: make_user(f"{kind}-lead") for kind in GROUPS}
        keyring = keyring_of(leads["support"])
        with using(keyring):
            self.process = services.create_process(
                leads["support"],
                services.NewProcess(
                    name="Process Hazel",
                    started_on=datetime.date(2026, 1, 1),
                    harmed_term="survivor",
                    harming_term="perpetrator",
                    harmed_pseudonym="A.",
                    harming_pseudonym="X",
                    group_kind="support",
                    group_name="Hazel support",
                    commitment_until=None,
                ),
            )
            contact = services.add_group(
                self.process, by=leads["support"], kind="contact", name="Hazel contact", purpose=""
            )
            add_member(keyring, contact, leads["contact"], "coordinator")
            Membership.objects.filter(group=contact, user=leads["support"]).delete()
            Grant.objects.filter(compartment__group=contact, user=leads["support"]).delete()
        self.groups: dict[str, Group] = {
            "support": self.process.groups.get(kind="support"),
            "contact": contact,
        }
        self.coordinators: dict[str, Client] = {k: self._client(u) for k, u in leads.items()}
        self.users: dict[str, User] = {name: make_user(name) for name in PEOPLE}
        self.clients: dict[str, Client] = {name: self._client(u) for name, u in self.users.items()}
        self.members: dict[str, set[str]] = {kind: set() for kind in GROUPS}
        self.links: list[tuple[str, str]] = []
        self.notes: list[tuple[Any, str]] = []

    @staticmethod
    def _client(user: User) -> Client:
        client = Client()
        sign_in(client, user)
        return client

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    @rule(kind=st.sampled_from(GROUPS))
    def invite(self, kind: str) -> None:
        response = self.coordinators[kind].post(
            f"/g/{self.groups[kind].pk}/invite/", {"role": "member", "note": ""}
        )
        match = LINK.search(response.content)
        assert match, response.status_code
        self.links.append((match.group(1).decode(), kind))

    @precondition(lambda self: bool(self.links))
    @rule(person=st.sampled_from(PEOPLE), pick=st.integers(min_value=0))
    def join(self, person: str, pick: int) -> None:
        path, kind = self.links[pick % len(self.links)]
        response = self.clients[person].post(
            path, {"commitment_until": "", "capacity_note": "", "conflict_of_interest": ""}
        )
        if person in self.members[kind]:
            assert response["Location"] == "/dashboard/"  # already in: nothing changes
        else:
            assert response["Location"] == f"/g/{self.groups[kind].pk}/"
            self.members[kind].add(person)
            self.links.remove((path, kind))

    @rule(person=st.sampled_from(PEOPLE), kind=st.sampled_from(GROUPS))
    def leave(self, person: str, kind: str) -> None:
        response = self.clients[person].post(f"/g/{self.groups[kind].pk}/leave/")
        if person in self.members[kind]:
            assert response["Location"] == "/dashboard/"
            self.members[kind].discard(person)
        else:
            assert response.status_code == 404

    @rule(person=st.sampled_from(PEOPLE), kind=st.sampled_from(GROUPS))
    def remove(self, person: str, kind: str) -> None:
        membership = (
            Membership.objects.current()
            .filter(group=self.groups[kind], user=self.users[person])
            .first()
        )
        if membership is None:
            return
        response = self.coordinators[kind].post(
            f"/g/{self.groups[kind].pk}/members/{membership.pk}/remove/"
        )
        assert response.status_code == 302
        self.members[kind].discard(person)
        # Removal ended their sessions: the next request is refused …
        assert self.clients[person].get("/dashboard/").status_code == 302
        # … and they log in again, to see that the group stays closed.
        self.clients[person] = self._client(self.users[person])

    @rule(person=st.sampled_from(PEOPLE), kind=st.sampled_from(GROUPS))
    def write(self, person: str, kind: str) -> None:
        response = self.clients[person].post(
            f"/g/{self.groups[kind].pk}/notes/new/",
            {"occurred_on": "2026-11-01", "title": "", "body": f"by {person}"},
        )
        if person in self.members[kind]:
            assert response.status_code == 302
            note_id = response["Location"].split("/")[2]
            self.notes.append((note_id, kind))
        else:
            assert response.status_code == 404

    @precondition(lambda self: bool(self.notes))
    @rule(person=st.sampled_from(PEOPLE), pick=st.integers(min_value=0))
    def read(self, person: str, pick: int) -> None:
        note_id, kind = self.notes[pick % len(self.notes)]
        response = self.clients[person].get(f"/r/{note_id}/")
        assert response.status_code == (200 if person in self.members[kind] else 404)

    @rule(person=st.sampled_from(PEOPLE))
    def read_timeline(self, person: str) -> None:
        response = self.clients[person].get(f"/p/{self.process.pk}/timeline/?kind=note")
        if not any(person in members for members in self.members.values()):
            assert response.status_code == 404
            return
        shown = set(re.findall(rb'href="/r/([0-9a-f-]+)/"', response.content))
        visible = [note_id for note_id, kind in self.notes if person in self.members[kind]]
        # The first page: the 25 newest notes this person may read, no other.
        assert shown == {note_id.encode() for note_id in visible[-25:]}

    @invariant()
    def memberships_match_the_model(self) -> None:
        for kind, group in self.groups.items():
            actual = set(
                Membership.objects.active()
                .filter(group=group, role="member")
                .values_list("user__username", flat=True)
            )
            assert actual == self.members[kind]
        assert Note.objects.filter(process=self.process).count() == len(self.notes)


@pytest.mark.django_db
def test_access_always_equals_membership_and_audience_S19() -> None:
    AccessMachine.TestCase.settings = settings(
        max_examples=int(__import__("os").environ.get("HS_EXAMPLES", "15")),
        stateful_step_count=20,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(AccessMachine, settings=AccessMachine.TestCase.settings)
