"""Test helpers for the letter, demands, steps, agreements and the rota,
contacts, meetings and reports: records of every kind in the test world (for
the matrix), and free-text forms (for the canary and XSS tests)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.utils import timezone

from holdspace.processes.models import Record
from holdspace.testing import BUILDERS, World, _posted, address_to_parties
from holdspace.vault.keyring import using


@dataclass
class Records:
    """What one process holds. ``readers`` maps a record's id to the group
    kinds that may read it."""

    letter: Any
    demand: Any  # shared with the contact group
    private_demand: Any  # the support group's only
    step: Any
    agreement: Any  # with a rota
    plain_agreement: Any  # without one
    proposal: Any
    evidence: Any
    venue: Any
    exception: Any
    contact: Any  # the contact group's
    meeting: Any  # the contact group's
    report: Any  # the contact group's, for supervision
    readers: dict[Any, set[str]] = field(default_factory=dict)


def soon(days: int = 30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def build_records(groups: dict[str, Any], people: dict[str, Any]) -> Records:
    """A letter, demands, a step, agreements, a rota, a contact, a meeting and
    a report in the process of ``groups``; ``people`` maps "support" and
    "contact" to their authors."""
    from holdspace.commitments import services
    from holdspace.commitments.models import Agreement, RotaException

    support, contact = people["support"], people["contact"]
    process = groups["support"].process
    with using(BUILDERS[process.pk]):
        letter = services.write_letter(
            author=support, group=groups["support"], occurred_on=soon(0), title="Letter", body="B"
        )
        demand = services.create_demand(
            author=support,
            group=groups["support"],
            occurred_on=soon(0),
            wording="A shared demand",
            reason="",
            audience=[groups["contact"]],
        )
        private = services.create_demand(
            author=support, group=groups["support"], occurred_on=soon(0), wording="Ours", reason=""
        )
        step = services.add_step(
            demand, author=contact, group=groups["contact"], description="A step", due_on=soon()
        )
        agreements = [
            services.create_agreement(
                author=contact,
                group=groups["contact"],
                agreement_kind=Agreement.Kind.SPACE_SHARING,
                terms="Days",
                binds="X and Y",
                starts_on=soon(0),
                ends_on=soon(90),
                review_on=None,
                status=Agreement.Status.AGREED,
            )
            for _ in range(2)
        ]
        proposal = services.propose(
            demand, by=contact, group=groups["contact"], kind="reword", wording="Less", reason="R"
        )
        evidence = services.add_evidence(
            demand, by=contact, happened_on=soon(0), source="reported", text="Done"
        )
        person = services.add_rota_person(agreements[0], by=contact, pseudonym="X")
        venue = services.add_venue(agreements[0], by=contact, name="The co-op")
        exception = services.add_exception(
            venue, by=contact, date=soon(), change=RotaException.Change.ALSO, person=person
        )
        log = _contact_records(groups, contact)
    return Records(
        **log,
        letter=letter,
        demand=demand,
        private_demand=private,
        step=step,
        agreement=agreements[0],
        plain_agreement=agreements[1],
        proposal=proposal,
        evidence=evidence,
        venue=venue,
        exception=exception,
        readers={
            letter.pk: {"support"},
            demand.pk: {"support", "contact"},
            private.pk: {"support"},
            step.pk: {"support", "contact"},
            agreements[0].pk: {"contact"},
            agreements[1].pk: {"contact"},
            log["contact"].pk: {"contact"},
            log["meeting"].pk: {"contact"},
            log["report"].pk: {"contact", "supervision"},
        },
    )


def _contact_records(groups: dict[str, Any], author: Any) -> dict[str, Any]:
    from holdspace.contact import services

    group = groups["contact"]
    return {
        "contact": services.log_contact(
            author=author,
            group=group,
            occurred_on=soon(-3),
            channel="email",
            direction="outgoing",
            counterpart="him",
            counterpart_note="",
            summary="We wrote.",
        ),
        "meeting": services.plan_meeting(
            author=author,
            group=group,
            occurred_on=soon(5),
            starts_at=None,
            internal=False,
            place="The café",
            agenda="",
            preparation_asked="",
            attendees=[author],
        ),
        "report": services.write_report(
            author=author,
            group=group,
            period_from=soon(-30),
            period_to=soon(0),
            text="Nothing yet.",
            audience=[groups["supervision"]],
        ),
    }


def add_records(world: World) -> tuple[Records, Records]:
    """Records of every kind in both processes of the world: (Willow's, Birch's)."""
    personas = world.personas
    own = build_records(
        world.groups, {"support": personas["support-member"], "contact": personas["contact-member"]}
    )
    other_people = {
        kind: world.other_groups[kind].memberships.get().user for kind in ("support", "contact")
    }
    other = build_records(world.other_groups, other_people)
    with using(world.keyring):
        address_to_parties(
            [Record.objects.get(pk=pk) for pk in own.readers], by=personas["support-coordinator"]
        )
    return own, other


# Free-text forms -------------------------------------------------------------


def _latest(model: Any) -> Any:
    return model.objects.latest("created_at")


def _letter(world: World, client: Client, text: str) -> list[str]:
    from holdspace.commitments.models import Letter

    group = world.groups["support"]
    data = {"occurred_on": "2026-01-01", "title": text, "body": text}
    _posted(client.post(f"/g/{group.pk}/letter/new/", data))
    letter = _latest(Letter)
    _posted(client.post(f"/l/{letter.pk}/edit/", {**data, "body": f"{text} again", "version": 1}))
    copy = {"recipient": text, "handed_on": "2026-01-02", "form": "printed"}
    _posted(client.post(f"/l/{letter.pk}/copies/new/", copy))
    process = world.process.pk
    return [f"/l/{letter.pk}/", f"/r/{letter.pk}/history/", f"/p/{process}/commitments/"]


def _demand(world: World, client: Client, text: str) -> list[str]:
    from holdspace.commitments.models import Demand

    group = world.groups["support"]
    data = {"occurred_on": "2026-01-01", "wording": text, "reason": text}
    _posted(client.post(f"/g/{group.pk}/demands/new/", data))
    demand = _latest(Demand)
    _posted(client.post(f"/d/{demand.pk}/wording/", {"wording": f"{text} 2", "version": 1}))
    _posted(
        client.post(
            f"/d/{demand.pk}/edit/",
            {"occurred_on": "2026-01-02", "reason": f"{text} 3", "version": 2},
        )
    )
    _posted(client.post(f"/d/{demand.pk}/status/", {"status": "in_progress", "note": text}))
    _evidence(client, demand, text)
    process = world.process.pk
    return [
        f"/d/{demand.pk}/",
        f"/r/{demand.pk}/history/",
        f"/p/{process}/commitments/",
        f"/p/{process}/timeline/",
    ]


def _evidence(client: Client, record: Any, text: str) -> None:
    evidence = {"happened_on": "2026-01-01", "source": "reported", "text": text}
    _posted(client.post(f"/r/{record.pk}/evidence/new/", evidence))
    item = record.evidence.get()
    assessed = {"assessment": "disputed", "note": text, "version": 1}
    _posted(client.post(f"/r/{record.pk}/evidence/{item.pk}/", assessed))


def _shared_demand(world: World) -> Any:
    from holdspace.commitments import services

    return services.create_demand(
        author=world.personas["support-coordinator"],
        group=world.groups["support"],
        occurred_on=soon(0),
        wording="Shared",
        reason="",
        audience=[world.groups["contact"]],
    )


def _proposal(world: World, client: Client, text: str) -> list[str]:
    demand = _shared_demand(world)
    proposal = {"kind": "reword", "wording": text, "reason": text}
    _posted(client.post(f"/d/{demand.pk}/propose/", proposal))
    return [f"/d/{demand.pk}/"]


def _decision(world: World, client: Client, text: str) -> list[str]:
    """The survivor's side declines a proposal, saying why."""
    from holdspace.commitments import services

    demand = _shared_demand(world)
    proposal = services.propose(
        demand,
        by=world.personas["contact-member"],
        group=world.groups["contact"],
        kind="met",
        wording="",
        reason="He says he did it.",
    )
    decline = {"decision": "decline", "reason": text}
    _posted(client.post(f"/d/{demand.pk}/proposals/{proposal.pk}/decide/", decline))
    return [f"/d/{demand.pk}/"]


