"""The pages speak about the person who caused harm in the pronoun the
process chose, not always "he" (issue 12)."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from holdspace.processes.models import Process
from holdspace.testing import World, client_for
from holdspace.testing.commitments import build_records
from holdspace.watch import rules
from holdspace.watch.attention import Item

pytestmark = pytest.mark.django_db

# The pronoun chosen, and what the contact page's button, the meeting page's
# heading and the step page's button say then.
CHOICES = [
    ("he", "He answered", "Meeting with him", "He did it: mark as done", "his answer"),
    ("she", "She answered", "Meeting with her", "She did it: mark as done", "her answer"),
    ("they", "They answered", "Meeting with them", "They did it: mark as done", "their answer"),
    (
        "none",
        "The perpetrator answered",
        "Meeting with the perpetrator",
        "The perpetrator did it: mark as done",
        "the answer of the perpetrator",
    ),
]


@pytest.mark.parametrize(("pronoun", "answered", "meeting", "done", "answer"), CHOICES)
def test_contact_meeting_and_step_pages_use_the_chosen_pronoun(
    world: World, pronoun: str, answered: str, meeting: str, done: str, answer: str
) -> None:
    Process.objects.filter(pk=world.process.pk).update(
        harming_pronoun=pronoun, harming_term="perpetrator"
    )
    people = {
        "support": world.personas["support-member"],
        "contact": world.personas["contact-member"],
    }
    records = build_records(world.groups, people)
    client = client_for(world, "contact-member")
    pages = {
        answered: reverse("hs-contact", args=[records.contact.pk]),
        meeting: reverse("hs-meeting", args=[records.meeting.pk]),
        done: reverse("hs-step", args=[records.step.pk]),
    }
    for sentence, url in pages.items():
        page = client.get(url).content.decode()
        assert sentence in page, url
        if url == pages[meeting]:  # and the form for what happened
            outcome = client.get(reverse("hs-meeting-outcome", args=[records.meeting.pk]))
            asked = {
                "he": "What he was asked",
                "she": "What she was asked",
                "they": "What they were asked",
                "none": "What the perpetrator was asked",
            }[pronoun]
            assert asked in outcome.content.decode(), url
            missed = {"he": "he", "she": "she", "they": "they", "none": "the perpetrator"}
            assert f"{missed[pronoun]} did not come" in outcome.content.decode(), url
        if pronoun != "he":
            assert not any(word in page for word in (">He ", " him<", "He did it")), url
    form = client.get(reverse("hs-contact-answered", args=[records.contact.pk]))
    day = records.contact.occurred_on
    assert f"Your attempt of {day.day} {day:%B} {day.year}: when did {answer} come?" in (
        form.content.decode()
    )
    response = client.post(
        reverse("hs-contact-answered", args=[records.contact.pk]),
        {"answered_on": records.contact.occurred_on.isoformat()},
        follow=True,
    )
    assert response.status_code == 200
    assert f"Noted: {answered[0].lower()}{answered[1:]}." in response.content.decode()


@pytest.mark.parametrize(
    ("pronoun", "meeting", "contact"),
    [
        ("he", "Plan a meeting with him,", "a meeting he missed"),
        ("she", "Plan a meeting with her,", "a meeting she missed"),
        ("none", "Plan a meeting with the perpetrator,", "a meeting the perpetrator missed"),
    ],
)
def test_forms_and_settings_pages_use_the_chosen_pronoun(
    world: World, pronoun: str, meeting: str, contact: str
) -> None:
    Process.objects.filter(pk=world.process.pk).update(
        harming_pronoun=pronoun, harming_term="perpetrator"
    )
    people = {
        "support": world.personas["support-member"],
        "contact": world.personas["contact-member"],
    }
    build_records(world.groups, people)  # a contact, so that there are figures
    client = client_for(world, "contact-coordinator")
    group = world.groups["contact"]
    page = client.get(reverse("hs-meeting-new", args=[group.pk])).content.decode()
    assert meeting in page
    answered = {"he": "He", "she": "She", "none": "The perpetrator"}[pronoun]
    page = client.get(reverse("hs-contact-new", args=[group.pk])).content.decode()
    assert f"{answered} answered on" in page
    page = client.get(reverse("hs-cadence", args=[world.process.pk])).content.decode()
    assert contact in page
    pronoun_words = {"he": "him", "she": "her", "none": "the perpetrator"}[pronoun]
    assert f"Contact with {pronoun_words} at least every" in page
    page = client.get(reverse("hs-meeting-new", args=[group.pk])).content.decode()
    assert f"only your group (without {pronoun_words})" in page
    # The contact log and the process page's figures.
    for url in (
        reverse("hs-process", args=[world.process.pk]),
        reverse("hs-contact-log", args=[world.process.pk]),
    ):
        page = client.get(url).content.decode()
        assert f"Replies and messages from {pronoun_words}" in page, url
    assert f"We wrote or called {pronoun_words}, no answer" in page  # the chart's key


def test_a_process_chooses_its_pronoun_in_its_settings(world: World) -> None:
    client = client_for(world, "support-coordinator")
    pid = world.process.pk
    page = client.get(f"/p/{pid}/settings/").content.decode()
    assert "they / them" in page
    data = {
        "name": "Willow",
        "started_on": world.process.started_on.isoformat(),
        "harmed_term": "survivor",
        "harming_term": "person_who_caused_harm",
        "harming_pronoun": "she",
        "status": "active",
        "version": Process.objects.get(pk=pid).version,
    }
    response = client.post(f"/p/{pid}/settings/", data)
    assert response.status_code == 302, response.content
    assert Process.objects.get(pk=pid).harming_pronoun == "she"


ALERTS = {
    "he": ("He did not come to the meeting on", "He has not answered your attempt of"),
    "she": ("She did not come to the meeting on", "She has not answered your attempt of"),
    "they": ("They did not come to the meeting on", "They have not answered your attempt of"),
    "none": ("The perpetrator did not come to the meeting on", "up to the perpetrator"),
}


@pytest.mark.parametrize("pronoun", sorted(ALERTS))
def test_needs_attention_speaks_in_the_chosen_pronoun(world: World, pronoun: str) -> None:
    Process.objects.filter(pk=world.process.pk).update(
        harming_pronoun=pronoun, harming_term="perpetrator"
    )
    process = Process.objects.get(pk=world.process.pk)
    day = datetime.date(2026, 5, 3)
    items = [
        Item(
            alert=rules.Alert(
                kind=kind, process=process.pk, due_on=day, severity="overdue", since=day
            ),
            process=process,
            url="/",
            mine=False,
        )
        for kind in (rules.MEETING_NO_SHOW, rules.NO_ANSWER)
    ]
    page = render_to_string("watch/includes/attention.html", {"items": items})
    for sentence in ALERTS[pronoun]:
        assert sentence in page
    if pronoun != "he":
        assert " him" not in page and "He " not in page


def test_the_chart_key_speaks_in_the_chosen_pronoun(world: World) -> None:
    Process.objects.filter(pk=world.process.pk).update(harming_pronoun="she")
    people = {
        "support": world.personas["support-member"],
        "contact": world.personas["contact-member"],
    }
    build_records(world.groups, people)
    page = client_for(world, "contact-member").get(
        reverse("hs-contact-log", args=[world.process.pk])
    )
    text = page.content.decode()
    assert "We were in touch with her surroundings" in text
    assert "his surroundings" not in text
