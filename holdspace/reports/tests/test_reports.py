"""Periodic reports: drafted from exactly the period's records the writing
group may read, edited, signed off, sent to supervision and then frozen for
everyone; corrected by a new version; sent once however often it is sent."""

from __future__ import annotations

import pytest
from django.utils import formats

from holdspace.processes.models import Event
from holdspace.processes.services import Refused
from holdspace.reports import services
from holdspace.reports.models import Report, Signoff
from holdspace.reports.tests.helpers import ago, attempt, draft, linked, meeting, sent, token
from holdspace.testing import World, add_member, assert_refused, client_for
from holdspace.testing.commitments import add_records
from holdspace.tests.test_matrix import PERSONAS

pytestmark = pytest.mark.django_db


# Drafted from records ------------------------------------------------------------


def test_it_drafts_from_exactly_the_period_records_the_group_may_read(world: World) -> None:
    ours = attempt(world, 20, "Canary-ours-in-the-period")
    before = attempt(world, 200, "Canary-before-the-period", direction="incoming")
    theirs = attempt(world, 20, "Canary-support-only", group="support")
    shared = attempt(
        world, 15, "Canary-shared-with-us", group="support", audience=[world.groups["contact"]]
    )
    missed = meeting(world, 10, "no_show", "Canary-agenda")
    coming = meeting(world, -5, "scheduled", "Canary-coming")
    elsewhere = world.other_groups["contact"]
    # The coordinator also reads the support group's records: the report does not.
    add_member(world.keyring, world.groups["support"], world.personas["contact-coordinator"])
    client = client_for(world, "contact-coordinator")
    url = f"/g/{world.groups['contact'].pk}/reports/new/"
    page = client.get(url).content.decode()
    assert f'value="{ago(0).isoformat()}"' in page  # the period ends today
    response = client.post(url, {"period_from": ago(90), "period_to": ago(0)})
    report = Report.objects.get()
    assert response["Location"] == f"/rp/{report.pk}/"
    assert linked(report) == {str(ours.pk), str(shared.pk), str(missed.pk)}
    for absent in (before, theirs, coming):
        assert str(absent.pk) not in linked(report)
    assert not Report.objects.filter(process=elsewhere.process).exists()
    shown = client.get(f"/rp/{report.pk}/").content.decode()
    for record in (ours, shared, missed):
        assert record.get_absolute_url() in shown
    # The lines say what happened, dated by when, never what the records say.
    assert "Canary" not in shown
    assert "no answer by the end of the period" in shown
    assert formats.date_format(ago(10), "DATE_FORMAT") in shown and "did not come" in shown
    # Only the group reads the draft, and nobody else reads it into a page.
    for persona in ("supervision-member", "support-member", "survivor", "outsider"):
        assert client_for(world, persona).get(f"/rp/{report.pk}/").status_code == 404


def test_it_lists_demands_steps_agreements_and_their_changes_only_if_the_group_reads_them(
    world: World,
) -> None:
    own, other = add_records(world)
    report = draft(world, start=400, end=0)
    found = linked(report)
    for record in (own.demand, own.step, own.agreement, own.plain_agreement, own.contact):
        assert str(record.pk) in found
    # The survivor's side's letter and private demand, other processes, what
    # has not happened yet: not in it.
    for record in (own.letter, own.private_demand, own.meeting, other.demand, other.contact):
        assert str(record.pk) not in found
    readable = {pk for pk, groups in own.readers.items() if "contact" in groups}
    assert {str(pk) for pk in readable} >= found - {str(report.pk)}


def test_it_refuses_a_period_that_ends_before_it_starts_and_keeps_what_was_typed(
    world: World,
) -> None:
    client = client_for(world, "contact-member")
    url = f"/g/{world.groups['contact'].pk}/reports/new/"
    backwards = {"period_from": ago(0).isoformat(), "period_to": ago(5).isoformat()}
    assert_refused(client, url, backwards, "The end of the period must come after its start.")
    future = {"period_from": ago(5).isoformat(), "period_to": ago(-3).isoformat()}
    assert_refused(client, url, future, "Choose today or a day in the past.", ago(-3).isoformat())
    assert not Report.objects.exists()


