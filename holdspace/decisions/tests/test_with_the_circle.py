"""Decisions and the people around him, together in the demo (issue 13, C8):
a "whom to inform" decision says before anyone acts that an embargo of the
survivor's side runs, and the person it is about links to it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import formats

from holdspace.circle import access as circle
from holdspace.circle.models import Person
from holdspace.decisions.models import Decision
from holdspace.demo import builder
from holdspace.demo.tests.test_demo import _log_in

pytestmark = pytest.mark.django_db

WARNING = "An embargo of the survivor's side is in force"


def _client(username: str) -> Client:
    return _log_in(next(row for row in builder.credentials() if row["username"] == username))


def test_whom_to_inform_warns_of_the_embargo_before_anyone_acts() -> None:
    call_command("demo")
    decision = Decision.objects.get(topic=Decision.Topic.INFORM)
    until = circle.embargo_until(decision.process)
    assert until is not None  # the demo's embargo runs
    date = formats.date_format(until, "DATE_FORMAT")
    client = _client("demo-support-coordinator")
    page = client.get(reverse("hs-decision", args=[decision.pk])).content.decode()
    assert WARNING in page and f"Nobody else may be told before {date}." in page
    new = reverse("hs-decision-new", args=[decision.process_id])
    assert WARNING in client.get(new + "?topic=inform").content.decode()
    assert WARNING not in client.get(new).content.decode()  # a general proposal
    # A decision on something else says nothing of it.
    other = Decision.objects.exclude(topic=Decision.Topic.INFORM).filter(status="open").first()
    assert other is not None
    assert WARNING not in client.get(reverse("hs-decision", args=[other.pk])).content.decode()


def test_the_person_it_is_about_links_to_the_decision() -> None:
    call_command("demo")
    decision = Decision.objects.get(topic=Decision.Topic.INFORM)
    person = Person.objects.get(relation=Person.Relation.POLITICAL_GROUP)
    assert list(decision.about.values_list("pk", flat=True)) == [person.pk]
    page = _client("demo-contact-member").get(reverse("hs-person", args=[person.pk])).content
    assert reverse("hs-decision", args=[decision.pk]).encode() in page
    propose = f"{reverse('hs-decision-new', args=[person.process_id])}?about={person.pk}"
    assert propose.encode() in page


def test_the_ladder_shows_each_group_only_the_decisions_it_may_read_S45() -> None:
    """The supervision group reads the ladder, not the contact group's own
    decisions taken on it: no link to them and no trace of their state."""
    call_command("demo")
    ladder_page = reverse("hs-ladder", args=[Decision.objects.first().process_id])  # type: ignore[union-attr]  # the demo has decisions
    contact = _client("demo-contact-coordinator").get(ladder_page).content.decode()
    supervision = _client("demo-supervision").get(ladder_page).content.decode()
    drafts = Decision.objects.exclude(from_ladder=None)
    assert drafts.exists()
    for draft in drafts:
        link = reverse("hs-decision", args=[draft.pk])
        assert link in contact
        assert link not in supervision


def test_a_decision_recorded_without_a_round_does_not_list_everyone_as_silent() -> None:
    call_command("demo")
    decision = Decision.objects.get(topic=Decision.Topic.INFORM)
    assert not decision.answers.exists()
    page = _client("demo-contact-member").get(reverse("hs-decision", args=[decision.pk]))
    text = page.content.decode()
    assert "the outcome was recorded directly" in text
    assert "not answered yet" not in text
