"""Handing a task over with its history (DESIGN C18, S39, S51).

The receiving group reads what the handing group passes on — re-keyed, not
copied — the handing group stays or leaves, the party's key follows contact,
and a hand-over is one transaction, even when the process is killed half-way.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from holdspace.audit.models import Entry
from holdspace.contact import services as contact_services
from holdspace.contact.models import Contact, Meeting
from holdspace.processes import services
from holdspace.processes.models import (
    Event,
    Group,
    HandOver,
    Membership,
    RecordAudience,
    Responsibility,
)
from holdspace.testing import (
    World,
    assert_refused,
    client_for,
    database_snapshot,
    run_django_script,
    run_holdspace,
    stored_bytes,
    write_note,
)
from holdspace.vault.keyring import using
from holdspace.vault.models import Compartment, Grant, Wrap
from holdspace.watch import collect, rules

SILENCE = "Silence after the letter about the café"
MINUTES = "He came late and listened to the list of demands"
NO_SHOW_AGENDA = "Talk about the summer camp"
GROUP_NOTE = "Our own worries about burning out"
pytestmark = pytest.mark.django_db

REASON = "Our group is worn out after two years; the new group has the time."


def _url(world: World, task: str = "contact") -> str:
    return f"/p/{world.process.pk}/hand-over/?task={task}"


def _history(world: World) -> dict[str, Any]:
    """What the contact group wrote over the years: a contact, a meeting he
    came to, one he missed, and a note of its own."""
    group, author = world.groups["contact"], world.personas["contact-member"]
    today = timezone.localdate()
    with using(world.keyring):
        contact = contact_services.log_contact(
            author=author,
            group=group,
            occurred_on=today - datetime.timedelta(days=40),
            channel=Contact.Channel.LETTER,
            direction=Contact.Direction.OUTGOING,
            counterpart=Contact.Counterpart.HARMING,
            counterpart_note="",
            summary=SILENCE,
        )
        held = contact_services.plan_meeting(
            author=author,
            group=group,
            occurred_on=today - datetime.timedelta(days=30),
            starts_at=None,
            internal=False,
            place="The library",
            agenda="The demands",
            preparation_asked="",
            attendees=[author],
            outcome=Meeting.Outcome.HELD,
            minutes=MINUTES,
        )
        missed = contact_services.plan_meeting(
            author=author,
            group=group,
            occurred_on=today - datetime.timedelta(days=3),
            starts_at=None,
            internal=False,
            place="The library",
            agenda=NO_SHOW_AGENDA,
            preparation_asked="",
            attendees=[author],
            outcome=Meeting.Outcome.NO_SHOW,
        )
    note = write_note(world.keyring, group, author, GROUP_NOTE)
    return {"contact": contact, "held": held, "missed": missed, "note": note}


def _form(client: Client, url: str) -> dict[str, str]:
    """The one-time token of the form, as a browser sends it back."""
    page = client.get(url).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page)
    assert token is not None
    return {"submission": token.group(1)}


def _hand_to_community(world: World, afterwards: str = "stay", **extra: Any) -> Any:
    client = client_for(world, "contact-coordinator")
    data = {
        "group": world.groups["community"].pk,
        "kinds": ["contact", "meeting"],
        "afterwards": afterwards,
        "reason": REASON,
        **_form(client, _url(world)),
        **extra,
    }
    return client.post(_url(world), data)


def _reads(world: World, persona: str, url: str, text: str) -> bool:
    response = client_for(world, persona).get(url)
    return response.status_code == 200 and text in response.content.decode()


# The receiving group reads the history --------------------------------------


def test_it_lets_the_receiving_group_read_the_history_passed_on(world: World) -> None:
    found = _history(world)
    contact, held = found["contact"], found["held"]
    assert client_for(world, "community-member").get(f"/c/{contact.pk}/").status_code == 404
    response = _hand_to_community(world)
    assert response.status_code == 302 and response["Location"] == f"/p/{world.process.pk}/"
    assert (
        Responsibility.objects.get(process=world.process, kind="contact").group
        == (world.groups["community"])
    )
    for persona in ("community-member", "community-coordinator"):
        assert _reads(world, persona, f"/c/{contact.pk}/", SILENCE), persona
        assert _reads(world, persona, f"/m/{held.pk}/", MINUTES), persona
        # The contact log no longer says "No contacts logged yet".
        log = client_for(world, persona).get(f"/p/{world.process.pk}/contact/").content.decode()
        assert "No contacts logged yet." not in log, persona
        assert f"/c/{contact.pk}/" in log and f"/m/{found['missed'].pk}/" in log, persona
        assert "he did not come" in log, persona
    # Re-keyed, not copied: the same records, with one more group in their audience.
    assert Contact.objects.count() == 1 and Meeting.objects.count() == 2
    assert set(contact.audience_groups.all()) == {
        world.groups["contact"],
        world.groups["community"],
    }
    assert Wrap.objects.filter(
        data_key_id=contact.data_key_id, compartment__group=world.groups["community"]
    ).exists()


def test_it_keeps_what_was_not_passed_on_unreadable(world: World) -> None:
    found = _history(world)
    _hand_to_community(world, kinds=["contact"])
    assert _reads(world, "community-member", f"/c/{found['contact'].pk}/", SILENCE)
    for record in (found["held"], found["note"]):
        url = f"/m/{record.pk}/" if isinstance(record, Meeting) else f"/r/{record.pk}/"
        assert client_for(world, "community-member").get(url).status_code == 404
        assert not Wrap.objects.filter(
            data_key_id=record.data_key_id, compartment__group=world.groups["community"]
        ).exists()
    timeline = client_for(world, "community-member").get(
        f"/p/{world.process.pk}/timeline/?group={world.groups['contact'].pk}"
    )
    assert GROUP_NOTE not in timeline.content.decode()
    assert MINUTES not in timeline.content.decode()
    assert HandOver.objects.get().passed_count == 1


def test_it_offers_every_kind_of_the_task_ticked_and_the_group_notes_unticked(
    world: World,
) -> None:
    _history(world)
    page = client_for(world, "contact-coordinator").get(_url(world)).content.decode()
    assert re.search(r'value="contact"[^>]*checked', page)
    assert re.search(r'value="meeting"[^>]*checked', page)
    # With how many of each the group reads (its notes: its own two and one shared).
    assert "Contact (1)" in page and "Meeting (2)" in page and "Note (3)" in page
    assert not re.search(r'value="note"[^>]*checked', page)


def test_it_shows_why_to_both_groups_and_the_steering_groups_only(world: World) -> None:
    _history(world)
    _hand_to_community(world)
    handover = HandOver.objects.get()
    for persona in ("community-member", "contact-member", "support-member"):
        page = client_for(world, persona).get(f"/r/{handover.pk}/").content.decode()
        assert REASON in page and "Willow community group" in page, persona
        timeline = client_for(world, persona).get(f"/p/{world.process.pk}/timeline/")
        text = timeline.content.decode()
        assert REASON in text, persona
        assert "moved from Willow contact group to Willow community group" in text, persona
    for persona in ("supervision-member", "support_team-coordinator", "portal", "survivor"):
        assert client_for(world, persona).get(f"/r/{handover.pk}/").status_code == 404
    # The reason is stored encrypted, with the record's own key.
    assert handover.data_key_id is not None
    assert REASON.encode() not in stored_bytes()


def test_it_writes_the_hand_over_in_both_groups_audit_logs(world: World) -> None:
    _history(world)
    _hand_to_community(world)
    handover = HandOver.objects.get()
    groups = set(
        Entry.objects.filter(action="responsibility.moved", target_id=str(handover.pk)).values_list(
            "group_id", flat=True
        )
    )
    assert groups == {world.groups["contact"].pk, world.groups["community"].pk}
    page = client_for(world, "community-coordinator").get(f"/p/{world.process.pk}/audit/")
    assert "handed a task over" in page.content.decode()


# Stay or leave --------------------------------------------------------------


def test_it_lets_the_handing_group_stay_as_readers(world: World) -> None:
    found = _history(world)
    _hand_to_community(world, afterwards="stay")
    assert _reads(world, "contact-member", f"/c/{found['contact'].pk}/", SILENCE)
    assert HandOver.objects.get().handing_group_stays


def test_it_takes_the_history_away_from_a_handing_group_that_leaves(world: World) -> None:
    found = _history(world)
    _hand_to_community(world, afterwards="leave")
    contact, held, missed = found["contact"], found["held"], found["missed"]
    for record, url in ((contact, f"/c/{contact.pk}/"), (held, f"/m/{held.pk}/")):
        assert client_for(world, "contact-member").get(url).status_code == 404
        # Its key is no longer sealed to the group that left.
        assert not Wrap.objects.filter(
            data_key_id=record.data_key_id, compartment__group=world.groups["contact"]
        ).exists()
        assert _reads(world, "community-member", url, "")
    log = client_for(world, "contact-member").get(f"/p/{world.process.pk}/contact/")
    assert f"/c/{contact.pk}/" not in log.content.decode()
    # Its own note stays its own; the hand-over itself stays readable to it.
    assert _reads(world, "contact-member", f"/r/{found['note'].pk}/", GROUP_NOTE)
    assert _reads(world, "contact-member", f"/r/{HandOver.objects.get().pk}/", REASON)
    # What the watchdog says agrees with what each group reads.
    missed_alerts = [
        alert.subject
        for alert in collect.alerts_for(world.personas["community-member"])
        if alert.kind == rules.MEETING_NO_SHOW
    ]
    assert missed_alerts == [missed.pk]
    assert not [
        alert
        for alert in collect.alerts_for(world.personas["contact-member"])
        if alert.kind == rules.MEETING_NO_SHOW
    ]


def test_the_watchdog_agrees_with_what_the_receiving_group_reads(world: World) -> None:
    missed = _history(world)["missed"]

    def no_shows(persona: str) -> list[Any]:
        found = collect.alerts_for(world.personas[persona])
        return [alert.subject for alert in found if alert.kind == rules.MEETING_NO_SHOW]

    assert no_shows("community-member") == []
    _hand_to_community(world)
    assert no_shows("community-member") == [missed.pk]
    assert _reads(world, "community-member", f"/m/{missed.pk}/", NO_SHOW_AGENDA)


# The party's key follows contact ---------------------------------------------


def test_the_portal_key_follows_contact_so_the_new_group_makes_the_next_link(
    world: World,
) -> None:
    link = f"/p/{world.process.pk}/parties/harming/link/"
    assert client_for(world, "community-coordinator").post(link).status_code == 404
    _hand_to_community(world, afterwards="leave")
    response = client_for(world, "community-coordinator").post(link)
    assert response.status_code == 200
    assert "/link/" in response.content.decode()
    assert client_for(world, "contact-coordinator").post(link).status_code == 404
    portal = Compartment.objects.get(process=world.process, kind=Compartment.Kind.PORTAL)
    holders = set(
        Wrap.objects.filter(data_key_id=portal.escrow_key_id).values_list(
            "compartment__group", flat=True
        )
    )
    assert holders == {world.groups["community"].pk}


def test_a_process_survives_the_departure_of_everyone_who_started_it(world: World) -> None:
    """Group A hands contact to group B, then all of A's members leave: B still
    reads the whole history and can make a portal link."""
    found = _history(world)
    _hand_to_community(world, afterwards="leave")
    contact_group = world.groups["contact"]
    with using(world.keyring):
        services.leave(world.memberships["contact-member"], by=world.personas["contact-member"])
    # The last one cannot leave in the app (a group is never left empty); as if
    # their account and keys were gone for good.
    Membership.objects.filter(group=contact_group).update(status=Membership.Status.ENDED)
    Grant.objects.filter(compartment__group=contact_group).delete()
    for persona in ("community-member", "community-coordinator"):
        assert _reads(world, persona, f"/c/{found['contact'].pk}/", SILENCE)
        assert _reads(world, persona, f"/m/{found['held'].pk}/", MINUTES)
    link = client_for(world, "community-coordinator").post(
        f"/p/{world.process.pk}/parties/harming/link/"
    )
    assert link.status_code == 200 and "/link/" in link.content.decode()


def test_the_survivors_key_follows_the_demands(world: World) -> None:
    link = f"/p/{world.process.pk}/parties/harmed/link/"
    assert client_for(world, "community-coordinator").post(link).status_code == 404
    client = client_for(world, "support-coordinator")
    url = _url(world, "demands")
    data = {"group": world.groups["community"].pk, "reason": REASON, **_form(client, url)}
    assert client.post(url, data).status_code == 302
    response = client_for(world, "community-coordinator").post(link)
    assert response.status_code == 200 and "/link/" in response.content.decode()


def test_a_task_nobody_carries_is_taken_on_with_nothing_to_pass_on(world: World) -> None:
    Responsibility.objects.filter(process=world.process, kind="supervision").delete()
    client = client_for(world, "support-coordinator")
    url = _url(world, "supervision")
    page = client.get(url).content.decode()
    assert "Nobody carries this task yet." in page and 'name="kinds"' not in page
    data = {"group": world.groups["custom"].pk, "reason": REASON, **_form(client, url)}
    assert client.post(url, data).status_code == 302
    handover = HandOver.objects.get()
    assert handover.from_group is None and handover.passed_count == 0
    assert handover.author_group == world.groups["support"]
    timeline = client_for(world, "custom-member").get(f"/p/{world.process.pk}/timeline/")
    assert "Willow custom group took on the task" in timeline.content.decode()


# Who may: the steering groups decide, the handing group's coordinators act ---


def test_it_tells_someone_outside_the_steering_groups_whom_to_ask(world: World) -> None:
    _history(world)
    for persona in ("community-coordinator", "contact-member", "supervision-coordinator"):
        client = client_for(world, persona)
        page = client.get(_url(world)).content.decode()
        assert "Please ask one of their coordinators" in page, persona
        assert "Willow support group" in page and "Willow contact group" in page
        assert 'name="reason"' not in page
        data = {"group": world.groups["community"].pk, "reason": REASON}
        assert_refused(client, _url(world), data, "Please ask one of their coordinators")


def test_it_tells_a_steering_coordinator_of_another_group_to_ask_the_handing_group(
    world: World,
) -> None:
    _history(world)
    client = client_for(world, "support-coordinator")
    page = client.get(_url(world)).content.decode()
    assert "Only a coordinator of Willow contact group" in page
    assert "contact-coordinator" in page
    data = {"group": world.groups["community"].pk, "reason": REASON}
    assert_refused(client, _url(world), data, "Only a coordinator of Willow contact group")


def test_it_refuses_the_service_for_those_who_may_not(world: World) -> None:
    _history(world)
    for persona in ("support-coordinator", "community-coordinator", "portal"):
        before = database_snapshot()
        with pytest.raises(services.Refused):
            services.hand_over(
                world.process,
                "contact",
                to=world.groups["community"],
                by=world.personas[persona],
                reason=REASON,
            )
        assert database_snapshot() == before, persona


def test_a_task_that_does_not_steer_is_handed_over_once_its_group_is_named_to_steer(
    world: World,
) -> None:
    client = client_for(world, "supervision-coordinator")
    url = _url(world, "supervision")
    page = client.get(url).content.decode()
    assert "ask one of their coordinators to name your group among those that steer" in page
    Group.objects.filter(pk=world.groups["supervision"].pk).update(steers=True)
    data = {"group": world.groups["custom"].pk, "reason": REASON, **_form(client, url)}
    assert client.post(url, data).status_code == 302
    assert (
        Responsibility.objects.get(process=world.process, kind="supervision").group
        == (world.groups["custom"])
    )


def test_the_support_team_never_takes_a_task_that_steers_S51(world: World) -> None:
    client = client_for(world, "contact-coordinator")
    data = {"group": world.groups["support_team"].pk, "reason": REASON}
    assert_refused(client, _url(world), data, "cannot carry this task", REASON)


@pytest.mark.parametrize("persona", ["portal", "survivor", "outsider"])
def test_party_accounts_and_outsiders_never_reach_the_page_S44(world: World, persona: str) -> None:
    client = client_for(world, persona)
    assert client.get(_url(world)).status_code == 404
    response = client.post(_url(world), {"group": world.groups["community"].pk, "reason": "x"})
    assert response.status_code == 404
    assert (
        Responsibility.objects.get(process=world.process, kind="contact").group
        == (world.groups["contact"])
    )


def test_the_tasks_page_is_for_the_steering_groups_and_leads_to_the_hand_over(
    world: World,
) -> None:
    page = client_for(world, "contact-coordinator").get(f"/p/{world.process.pk}/tasks/")
    assert f"/p/{world.process.pk}/hand-over/?task=contact" in page.content.decode()
    assert client_for(world, "community-member").get(
        f"/p/{world.process.pk}/tasks/"
    ).status_code == (404)


# Bad input, double submit ------------------------------------------------------


def test_it_asks_for_the_reason_and_keeps_what_was_typed(world: World) -> None:
    client = client_for(world, "contact-coordinator")
    data = {"group": world.groups["community"].pk, "reason": "", "happened_on": "2025-06-01"}
    assert_refused(client, _url(world), data, "Please fill this in.", "2025-06-01")


def test_it_refuses_a_day_to_come_or_before_the_process_began(world: World) -> None:
    client = client_for(world, "contact-coordinator")
    later = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    data = {"group": world.groups["community"].pk, "reason": REASON, "happened_on": later}
    assert_refused(client, _url(world), data, "Choose today or a day in the past.", REASON)
    data["happened_on"] = "2024-12-31"
    assert_refused(client, _url(world), data, "The process started on", REASON)


def test_it_dates_a_hand_over_written_down_later_on_the_day_it_happened(world: World) -> None:
    _hand_to_community(world, happened_on="2025-06-01")
    handover = HandOver.objects.get()
    assert handover.occurred_on == datetime.date(2025, 6, 1)
    assert handover.created_at.date() == timezone.now().date()
    assert Event.objects.get(code="responsibility.moved").occurred_on == datetime.date(2025, 6, 1)


def test_a_double_submit_hands_over_once(world: World) -> None:
    _history(world)
    client = client_for(world, "contact-coordinator")
    data = {
        "group": world.groups["community"].pk,
        "kinds": ["contact", "meeting"],
        "afterwards": "stay",
        "reason": REASON,
        **_form(client, _url(world)),
    }
    first = client.post(_url(world), data)
    second = client.post(_url(world), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert HandOver.objects.count() == 1
    assert Event.objects.filter(code="responsibility.moved").count() == 1
    assert RecordAudience.objects.filter(group=world.groups["community"]).count() >= 3


def test_it_refuses_to_hand_a_task_to_the_group_that_carries_it(world: World) -> None:
    client = client_for(world, "contact-coordinator")
    data = {"group": world.groups["contact"].pk, "reason": REASON}
    assert_refused(client, _url(world), data, "This group already carries that task.", REASON)
    before = database_snapshot()
    with using(world.keyring), pytest.raises(services.Refused):
        services.hand_over(
            world.process,
            "contact",
            to=world.groups["contact"],
            by=world.personas["contact-coordinator"],
            reason=REASON,
        )
    assert database_snapshot() == before


# Atomic, even when killed half-way (S39) ---------------------------------------

SETUP = textwrap.dedent(
    """
    import django, json, sys, datetime
    django.setup()
    from holdspace.testing import make_user, keyring_of, PRIVATE_KEYS
    from holdspace.processes import services
    from holdspace.contact import services as contact
    from holdspace.vault.keyring import using
    a, b = make_user("coordinator-a"), make_user("coordinator-b")
    ring = keyring_of(a)
    with using(ring):
        p = services.create_process(a, services.NewProcess(
            name="Process Ash", started_on=datetime.date(2025, 1, 1), harmed_term="survivor",
            harming_term="perpetrator", harmed_pseudonym="A.", harming_pseudonym="X",
            group_kind="contact", group_name="Ash contact", commitment_until=None))
        group_a = p.groups.get()
        group_b = services.add_group(p, by=a, kind="community", name="Ash new", purpose="")
        for i in range(int(sys.argv[1])):
            contact.log_contact(
                author=a, group=group_a, occurred_on=datetime.date(2025, 2, 1),
                channel="letter", direction="outgoing", counterpart="harming",
                counterpart_note="", summary=f"Letter {i}")
    print(json.dumps({"process": str(p.pk), "to": str(group_b.pk), "user": str(a.pk),
                      "private": PRIVATE_KEYS[a.pk].hex()}))
    """
)

HAND_OVER = textwrap.dedent(
    """
    import django, json, sys, time, uuid
    django.setup()
    from holdspace.accounts.models import User
    from holdspace.processes import services
    from holdspace.processes.models import Group, Process
    from holdspace.vault.keyring import Keyring, using
    info = json.loads(sys.argv[1])
    ring = Keyring(uuid.UUID(info["user"]), bytes.fromhex(info["private"]))
    shared = ring.share
    count = [0]
    def share_then_pause(*args, **kwargs):
        shared(*args, **kwargs)
        count[0] += 1
        if count[0] == int(sys.argv[2]):
            print("paused inside the transaction", flush=True)
            time.sleep(600)
    ring.share = share_then_pause
    with using(ring):
        services.hand_over(
            Process.objects.get(pk=info["process"]), "contact",
            to=Group.objects.get(pk=info["to"]), by=User.objects.get(pk=info["user"]),
            reason="Half-way", handing_group_stays=False)
    print("finished", flush=True)
    """
)

STATE = textwrap.dedent(
    """
    import django, json, sys
    django.setup()
    from holdspace.processes.models import HandOver, Event, RecordAudience, Responsibility
    from holdspace.vault.models import Grant, Wrap
    info = json.loads(sys.argv[1])
    audiences = sorted(
        f"{row[0]}|{row[1]}" for row in RecordAudience.objects.values_list("record_id", "group_id")
    )
    wraps = sorted(
        f"{row[0]}|{row[1]}|{row[2]}"
        for row in Wrap.objects.values_list("data_key_id", "compartment_id", "version")
    )
    print(json.dumps({
        "audiences": audiences,
        "wraps": wraps,
        "grants": Grant.objects.count(),
        "carrier": str(Responsibility.objects.get(kind="contact").group_id),
        "handovers": HandOver.objects.count(),
        "moved": Event.objects.filter(code="responsibility.moved").count(),
    }))
    """
)


def test_a_hand_over_killed_half_way_changes_nothing_S39(tmp_path: Path) -> None:
    env = {"HOLDSPACE_ENV": "test", "HOLDSPACE_DATA_DIR": str(tmp_path)}
    assert run_holdspace(["migrate"], env).returncode == 0
    count = 40
    info = run_django_script(SETUP, env, str(count))
    before = json.loads(run_django_script(STATE, env, info))
    worker = subprocess.Popen(
        [sys.executable, "-c", HAND_OVER, info, str(count // 2)],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "holdspace.settings", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "paused inside the transaction"
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    after = json.loads(run_django_script(STATE, env, info))
    assert after == before
    assert after["carrier"] != json.loads(info)["to"] and after["handovers"] == 0
    # And the same hand-over, not interrupted, passes everything on.
    done = subprocess.run(
        [sys.executable, "-c", HAND_OVER, info, "0"],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "holdspace.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert "finished" in done.stdout
    finished = json.loads(run_django_script(STATE, env, info))
    assert finished["carrier"] == json.loads(info)["to"] and finished["handovers"] == 1
    receiving = json.loads(info)["to"]
    assert sum(row.endswith(receiving) for row in finished["audiences"]) >= count
