"""The authorization matrix (S14, S15): every URL × every role × {own group,
other group of the same process, other process, missing id}.

Every URL pattern of the project must have an entry here (S14). Expected
outcomes come from an oracle that knows the world by construction (which
persona is in which group), not from the access core under test. Refusals
must be 404 and look exactly like the 404 for an id that does not exist (S15).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Invitation
from holdspace.processes import registry
from holdspace.testing import (
    BUILDERS,
    GROUP_KINDS,
    World,
    build_world,
    database_snapshot,
    normalised,
    routes,
    sign_in,
)
from holdspace.testing.commitments import add_records
from holdspace.vault.keyring import using
from holdspace.watch.models import CalendarFeed

pytestmark = pytest.mark.django_db

MISSING = uuid.UUID("00000000-0000-4000-8000-000000000000")
GET, POST = ("GET",), ("POST",)
BOTH = ("GET", "POST")

PERSONAS = [f"{kind}-{role}" for kind in GROUP_KINDS for role in ("coordinator", "member")] + [
    "survivor",
    "portal",
    "admin",
    "outsider",
    "anonymous",
]


@dataclass(frozen=True)
class Entry:
    methods: tuple[str, ...]
    rule: str  # who may: see ORACLE
    target: str | None  # what the URL points at: see TARGETS


MATRIX: dict[str, Entry] = {
    # Site and accounts
    "hs-home": Entry(GET, "public", None),
    "hs-healthz": Entry(GET, "public", None),
    "hs-quick-exit": Entry(POST, "public", None),
    "hs-set-language": Entry(POST, "public", None),
    "hs-safety": Entry(GET, "public", None),
    "hs-login": Entry(BOTH, "public", None),
    "hs-login-code": Entry(BOTH, "public", None),
    "hs-login-setup": Entry(BOTH, "public", None),
    "hs-login-setup-qr": Entry(GET, "public", None),
    "hs-logout": Entry(POST, "public", None),
    "hs-forgot": Entry(GET, "public", None),
    "hs-recover": Entry(BOTH, "public", None),
    "hs-recovery-key": Entry(BOTH, "signed_in", None),
    "hs-invite": Entry(BOTH, "public", "token"),
    "hs-reset-password": Entry(BOTH, "public", "token"),
    "hs-account": Entry(GET, "signed_in", None),
    "hs-backup-codes": Entry(GET, "signed_in", None),
    "hs-backup-codes-new": Entry(BOTH, "signed_in", None),
    "hs-password-change": Entry(BOTH, "signed_in", None),
    "hs-session-stay": Entry(POST, "signed_in", None),
    "hs-draft-save": Entry(POST, "signed_in", None),
    "hs-draft-discard": Entry(POST, "signed_in", None),
    "hs-reauth": Entry(BOTH, "signed_in", None),
    "hs-account-authenticator": Entry(BOTH, "signed_in", None),
    "hs-account-authenticator-qr": Entry(GET, "signed_in", None),
    "hs-sessions-end": Entry(POST, "signed_in", None),
    "hs-instance-accounts": Entry(GET, "admin", None),
    "hs-instance-invite": Entry(POST, "admin", None),
    "hs-instance-invitation-revoke": Entry(POST, "admin", "account_invitation"),
    "hs-instance-reset": Entry(BOTH, "admin", "account"),
    "hs-instance-deactivate": Entry(BOTH, "admin", "account"),
    "hs-instance-reactivate": Entry(POST, "admin", "account"),
    "hs-instance-process-start": Entry(POST, "admin", "account"),
    # Processes
    "hs-dashboard": Entry(GET, "signed_in", None),
    "hs-process-new": Entry(BOTH, "not_a_party", None),
    "hs-process": Entry(GET, "process_member", "process"),
    "hs-timeline": Entry(GET, "process_member", "process"),
    "hs-process-edit": Entry(BOTH, "process_steerer", "process"),
    "hs-party-edit": Entry(BOTH, "process_steerer", "party"),
    "hs-responsibilities": Entry(GET, "process_steerer", "process"),
    # Every member reaches it; who may not hand a task over is told whom to ask (S51).
    "hs-hand-over": Entry(BOTH, "process_member", "process"),
    "hs-process-audit": Entry(GET, "process_coordinator", "process"),
    "hs-group-new": Entry(BOTH, "process_coordinator", "process"),
    "hs-group": Entry(GET, "group_member", "group"),
    "hs-group-edit": Entry(BOTH, "group_coordinator", "group"),
    "hs-group-invite": Entry(POST, "group_coordinator", "group"),
    "hs-group-invitation-revoke": Entry(POST, "group_coordinator", "group_invitation"),
    "hs-group-leave": Entry(BOTH, "group_member", "group"),
    "hs-membership-edit": Entry(BOTH, "group_member", "group"),
    "hs-member-remove": Entry(BOTH, "group_coordinator", "group_member"),
    "hs-member-coordinator": Entry(POST, "group_coordinator", "group_member"),
    "hs-member-confirm": Entry(BOTH, "group_coordinator", "group_member"),
    "hs-member-restore": Entry(POST, "group_coordinator", "group_member"),
    "hs-note-new": Entry(BOTH, "group_member", "group"),
    "hs-party-link": Entry(BOTH, "party_keeper", "party"),
    "hs-party-link-revoke": Entry(POST, "party_keeper", "party_invitation"),
    "hs-party-join": Entry(BOTH, "public", "token"),
    "hs-party-join-account": Entry(BOTH, "public", "token"),
    "hs-join": Entry(BOTH, "public", "token"),
    "hs-join-account": Entry(BOTH, "public", "token"),
    "hs-record": Entry(GET, "record_reader", "record"),
    "hs-record-history": Entry(GET, "record_reader", "record"),
    "hs-record-edit": Entry(BOTH, "record_editor", "record"),
    "hs-record-audience": Entry(BOTH, "record_editor", "record"),
    # The letter, demands, steps, agreements and the rota
    "hs-commitments": Entry(GET, "process_member", "process"),
    "hs-letter-new": Entry(BOTH, "survivor_group", "group"),
    "hs-letter": Entry(GET, "record_reader", "letter"),
    "hs-letter-edit": Entry(BOTH, "record_editor", "letter"),
    "hs-letter-copy": Entry(BOTH, "record_actor", "letter"),
    "hs-demand-new": Entry(BOTH, "survivor_group", "group"),
    "hs-demand": Entry(GET, "record_reader", "demand"),
    "hs-demand-edit": Entry(BOTH, "record_editor", "demand"),
    "hs-demand-reword": Entry(BOTH, "survivor_reader", "demand"),
    "hs-demand-propose": Entry(BOTH, "record_actor", "demand"),
    "hs-demand-decide": Entry(BOTH, "survivor_reader", "proposal"),
    "hs-demand-status": Entry(BOTH, "record_actor", "demand"),
    "hs-step-new": Entry(BOTH, "record_actor", "demand"),
    "hs-step": Entry(GET, "record_reader", "step"),
    "hs-step-edit": Entry(BOTH, "record_editor", "step"),
    "hs-step-status": Entry(POST, "record_actor", "step"),
    "hs-evidence-new": Entry(BOTH, "record_actor", "progress"),
    "hs-evidence-assess": Entry(BOTH, "record_actor", "evidence"),
    "hs-agreement-new": Entry(BOTH, "group_member", "group"),
    "hs-agreement": Entry(GET, "record_reader", "agreement"),
    "hs-agreement-edit": Entry(BOTH, "record_editor", "agreement"),
    "hs-agreement-status": Entry(POST, "record_actor", "agreement"),
    "hs-agreement-renew": Entry(BOTH, "record_editor", "agreement"),
    "hs-breach-new": Entry(BOTH, "record_actor", "agreement"),
    "hs-rota": Entry(GET, "record_reader", "agreement"),
    "hs-rota-add": Entry(POST, "record_actor", "agreement"),
    "hs-rota-venue": Entry(BOTH, "record_actor", "venue"),
    "hs-venue-print": Entry(GET, "record_reader", "venue"),
    "hs-rota-exception": Entry(BOTH, "record_actor", "agreement"),
    "hs-rota-exception-delete": Entry(POST, "record_actor", "exception"),
    # Contacts, meetings, reports; the watchdog
    "hs-contact-log": Entry(GET, "process_member", "process"),
    "hs-contact-new": Entry(BOTH, "group_member", "group"),
    "hs-contact": Entry(GET, "record_reader", "contact"),
    "hs-contact-edit": Entry(BOTH, "record_editor", "contact"),
    "hs-contact-answered": Entry(BOTH, "record_actor", "contact"),
    "hs-meeting-new": Entry(BOTH, "group_member", "group"),
    "hs-meeting": Entry(GET, "record_reader", "meeting"),
    "hs-meeting-edit": Entry(BOTH, "record_editor", "meeting"),
    "hs-meeting-outcome": Entry(BOTH, "record_actor", "meeting"),
    "hs-meeting-attendees": Entry(POST, "record_actor", "meeting"),
    "hs-meeting-step": Entry(BOTH, "record_actor", "meeting"),
    "hs-report-new": Entry(BOTH, "group_member", "group"),
    "hs-report": Entry(GET, "record_reader", "report"),
    "hs-report-edit": Entry(BOTH, "record_editor", "report"),
    "hs-cadence": Entry(BOTH, "process_steerer", "process"),
    "hs-respond": Entry(GET, "process_member", "process"),
    "hs-reminders": Entry(BOTH, "signed_in", None),
    "hs-calendar": Entry(BOTH, "signed_in", None),
    "hs-calendar-feed": Entry(GET, "secret_link", "calendar"),
}

# Targets that need the world's letter, demands, contacts … (see add_records).
RECORD_KINDS = ("letter", "demand", "step", "agreement", "contact", "meeting", "report")
COMMITMENT_TARGETS = {*RECORD_KINDS, "progress", "proposal", "evidence", "venue", "exception"}


def test_every_url_is_in_the_matrix_S14() -> None:
    names = {name for name, _path in routes()}
    assert names - set(MATRIX) == set(), "URLs missing from the authorization matrix"
    assert set(MATRIX) - names == set(), "matrix entries for URLs that no longer exist"


# The oracle: what each persona may do, from how the world was built.


def _kind_role(persona: str) -> tuple[str | None, str | None]:
    for kind in GROUP_KINDS:
        for role in ("coordinator", "member"):
            if persona == f"{kind}-{role}":
                return kind, role
    return None, None


def _in_group(world: World, persona: str, group: Any) -> bool:
    kind, _role = _kind_role(persona)
    return kind is not None and group is not None and group.pk == world.groups[kind].pk


def _coordinates(world: World, persona: str, group: Any) -> bool:
    return _in_group(world, persona, group) and _kind_role(persona)[1] == "coordinator"


def _reads(world: World, persona: str, record: Any) -> bool:
    if record is None:
        return False
    if record.pk in READERS:
        return _kind_role(persona)[0] in READERS[record.pk]
    if record.pk == world.shared_note.pk:
        return _kind_role(persona)[0] is not None
    return _in_group(world, persona, record.author_group)


def _edits(world: World, persona: str, record: Any) -> bool:
    if not _reads(world, persona, record) or not _in_group(world, persona, record.author_group):
        return False
    return _kind_role(persona)[1] == "coordinator" or record.author == world.personas[persona]


ORACLE: dict[str, Callable[[World, str, dict[str, Any]], bool]] = {
    "public": lambda w, p, t: True,
    # Anyone holding a valid secret address (a calendar feed); others: 404.
    "secret_link": lambda w, p, t: t.get("valid", False),
    "signed_in": lambda w, p, t: p != "anonymous",
    # Signed in and linked to no party (S44): the form for administrators and
    # the accounts they allow, a page saying what comes next for the others.
    "not_a_party": lambda w, p, t: p not in ("anonymous", "survivor", "portal"),
    "admin": lambda w, p, t: p == "admin" and t.get("exists", True),
    "process_member": lambda w, p, t: (
        t.get("process") == w.process and _kind_role(p)[0] is not None
    ),
    "process_coordinator": lambda w, p, t: (
        t.get("process") == w.process and _kind_role(p)[1] == "coordinator"
    ),
    # Steering (S51): coordinators of the survivor's side and of the contact group.
    "process_steerer": lambda w, p, t: (
        t.get("process") == w.process
        and _kind_role(p)[1] == "coordinator"
        and _kind_role(p)[0] in ("support", "contact")
    ),
    "group_member": lambda w, p, t: _in_group(w, p, t.get("group")),
    "group_coordinator": lambda w, p, t: (
        _coordinates(w, p, t.get("group")) and t.get("consistent", True)
    ),
    "record_reader": lambda w, p, t: _reads(w, p, t.get("record")) and t.get("consistent", True),
    "record_editor": lambda w, p, t: _edits(w, p, t.get("record")),
    # Acting on a record: reading it as a member of one of its groups.
    "record_actor": lambda w, p, t: (
        _reads(w, p, t.get("record")) and t.get("consistent", True) and _kind_role(p)[0] is not None
    ),
    # The survivor's side: the support group carries the letter and the demands.
    "survivor_group": lambda w, p, t: (
        _in_group(w, p, t.get("group")) and t["group"].pk == w.groups["support"].pk
    ),
    # The group that keeps the survivor's party (the support group carries
    # the demands) links an account to her; its coordinators make the link.
    "party_keeper": lambda w, p, t: (
        t.get("process") == w.process and p == "support-coordinator" and t.get("consistent", True)
    ),
    # The two people the process is about, on their own pages only (S16, S44).
    "harming_party": lambda w, p, t: p == "portal",
    "harmed_party": lambda w, p, t: p == "survivor",
    "harming_party_record": lambda w, p, t: p == "portal" and _of_world(w, t),
    "harmed_party_record": lambda w, p, t: p == "survivor" and _of_world(w, t),
    "survivor_reader": lambda w, p, t: (
        _reads(w, p, t.get("record"))
        and t.get("consistent", True)
        and _kind_role(p)[0] == "support"
    ),
}


def _of_world(world: World, facts: dict[str, Any]) -> bool:
    """Whether a party page's object is of the world's process (examples
    address theirs to its parties; the other process's parties are nobody)."""
    found = facts.get("record")
    return found is not None and _process_id_of(found) == world.process.pk


def _process_id_of(found: Any) -> Any:
    """The process of a record, or of the part of a record (a proposal …)."""
    while not hasattr(found, "process_id"):
        parents = [
            field
            for field in found._meta.fields
            if field.many_to_one and hasattr(field.related_model, "process_id")
        ]
        found = getattr(found, parents[0].name)
    return found.process_id


# Who may read each commitment: filled in by the test that builds them.
READERS: dict[Any, set[str]] = {}


# Targets: the URL for each kind of object, and what the oracle needs to know.


def _own_kind(persona: str) -> str:
    return _kind_role(persona)[0] or "support"


def _other_kind(persona: str) -> str:
    own = _own_kind(persona)
    return next(kind for kind in GROUP_KINDS if kind != own)


def _targets(
    world: World, persona: str, target: str | None
) -> dict[str, tuple[dict[str, Any], Any]]:
    """variant -> (facts for the oracle, URL arguments)."""
    own, other = _own_kind(persona), _other_kind(persona)
    site = _site_targets(world, target)
    if site is not None:
        return site
    if target in ("process", "party"):
        suffix = ["harmed"] if target == "party" else []
        return {
            "own": ({"process": world.process}, [world.process.pk, *suffix]),
            "other_process": ({"process": world.other_process}, [world.other_process.pk, *suffix]),
            "missing": ({}, [MISSING, *suffix]),
        }
    if target == "party_invitation":
        return _party_invitation_targets(world)
    if target == "group":
        return {
            "own": ({"group": world.groups[own]}, [world.groups[own].pk]),
            "other_group": ({"group": world.groups[other]}, [world.groups[other].pk]),
            "other_process": ({"group": world.other_groups[own]}, [world.other_groups[own].pk]),
            "missing": ({}, [MISSING]),
        }
    if target == "group_member":
        role = _kind_role(persona)[1]
        colleague = world.memberships[
            f"{own}-{'member' if role == 'coordinator' else 'coordinator'}"
        ]
        foreign = world.other_groups[own].memberships.get()
        return {
            "own": ({"group": world.groups[own]}, [world.groups[own].pk, colleague.pk]),
            "other_group": (
                {"group": world.groups[other]},
                [world.groups[other].pk, world.memberships[f"{other}-member"].pk],
            ),
            "other_process": (
                {"group": world.other_groups[own]},
                [world.other_groups[own].pk, foreign.pk],
            ),
            "member_of_other_group": (
                {"group": world.groups[own], "consistent": False},
                [world.groups[own].pk, world.memberships[f"{other}-member"].pk],
            ),
            "missing": ({}, [MISSING, MISSING]),
        }
    if target == "group_invitation":
        return {
            "own": (
                {"group": world.groups[own]},
                [world.groups[own].pk, world.invitations[own].pk],
            ),
            "other_group": (
                {"group": world.groups[other]},
                [world.groups[other].pk, world.invitations[other].pk],
            ),
            "other_process": (
                {"group": world.other_groups[own]},
                [world.other_groups[own].pk, world.other_invitations[own].pk],
            ),
            "invitation_of_other_group": (
                {"group": world.groups[own], "consistent": False},
                [world.groups[own].pk, world.invitations[other].pk],
            ),
            "missing": ({}, [MISSING, MISSING]),
        }
    if target == "record":
        return {
            "own": ({"record": world.notes[own]}, [world.notes[own].pk]),
            "other_group": ({"record": world.notes[other]}, [world.notes[other].pk]),
            "shared": ({"record": world.shared_note}, [world.shared_note.pk]),
            "other_process": ({"record": world.other_notes[own]}, [world.other_notes[own].pk]),
            "missing": ({}, [MISSING]),
        }
    assert target is not None
    if target in EXAMPLES:
        return EXAMPLES[target]
    return _commitment_targets(world, target)


def _party_invitation_targets(world: World) -> dict[str, tuple[dict[str, Any], Any]]:
    from holdspace.processes.services import parties

    made = {}
    for process in (world.process, world.other_process):
        party = process.parties.get(role="harmed")
        keeper = process.groups.get(kind="support")
        with using(BUILDERS[process.pk]):
            made[process.pk], _token = parties.invite(
                party, by=keeper.memberships.first().user, group=keeper
            )
    own, other = made[world.process.pk], made[world.other_process.pk]
    return {
        "own": ({"process": world.process}, [world.process.pk, "harmed", own.pk]),
        "other_process": (
            {"process": world.other_process},
            [world.other_process.pk, "harmed", other.pk],
        ),
        "link_of_other_process": (
            {"process": world.process, "consistent": False},
            [world.process.pk, "harmed", other.pk],
        ),
        "missing": ({}, [MISSING, "harmed", MISSING]),
    }


def _site_targets(world: World, target: str | None) -> dict[str, tuple[dict[str, Any], Any]] | None:
    """Targets outside any process (None: the target is a process's)."""
    if target is None:
        return {"none": ({}, [])}
    if target == "calendar":
        return _calendar_targets(world)
    if target == "token":
        return {"missing": ({}, ["no-such-token"])}
    if target == "account":
        outsider = world.personas["outsider"]
        return {"own": ({}, [outsider.pk]), "missing": ({"exists": False}, [MISSING])}
    if target == "account_invitation":
        invitation, _token = Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)
        return {"own": ({}, [invitation.pk]), "missing": ({"exists": False}, [MISSING])}
    return None


