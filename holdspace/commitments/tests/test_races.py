"""Two people changing the same thing at the same moment (S52): real threads
with their own database connections, both acting on what their page showed.
One wins; the other is told plainly what it is now; nothing happens twice and
no forbidden change slips through. On SQLite and PostgreSQL alike."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.utils import timezone

from holdspace.commitments import access, services
from holdspace.commitments.events import Code
from holdspace.commitments.models import Agreement, Demand, DemandStatusChange, WordingProposal
from holdspace.processes.models import Event
from holdspace.testing import World, client_for
from holdspace.testing.commitments import soon
from holdspace.testing.races import after_reading, at_once, posting, texts
from holdspace.testing.world import fresh_world

pytestmark = pytest.mark.django_db(transaction=True)

CHANGED = "The agreement&#x27;s status is changed."


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    with fresh_world() as built:
        yield built


def _agreement(world: World) -> Agreement:
    return services.create_agreement(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        agreement_kind=Agreement.Kind.NO_CONTACT,
        terms="No contact.",
        binds="K.",
        starts_on=timezone.localdate(),
        ends_on=soon(60),
        review_on=None,
        status=Agreement.Status.PROPOSED,
    )


def _demand(world: World) -> Demand:
    return services.create_demand(
        author=world.personas["support-member"],
        group=world.groups["support"],
        occurred_on=timezone.localdate(),
        wording="Join a programme.",
        reason="",
        audience=[world.groups["contact"]],
    )


def test_ending_and_agreeing_an_agreement_at_once_has_one_winner_S52(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One member ends a proposed agreement while another marks it agreed:
    never both told "changed", never ended and then agreed."""
    for _round in range(3):
        agreement = _agreement(world)
        url = f"/a/{agreement.pk}/status/"
        seen = {"seen": "proposed"}
        with after_reading(monkeypatch, access, "get_for_user"):
            pages = texts(
                at_once(
                    posting(
                        client_for(world, "contact-coordinator"), url, {**seen, "status": "ended"}
                    ),
                    posting(client_for(world, "contact-member"), url, {**seen, "status": "agreed"}),
                )
            )
        agreement.refresh_from_db()
        winner = 0 if agreement.status == Agreement.Status.ENDED else 1
        assert agreement.status in (Agreement.Status.ENDED, Agreement.Status.AGREED)
        assert CHANGED in pages[winner] and CHANGED not in pages[1 - winner]
        now = "ended" if winner == 0 else "agreed"
        assert f"Someone changed this a moment ago: it is now “{now}”" in pages[1 - winner]
        events = Event.objects.filter(about=agreement, code=Code.AGREEMENT_STATUS)
        assert list(events.values_list("value", flat=True)) == [now]


def test_two_identical_demand_status_changes_are_recorded_once_S52(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    demand = _demand(world)
    url = f"/d/{demand.pk}/status/"
    data = {"status": "in_progress", "note": "He started.", "seen": "open"}
    with after_reading(monkeypatch, access, "get_for_user"):
        pages = texts(
            at_once(
                posting(client_for(world, "contact-coordinator"), url, data),
                posting(client_for(world, "contact-member"), url, data),
            )
        )
    changes = DemandStatusChange.objects.filter(demand=demand, status=Demand.Status.IN_PROGRESS)
    assert changes.count() == 1
    assert Event.objects.filter(about=demand, code=Code.DEMAND_STATUS).count() == 1
    saved = [page for page in pages if "The status is changed." in page]
    refused = [page for page in pages if "It is already “in progress” — perhaps" in page]
    assert len(saved) == len(refused) == 1
    assert "He started." in refused[0]  # what the loser typed is still there


def _token(page: str) -> str:
    found = re.search(r'name="submission" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _renewal(world: World, client_persona: str, agreement: Agreement) -> dict[str, str]:
    form = client_for(world, client_persona).get(f"/a/{agreement.pk}/renew/").content.decode()
    return {
        "terms": "Two more months.",
        "binds": "K.",
        "starts_on": soon(61).isoformat(),
        "ends_on": soon(120).isoformat(),
        "review_on": "",
        "submission": _token(form),
    }


def test_a_renewal_sent_twice_at_once_renews_once_and_leads_both_to_it_S52(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A double click on "renew": one renewal, no error page (it was a 500 on
    PostgreSQL), and both clicks end on the renewed agreement."""
    agreement = _agreement(world)
    services.set_agreement_status(agreement, by=world.personas["contact-member"], status="agreed")
    data = _renewal(world, "contact-member", agreement)
    url = f"/a/{agreement.pk}/renew/"
    # The same form sent twice. Two sessions, so that each answer keeps its
    # own notice: requests of one session at once overwrite each other's
    # messages, which would test the session store, not the renewal.
    first, second = client_for(world, "contact-member"), client_for(world, "contact-member")
    with after_reading(monkeypatch, access, "get_for_user"):
        responses = at_once(posting(first, url, data), posting(second, url, data))
    pages = texts(responses)
    renewal = Agreement.objects.get(renews=agreement)
    assert [r.redirect_chain[-1][0] for r in responses] == [f"/a/{renewal.pk}/"] * 2
    assert sum("This was already saved, so it was not saved twice." in p for p in pages) == 1
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.RENEWED


def test_two_members_renewing_at_once_renew_once_S52(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two forms (two tabs, two members): one renewal; the other is told
    that it is renewed already, and keeps what was typed."""
    agreement = _agreement(world)
    services.set_agreement_status(agreement, by=world.personas["contact-member"], status="agreed")
    url = f"/a/{agreement.pk}/renew/"
    first = _renewal(world, "contact-member", agreement)
    second = {**_renewal(world, "contact-coordinator", agreement), "terms": "Three months."}
    with after_reading(monkeypatch, access, "get_for_user"):
        pages = texts(
            at_once(
                posting(client_for(world, "contact-member"), url, first),
                posting(client_for(world, "contact-coordinator"), url, second),
            )
        )
    assert Agreement.objects.filter(renews=agreement).count() == 1
    refused = [page for page in pages if "It is already “renewed”" in page]
    assert len(refused) == 1
    loser = pages.index(refused[0])
    assert ["Two more months.", "Three months."][loser] in refused[0]


def test_a_proposal_approved_and_declined_at_once_is_decided_once_S52(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    demand = _demand(world)
    proposal = services.propose(
        demand,
        by=world.personas["contact-member"],
        group=world.groups["contact"],
        kind=WordingProposal.Kind.MET,
        wording="",
        reason="The programme confirmed it.",
    )
    url = f"/d/{demand.pk}/proposals/{proposal.pk}/decide/"
    with after_reading(monkeypatch, access, "get_for_user"):
        pages = texts(
            at_once(
                posting(
                    client_for(world, "support-coordinator"),
                    url,
                    {"decision": "approve", "confirmed": "on"},
                ),
                posting(
                    client_for(world, "support-member"),
                    url,
                    {"decision": "decline", "reason": "Not yet."},
                ),
            )
        )
    proposal.refresh_from_db()
    demand.refresh_from_db()
    approved = proposal.status == WordingProposal.Status.APPROVED
    assert demand.status == (Demand.Status.MET if approved else Demand.Status.OPEN)
    assert sum("This proposal was already decided." in page for page in pages) == 1
    assert DemandStatusChange.objects.filter(demand=demand, status="met").count() == approved
