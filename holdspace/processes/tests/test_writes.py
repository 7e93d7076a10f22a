"""Writes that are neither lost nor doubled (S52): the lock helper every
status change uses, one-time tokens on the forms that create, and changes to
a group's members made by two coordinators at the same moment."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client

from holdspace.commitments import services as commitments
from holdspace.commitments.models import Agreement
from holdspace.processes import access, services, writes
from holdspace.processes.models import Membership, Note
from holdspace.processes.services import Refused
from holdspace.testing import World, add_member, client_for, keyring_of, make_user
from holdspace.testing.commitments import soon
from holdspace.testing.races import after_reading, at_once, posting, texts
from holdspace.testing.world import fresh_world
from holdspace.vault.keyring import using


def _token(client: Client, url: str) -> str:
    found = re.search(r'name="submission" value="([^"]+)"', client.get(url).content.decode())
    assert found is not None, url
    return found.group(1)


def _note(group_id: object, token: str) -> dict[str, str]:
    return {
        "occurred_on": "2026-01-05",
        "title": "After the meeting",
        "body": "We agreed to write to him again.",
        "submission": token,
    }


# The helpers -------------------------------------------------------------------


def test_a_lock_outside_a_transaction_protects_nothing_and_is_refused(
    transactional_db: None,
) -> None:
    someone = make_user("someone")
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        writes.lock(someone)
    with transaction.atomic():
        assert writes.lock(someone) is someone


@pytest.mark.django_db
def test_a_transition_checks_the_row_as_it_is_now_and_says_so(world: World) -> None:
    agreement = commitments.create_agreement(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        agreement_kind=Agreement.Kind.NO_CONTACT,
        terms="No contact.",
        binds="K.",
        starts_on=soon(0),
        ends_on=None,
        review_on=None,
        status=Agreement.Status.PROPOSED,
    )
    allowed = {"proposed": {"agreed", "ended"}, "agreed": {"ended"}}
    stale = Agreement.objects.get(pk=agreement.pk)
    Agreement.objects.filter(pk=agreement.pk).update(status="ended")
    with transaction.atomic(), pytest.raises(Refused) as meanwhile:
        writes.transition(stale, "agreed", allowed=allowed)
    assert str(meanwhile.value.message).startswith(
        "Someone changed this a moment ago: it is now “ended”."
    )
    with transaction.atomic(), pytest.raises(Refused) as already:
        writes.transition(stale, "ended", allowed=allowed)
    assert "It is already “ended”" in str(already.value.message)
    with transaction.atomic(), pytest.raises(Refused) as never:
        writes.transition(stale, "agreed", allowed=allowed)
    assert (
        str(never.value.message) == "It is “ended” and cannot become “agreed”. Nothing was changed."
    )


# One-time tokens ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_double_click_on_save_creates_one_note_S52(world: World) -> None:
    client = client_for(world, "support-member")
    url = f"/g/{world.groups['support'].pk}/notes/new/"
    data = _note(world.groups["support"].pk, _token(client, url))
    before = Note.objects.count()
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert Note.objects.count() == before + 1
    note = Note.objects.latest("created_at")
    assert first["Location"] == second.redirect_chain[0][0] == f"/r/{note.pk}/"
    assert b"This was already saved, so it was not saved twice." in second.content


@pytest.mark.django_db
def test_a_form_refused_by_a_rule_can_be_sent_again_once_the_rule_allows_it_S52(
    world: World,
) -> None:
    """A refusal keeps nothing, the token neither: the same form, sent again
    later, saves."""
    demand = commitments.create_demand(
        author=world.personas["support-member"],
        group=world.groups["support"],
        occurred_on=soon(0),
        wording="Join a programme.",
        reason="",
        audience=[world.groups["contact"]],
    )
    commitments.change_status(demand, by=world.personas["support-member"], status="met", note="")
    client = client_for(world, "contact-member")
    url = f"/d/{demand.pk}/propose/"
    data = {"kind": "reword", "wording": "Softer.", "reason": "He asks.", "submission": "t" * 24}
    refused = client.post(url, data)
    assert refused.status_code == 200 and b"Only the survivor" in refused.content
    commitments.change_status(demand, by=world.personas["support-member"], status="open", note="")
    assert client.post(url, data).status_code == 302
    assert demand.proposals.count() == 1


# At the same moment --------------------------------------------------------------


@pytest.fixture
def live_world(transactional_db: None) -> Iterator[World]:
    with fresh_world() as built:
        yield built


def test_a_note_sent_twice_at_once_is_saved_once_S52(live_world: World) -> None:
    world = live_world
    client = client_for(world, "support-member")
    url = f"/g/{world.groups['support'].pk}/notes/new/"
    data = _note(world.groups["support"].pk, _token(client, url))
    before = Note.objects.count()
    # Two sessions, so that each answer keeps its own notice (requests of one
    # session at once overwrite each other's messages).
    again = client_for(world, "support-member")
    responses = at_once(posting(client, url, data), posting(again, url, data))
    pages = texts(responses)
    assert Note.objects.count() == before + 1
    assert responses[0].redirect_chain[-1] == responses[1].redirect_chain[-1]
    assert sum("This was already saved" in page for page in pages) == 1


def _pending(world: World) -> Membership:
    """Someone who declared a friendship with him, waiting in the contact group."""
    group = world.groups["contact"]
    with using(world.keyring):
        services.make_coordinator(
            world.memberships["contact-member"],
            by=world.personas["contact-coordinator"],
            step_down=None,
        )
        _invitation, token = services.invite(
            group, by=world.personas["contact-coordinator"], role="member", note=""
        )
    newcomer = make_user("newcomer")
    with using(keyring_of(newcomer)):
        return services.join(
            token,
            newcomer,
            commitment_until=None,
            capacity_note="",
            conflict_of_interest="We shared a flat for years.",
        )


def test_two_coordinators_confirming_one_declaration_at_once_confirm_it_once_S52(
    live_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = live_world
    pending = _pending(world)
    url = f"/g/{world.groups['contact'].pk}/members/{pending.pk}/confirm/"
    with after_reading(monkeypatch, access, "get_member_of_group"):
        pages = texts(
            at_once(
                posting(client_for(world, "contact-coordinator"), url, {"reason": "We talked."}),
                posting(client_for(world, "contact-member"), url, {"reason": "Agreed."}),
            )
        )
    pending.refresh_from_db()
    assert pending.status == Membership.Status.ACTIVE
    assert sum("Confirmed. They can now take part" in page for page in pages) == 1
    assert sum("This membership does not wait for a confirmation." in page for page in pages) == 1


def test_two_coordinators_removing_each_other_at_once_keep_one_S52(
    live_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each may remove the other, but not both at once: the group would be
    left without anyone to coordinate it."""
    world = live_world
    group = world.groups["contact"]
    coordinator = world.memberships["contact-coordinator"]
    member = world.memberships["contact-member"]
    with using(world.keyring):
        services.make_coordinator(member, by=world.personas["contact-coordinator"], step_down=None)
    # A third member holds the key too, so either removal alone may go ahead.
    add_member(world.keyring, group, make_user("third"))
    url = f"/g/{group.pk}/members/%s/remove/"
    first, second = client_for(world, "contact-coordinator"), client_for(world, "contact-member")
    for client in (first, second):
        client.raise_request_exception = False
    with after_reading(monkeypatch, access, "get_member_of_group"):
        responses = at_once(
            lambda: first.post(url % member.pk, {}), lambda: second.post(url % coordinator.pk, {})
        )
    coordinators = Membership.objects.active().filter(group=group, role="coordinator")
    assert coordinators.count() == 1
    # The winner is taken back to the group. The loser's own removal was
    # refused; being removed, their session ended with it (S9).
    winner = 0 if coordinators.get().pk == coordinator.pk else 1
    assert responses[winner].status_code == 302
    assert responses[1 - winner].status_code in (302, 400)