def _calendar_targets(world: World) -> dict[str, tuple[dict[str, Any], Any]]:
    owner = world.personas["support-member"]
    _old, revoked = CalendarFeed.issue(owner)
    _feed, token = CalendarFeed.issue(owner)  # revokes the first
    return {
        "valid": ({"valid": True}, [token]),
        "revoked": ({}, [revoked]),
        "unknown": ({}, ["A" * 43]),
        "malformed": ({}, ["no-such-token"]),
    }


def _commitment_targets(world: World, target: str) -> dict[str, tuple[dict[str, Any], Any]]:
    own, other = COMMITMENTS["own"], COMMITMENTS["other"]
    if target in RECORD_KINDS:
        wrong = own.demand if target != "demand" else own.letter
        variants = {
            "own": ({"record": getattr(own, target)}, [getattr(own, target).pk]),
            "other_process": ({"record": getattr(other, target)}, [getattr(other, target).pk]),
            "other_kind": ({"record": None}, [wrong.pk]),
            "note": ({"record": None}, [world.shared_note.pk]),
            "missing": ({}, [MISSING]),
        }
        if target == "demand":
            variants["private"] = ({"record": own.private_demand}, [own.private_demand.pk])
        return variants
    if target == "progress":
        return {
            "demand": ({"record": own.demand}, [own.demand.pk]),
            "step": ({"record": own.step}, [own.step.pk]),
            "private": ({"record": own.private_demand}, [own.private_demand.pk]),
            "other_process": ({"record": other.demand}, [other.demand.pk]),
            "other_kind": ({"record": None}, [own.letter.pk]),
            "missing": ({}, [MISSING]),
        }
    parent, child, elsewhere = {
        "evidence": ("demand", "evidence", "step"),
        "proposal": ("demand", "proposal", "private_demand"),
        "venue": ("agreement", "venue", "plain_agreement"),
        "exception": ("agreement", "exception", "plain_agreement"),
    }[target]
    return {
        "own": (
            {"record": getattr(own, parent)},
            [getattr(own, parent).pk, getattr(own, child).pk],
        ),
        "other_process": (
            {"record": getattr(other, parent)},
            [getattr(other, parent).pk, getattr(other, child).pk],
        ),
        "of_another_record": (
            {"record": getattr(own, elsewhere), "consistent": False},
            [getattr(own, elsewhere).pk, getattr(own, child).pk],
        ),
        "missing": ({}, [MISSING, MISSING]),
    }