def _step(world: World, client: Client, text: str) -> list[str]:
    from holdspace.commitments.models import Step

    demand = _shared_demand(world)
    data = {"group": world.groups["contact"].pk, "description": text, "due_on": soon().isoformat()}
    _posted(client.post(f"/d/{demand.pk}/steps/new/", data))
    step = _latest(Step)
    edit = {
        "description": f"{text} again",
        "occurred_on": soon(0).isoformat(),
        "due_on": soon(40).isoformat(),
        "version": 1,
    }
    _posted(client.post(f"/s/{step.pk}/edit/", edit))
    _evidence(client, step, text)
    return [f"/s/{step.pk}/", f"/r/{step.pk}/history/", f"/d/{demand.pk}/"]


def _agreement_data(text: str, kind: str = "custom") -> dict[str, Any]:
    return {
        "agreement_kind": kind,
        "terms": text,
        "binds": text,
        "starts_on": soon(0).isoformat(),
        "ends_on": soon(60).isoformat(),
        "review_on": soon(30).isoformat(),
        "status": "agreed",
    }


def _agreement(world: World, client: Client, text: str) -> list[str]:
    from holdspace.commitments.models import Agreement

    group = world.groups["contact"]
    _posted(client.post(f"/g/{group.pk}/agreements/new/", _agreement_data(text)))
    agreement = _latest(Agreement)
    edit = {**_agreement_data(f"{text} again"), "version": 1}
    _posted(client.post(f"/a/{agreement.pk}/edit/", edit))
    breach = {
        "happened_on": soon(0).isoformat(),
        "reported_by": text,
        "what": text,
        "severity": "minor",
        "response": text,
    }
    _posted(client.post(f"/a/{agreement.pk}/breaches/new/", breach))
    renewal = {**_agreement_data(f"{text} renewed"), "starts_on": soon(61).isoformat()}
    renewal.update(ends_on=soon(120).isoformat(), review_on="")
    _posted(client.post(f"/a/{agreement.pk}/renew/", renewal))
    renewed = _latest(Agreement)
    return [f"/a/{agreement.pk}/", f"/a/{renewed.pk}/", f"/r/{agreement.pk}/history/"]