def test_it_saves_a_draft_sent_twice_once(world: World) -> None:
    client = client_for(world, "contact-member")
    url = f"/g/{world.groups['contact'].pk}/reports/new/"
    data = {"period_from": ago(30), "period_to": ago(0), "submission": token(client, url)}
    first = client.post(url, data)
    again = client.post(url, data)
    assert Report.objects.count() == 1
    assert again.status_code == 302 and again["Location"] == first["Location"]


# Sign-off and sending ------------------------------------------------------------


def test_it_is_signed_off_then_sent_and_supervision_reads_it_from_then_on(world: World) -> None:
    report = draft(world, text="Canary-our-words")
    url = f"/rp/{report.pk}/"
    coordinator = client_for(world, "contact-coordinator")
    member = client_for(world, "contact-member")
    supervision = client_for(world, "supervision-member")
    assert supervision.get(url).status_code == 404
    # Not without a sign-off.
    assert_refused(
        coordinator, f"{url}send/", {"sent_on": ""}, "Nobody has signed off this version yet."
    )
    # Only the group's coordinators send; only its members sign off.
    assert member.get(f"{url}send/").status_code == 404
    assert supervision.post(f"{url}sign/").status_code == 404
    assert b"Sign off this version" in member.get(url).content
    member.post(f"{url}sign/")
    page = member.get(url).content.decode()
    assert "contact-member signed off this version on" in page
    assert "Sign off this version" not in page
    assert "already signed off" in member.post(f"{url}sign/", follow=True).content.decode()
    assert Signoff.objects.count() == 1
    response = coordinator.post(f"{url}send/", {"sent_on": ago(1).isoformat()})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_sent and report.sent_on == ago(1) and report.occurred_on == ago(0)
    assert world.groups["supervision"] in report.audience_groups.all()
    read = supervision.get(url).content.decode()
    assert "Canary-our-words" in read and "contact-member" in read
    assert "Sent to supervision on" in read
    # Events on the chronology: drafted, signed, sent.
    codes = set(Event.objects.filter(about=report).values_list("code", flat=True))
    assert codes == {"report.written", "report.signed", "report.sent"}
    timeline = supervision.get(f"/p/{world.process.pk}/timeline/").content.decode()
    assert "sent a report to supervision" in timeline
    # Sending twice sends once.
    assert_refused(coordinator, f"{url}send/", {"sent_on": ""}, "It is already")


def test_it_asks_for_a_new_sign_off_after_an_edit(world: World) -> None:
    report = draft(world)
    services.sign(report, by=world.personas["contact-member"])
    client = client_for(world, "contact-coordinator")
    edit = {
        "period_from": report.period_from.isoformat(),
        "period_to": report.period_to.isoformat(),
        "occurred_on": report.occurred_on.isoformat(),
        "text": "Changed after the sign-off.",
        "version": report.version,
    }
    assert client.post(f"/rp/{report.pk}/edit/", edit).status_code == 302
    assert "signed off an earlier version" in client.get(f"/rp/{report.pk}/").content.decode()
    assert_refused(
        client, f"/rp/{report.pk}/send/", {"sent_on": ""}, "Nobody has signed off this version"
    )


def test_it_refuses_a_sending_day_in_the_future_or_before_the_period(world: World) -> None:
    report = draft(world, start=30)
    services.sign(report, by=world.personas["contact-member"])
    client = client_for(world, "contact-coordinator")
    url = f"/rp/{report.pk}/send/"
    assert_refused(
        client, url, {"sent_on": ago(-1).isoformat()}, "Choose today or a day in the past"
    )
    assert_refused(client, url, {"sent_on": ago(40).isoformat()}, "before its period starts")
    report.refresh_from_db()
    assert not report.is_sent


# Frozen once sent ----------------------------------------------------------------