COMMITMENTS: dict[str, Any] = {}

# URLs that apps register with their access rules (registry.ROUTES), and
# the records their examples made in each process: target -> variants.
MATRIX.update({r.name: Entry(r.methods, r.rule, r.target) for r in registry.ROUTES.values()})
EXAMPLES: dict[str, dict[str, tuple[dict[str, Any], Any]]] = {}


def _add_examples(world: World) -> None:
    for route in registry.ROUTES.values():
        if route.example is None or route.target is None:
            continue
        with using(world.keyring):
            own = route.example(world.groups["support"], world.personas["support-member"])
        elsewhere = world.other_groups["support"]
        with using(BUILDERS[world.other_process.pk]):
            other = route.example(elsewhere, elsewhere.memberships.get().user)
        READERS.update({own.pk: {"support"}, other.pk: set()})
        EXAMPLES[route.target] = {
            "own": ({"record": own}, [own.pk]),
            "other_process": ({"record": other}, [other.pk]),
            "other_kind": ({"record": None}, [world.shared_note.pk]),
            "missing": ({}, [MISSING]),
        }


_NEXT = re.compile(rb'name="next" value="[^"]*"')


def _page(response: Any) -> bytes:
    return _NEXT.sub(b'name="next" value=""', normalised(response.content))