def _rota(world: World, client: Client, text: str) -> list[str]:
    from holdspace.commitments.models import Agreement

    group = world.groups["contact"]
    _posted(client.post(f"/g/{group.pk}/agreements/new/", _agreement_data("Days", "space_sharing")))
    agreement = _latest(Agreement)
    rota = f"/a/{agreement.pk}/rota/"
    _posted(client.post(f"{rota}add/", {"what": "person", "pseudonym": text[:60]}))
    _posted(client.post(f"{rota}add/", {"what": "person", "pseudonym": "Y"}))
    _posted(client.post(f"{rota}add/", {"what": "venue", "name": text}))
    venue = agreement.venues.get()
    people = list(agreement.rota_people.all())
    pattern = {f"p{people[day % 2].pk}_{day}": "on" for day in range(7)}
    _posted(client.post(f"{rota}places/{venue.pk}/", {**pattern, "version": 1}))
    change = {
        "venue": venue.pk,
        "date": soon(3).isoformat(),
        "change": "also",
        "person": people[0].pk,
    }
    _posted(client.post(f"{rota}changes/new/", change))
    return [
        rota,
        f"{rota}places/{venue.pk}/print/",
        f"{rota}changes/new/",
        f"{rota}places/{venue.pk}/",
    ]


COMMITMENT_FORMS = {
    "letter, edit, copy": ("support-coordinator", _letter),
    "demand, wording, status, evidence": ("support-coordinator", _demand),
    "proposal for a demand": ("contact-coordinator", _proposal),
    "decision on a proposal": ("support-coordinator", _decision),
    "step, edit, evidence": ("contact-coordinator", _step),
    "agreement, edit, breach, renewal": ("contact-coordinator", _agreement),
    "rota": ("contact-coordinator", _rota),
}
