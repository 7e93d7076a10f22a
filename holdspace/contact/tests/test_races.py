"""Two members recording the same thing at the same moment (S52): what
happened at a meeting, and that he answered, are recorded once; the other
member is told, and nothing they typed is lost."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone

from holdspace.contact import services
from holdspace.contact.models import Contact, Meeting
from holdspace.processes import access
from holdspace.testing import World, client_for
from holdspace.testing.races import after_reading, at_once, posting, texts
from holdspace.testing.world import fresh_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    with fresh_world() as built:
        yield built


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_two_outcomes_recorded_at_once_record_one_S52(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = services.plan_meeting(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        occurred_on=timezone.localdate(),
        starts_at=None,
        internal=False,
        place="",
        agenda="",
        preparation_asked="",
        attendees=[],
    )
    url = f"/m/{meeting.pk}/outcome/"
    held = {"outcome": "held", "preparation": "came", "minutes": "We talked.", "follow_ups": ""}
    missed = {**held, "outcome": "no_show", "minutes": "He did not come."}
    with after_reading(monkeypatch, access, "get_specific_for_user"):
        pages = texts(
            at_once(
                posting(client_for(world, "contact-coordinator"), url, held),
                posting(client_for(world, "contact-member"), url, missed),
            )
        )
    meeting.refresh_from_db()
    assert meeting.outcome in (Meeting.Outcome.HELD, Meeting.Outcome.NO_SHOW)
    assert meeting.version == 2  # written once
    saved = [page for page in pages if "What happened is recorded." in page]
    refused = [
        page for page in pages if "What happened at this meeting is already recorded" in page
    ]
    assert len(saved) == len(refused) == 1
    # The member who was second still has what they typed in front of them.
    assert ("He did not come." if meeting.outcome == "held" else "We talked.") in refused[0]


def test_an_answer_marked_twice_at_once_is_marked_once_S52(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt = services.log_contact(
        author=world.personas["contact-member"],
        group=world.groups["contact"],
        occurred_on=_ago(10),
        channel="email",
        direction="outgoing",
        counterpart="him",
        counterpart_note="",
        summary="We wrote.",
    )
    url = f"/c/{attempt.pk}/answered/"
    with after_reading(monkeypatch, access, "get_specific_for_user"):
        pages = texts(
            at_once(
                posting(client_for(world, "contact-coordinator"), url, {"answered_on": _ago(3)}),
                posting(client_for(world, "contact-member"), url, {"answered_on": _ago(2)}),
            )
        )
    attempt = Contact.objects.get(pk=attempt.pk)
    assert attempt.answered_on in (_ago(3), _ago(2))
    assert sum("Noted: he answered." in page for page in pages) == 1
    assert sum("This attempt is already marked as answered." in page for page in pages) == 1