def _request(client: Client, method: str, url: str) -> Any:
    # Every POST runs in a transaction that is rolled back, so that one
    # persona's removal or edit cannot change what the next one may do. A GET
    # must change nothing: its effects stay, and the test compares the
    # database before and after (S30).
    if method == "GET":
        return client.get(url)
    with transaction.atomic():
        response = client.post(url, {})
        transaction.set_rollback(True)
    return response


@dataclass
class Browsers:
    """One signed-in browser per persona, and what "not found" looks like to
    each, made once per test process and refreshed well within the
    re-authentication window (signing in is a third of the matrix's work)."""

    clients: dict[str, Client]
    missing_pages: dict[str, bytes]
    signed_in_at: float


# Sign in anew when the sessions are older than this (REAUTH_WINDOW: 10 minutes).
FRESH_FOR = 420.0


def _browsers(world: World) -> Browsers:
    clients, missing_pages = {}, {}
    for persona in PERSONAS:
        clients[persona] = client = Client()
        if persona != "anonymous":
            sign_in(client, world.personas[persona])
        nowhere = (
            "/no-such-page/" if persona == "anonymous" else reverse("hs-group", args=[MISSING])
        )
        missing_pages[persona] = _page(client.get(nowhere))
    return Browsers(clients, missing_pages, time.monotonic())