def test_it_a_sent_report_cannot_be_edited_by_anyone(world: World) -> None:
    report = sent(world, text="Canary-as-sent")
    lines = report.lines()
    edit = {
        "period_from": ago(90).isoformat(),
        "period_to": ago(0).isoformat(),
        "occurred_on": ago(0).isoformat(),
        "text": "Changed after sending",
        "version": report.version,
    }
    readers = {"contact", "supervision"}
    for persona in PERSONAS:
        client = client_for(world, persona) if persona != "anonymous" else None
        if client is None:
            continue
        for url in (f"/rp/{report.pk}/edit/", f"/r/{report.pk}/audience/"):
            for response in (client.get(url), client.post(url, edit)):
                where = f"{persona} {url} -> {response.status_code}"
                assert 400 <= response.status_code < 500, where
        reads = persona.split("-")[0] in readers
        page = client.get(f"/rp/{report.pk}/edit/")
        if reads:
            assert page.status_code == 409
            assert b"This report was sent and cannot be changed" in page.content
        else:
            assert page.status_code == 404
        sign = client.post(f"/rp/{report.pk}/sign/", follow=True)
        assert sign.status_code == 404 or b"cannot be changed" in sign.content
    report.refresh_from_db()
    assert report.shown_text() == "Canary-as-sent" and report.text == "Canary-as-sent"
    assert report.lines() == lines and report.version == 2
    assert set(report.audience_groups.all()) == {
        world.groups["contact"],
        world.groups["supervision"],
    }
    with pytest.raises(Refused):
        services.edit_draft(
            report, by=world.personas["contact-coordinator"], expected_version=2, changes={}
        )


def test_it_keeps_the_lines_as_they_were_at_sending(world: World) -> None:
    ours = attempt(world, 20, "Canary-first")
    report = sent(world)
    attempt(world, 10, "Canary-written-in-later")  # for the same period, after sending
    report.refresh_from_db()
    assert linked(report) == {str(ours.pk)}
    page = client_for(world, "supervision-member").get(f"/rp/{report.pk}/").content.decode()
    # Supervision does not read the contact: the line is there, without a link.
    assert "no answer by the end of the period" in page
    assert ours.get_absolute_url() not in page


# Corrections ---------------------------------------------------------------------


def test_it_corrects_a_sent_report_with_a_new_version_that_says_what_changed(
    world: World,
) -> None:
    report = sent(world, text="Canary-wrong-count")
    coordinator = client_for(world, "contact-coordinator")
    supervision = client_for(world, "supervision-member")
    url = f"/rp/{report.pk}/correct/"
    assert client_for(world, "contact-member").get(url).status_code == 404
    assert supervision.get(url).status_code == 404
    assert_refused(coordinator, url, {"what_changed": ""}, "Please fill this in.")
    data = {"what_changed": "Canary-two-not-three", "submission": token(coordinator, url)}
    coordinator.post(url, data)
    again = coordinator.post(url, data)
    assert again.status_code == 302
    correction = Report.objects.get(corrects=report)
    assert correction.text == "Canary-wrong-count" and not correction.is_sent
    assert linked(correction) == linked(report)
    # A second correction of the same report is refused: correct the newest.
    assert_refused(coordinator, url, {"what_changed": "Again"}, "already been corrected")
    # Supervision sees neither the draft correction nor that it exists.
    assert b"corrected by a later version" not in supervision.get(f"/rp/{report.pk}/").content
    page = coordinator.get(f"/rp/{report.pk}/").content.decode()
    assert "corrected by a later version" in page and f"/rp/{correction.pk}/" in page
    services.edit_draft(
        correction,
        by=world.personas["contact-coordinator"],
        expected_version=1,
        changes={"text": "Canary-right-count"},
    )
    correction.refresh_from_db()
    services.sign(correction, by=world.personas["contact-member"])
    coordinator.post(f"/rp/{correction.pk}/send/", {"sent_on": ""})
    old = supervision.get(f"/rp/{report.pk}/").content.decode()
    assert "Canary-wrong-count" in old and "corrected by a later version" in old
    new = supervision.get(f"/rp/{correction.pk}/").content.decode()
    assert "This report corrects an earlier one." in new and f"/rp/{report.pk}/" in new
    assert "Canary-right-count" in new and "Canary-two-not-three" in new
    assert Event.objects.filter(about=report, code="report.corrected").exists()


def test_it_refuses_to_correct_a_draft(world: World) -> None:
    report = draft(world)
    assert_refused(
        client_for(world, "contact-coordinator"),
        f"/rp/{report.pk}/correct/",
        {"what_changed": "Nothing"},
        "Only a report that was sent can be corrected",
    )