@pytest.fixture(scope="module")
def matrix_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world with records of every kind, built once per test process and
    rolled back at the end: each URL's test runs inside its own rolled-back
    transaction on top of it, and every request in yet another one."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        COMMITMENTS["own"], COMMITMENTS["other"] = add_records(world)
        READERS.clear()
        READERS.update(COMMITMENTS["own"].readers)
        # No persona is in the other process.
        READERS.update({pk: set() for pk in COMMITMENTS["other"].readers})
        _add_examples(world)
        BROWSERS.append(_browsers(world))
        yield world
        BROWSERS.clear()
        transaction.set_rollback(True)


BROWSERS: list[Browsers] = []


@pytest.fixture
def browsers(matrix_world: World) -> Browsers:
    if time.monotonic() - BROWSERS[0].signed_in_at < FRESH_FOR:
        return BROWSERS[0]
    # Sessions made inside this test's transaction vanish with it: from now
    # on each test signs in for itself.
    return _browsers(matrix_world)


def _cookies(client: Client) -> dict[str, str]:
    return {name: morsel.value for name, morsel in client.cookies.items()}


def _restore(client: Client, cookies: dict[str, str]) -> None:
    """Undo what a request did to the browser: its writes were rolled back,
    so a session it ended or replaced is the old one again."""
    client.cookies = SimpleCookie(cookies)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_matrix_S15_S44(name: str, matrix_world: World, browsers: Browsers) -> None:
    """Party accounts (survivor, portal) are refused everywhere, even where
    the records are addressed to them (S44); no GET by anyone on any real
    object changes the database (S30)."""
    entry, world = MATRIX[name], matrix_world
    # Everything that writes (calendar feeds, invitations) first.
    site = _site_targets(world, entry.target)
    targets = {
        persona: site if site is not None else _targets(world, persona, entry.target)
        for persona in PERSONAS
    }
    before = database_snapshot()
    for persona in PERSONAS:
        client, missing_page = browsers.clients[persona], browsers.missing_pages[persona]
        cookies = _cookies(client)
        for variant, (facts, args) in targets[persona].items():
            url = reverse(name, args=args)
            allowed = ORACLE[entry.rule](world, persona, facts)
            for method in entry.methods:
                response = _request(client, method, url)
                _restore(client, cookies)
                where = f"{persona} {method} {name} [{variant}] -> {response.status_code}"
                if persona == "anonymous" and entry.rule not in ("public", "secret_link"):
                    assert response.status_code == 302, where
                    assert response["Location"].startswith("/login/"), where
                elif allowed:
                    assert response.status_code not in (403, 404), where
                    if response.status_code == 302 and entry.rule != "public":
                        assert not response["Location"].startswith("/login/"), where
                else:
                    assert response.status_code == 404, where
                    # Identical to a missing id: nothing tells it exists.
                    assert _page(response) == missing_page, where
    assert database_snapshot() == before, f"a GET of {name} changed the database (S30)"
