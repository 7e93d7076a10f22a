"""What the survivor's own view may show, field by field (S16, S44).

Her pages never receive a model: only these small dataclasses, each with an
allow-list of fields. No author, group, audience, evidence, internal note,
count of anyone's work or anyone's name reaches a template; only records
addressed to her (:func:`holdspace.processes.access.records_for_party`) are
read at all.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from holdspace.circle.models import Approval, Informing, Person
from holdspace.commitments.models import Demand, Step, WordingProposal
from holdspace.processes import access
from holdspace.processes.models import Party


@dataclass(frozen=True)
class StepView:
    description: str
    due_on: datetime.date
    status: str
    status_label: str
    overdue: bool


@dataclass(frozen=True)
class DemandView:
    wording: str
    status: str
    status_label: str
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class ProposalView:
    """A change to one of her demands that waits for (or had) an answer."""

    id: uuid.UUID
    kind: str
    kind_label: str
    wording_now: str
    status_now: str
    proposed_wording: str
    reason: str
    proposed_on: datetime.date
    pending: bool
    outcome: str  # "approved" / "declined" once answered, else ""
    answered_by_her: bool


@dataclass(frozen=True)
class InformingView:
    """Telling someone around him about the harm, as far as she needs to know
    it to answer: who (their relation, never a name), when, how, with what."""

    id: uuid.UUID
    relation_label: str
    on: datetime.date
    channel_label: str
    material_label: str
    pending: bool
    outcome: str  # of the latest request: "approved" / "declined" / "" (pending or none)
    answered_by_her: bool


@dataclass(frozen=True)
class Waiting:
    """What waits for her answer: the proposals and the informings."""

    proposals: tuple[ProposalView, ...]
    informings: tuple[InformingView, ...]

    def __bool__(self) -> bool:
        return bool(self.proposals or self.informings)

    def __len__(self) -> int:
        return len(self.proposals) + len(self.informings)


@dataclass(frozen=True)
class Choices:
    decides_herself: bool
    paused_until: datetime.date | None  # only while the pause lasts

    @property
    def paused(self) -> bool:
        return self.paused_until is not None


# Reading -----------------------------------------------------------------------------


def _addressed(party: Party) -> QuerySet[Any]:
    """The ids of the records addressed to her."""
    return access.records_for_party(party).values("pk")


def demands_for(party: Party) -> QuerySet[Demand]:
    return Demand.objects.filter(pk__in=_addressed(party)).order_by("occurred_on", "created_at")


def informings_for(party: Party) -> QuerySet[Informing]:
    return Informing.objects.filter(pk__in=_addressed(party))


def demands(party: Party) -> list[DemandView]:
    """Her demands as they stand, each with the steps towards it that are
    addressed to her."""
    found = list(demands_for(party))
    steps = list(
        Step.objects.filter(pk__in=_addressed(party), towards__in=[d.pk for d in found]).order_by(
            "due_on", "created_at"
        )
    )
    access.open_keys([*found, *steps])
    today = timezone.localdate()
    by_demand: dict[uuid.UUID, list[StepView]] = {}
    for step in steps:
        by_demand.setdefault(step.towards_id, []).append(
            StepView(
                description=step.description,
                due_on=step.due_on,
                status=step.status,
                status_label=step.get_status_display(),
                overdue=step.is_overdue(today),
            )
        )
    return [
        DemandView(
            wording=demand.wording,
            status=demand.status,
            status_label=demand.get_status_display(),
            steps=tuple(by_demand.get(demand.pk, ())),
        )
        for demand in found
    ]


def status_summary(party: Party) -> list[tuple[str, int]]:
    """Her demands in short: (status label, how many), in the order of the statuses."""
    statuses = list(demands_for(party).values_list("status", flat=True))
    return [
        (str(label), statuses.count(value))
        for value, label in Demand.Status.choices
        if value in statuses
    ]


def proposal_view(proposal: WordingProposal) -> ProposalView:
    pending = proposal.status == WordingProposal.Status.PENDING
    return ProposalView(
        id=proposal.pk,
        kind=proposal.kind,
        kind_label=proposal.get_kind_display(),
        wording_now=proposal.demand.wording,
        status_now=proposal.demand.get_status_display(),
        proposed_wording=proposal.wording if proposal.kind == WordingProposal.Kind.REWORD else "",
        reason=proposal.reason,
        proposed_on=proposal.proposed_on,
        pending=pending,
        outcome="" if pending else proposal.status,
        answered_by_her=proposal.decided_by_survivor,
    )


def informing_view(informing: Informing, approval: Approval | None) -> InformingView:
    pending = approval is not None and approval.status == Approval.Status.PENDING
    return InformingView(
        id=informing.pk,
        relation_label=str(Person.Relation(informing.whom.relation).label),
        on=informing.occurred_on,
        channel_label=informing.get_channel_display(),
        material_label=informing.get_material_display(),
        pending=pending,
        outcome="" if approval is None or pending else approval.status,
        answered_by_her=approval is not None and approval.decided_by_survivor,
    )


def latest_approval(informing: Informing) -> Approval | None:
    """The request that waits, else the latest one answered."""
    pending = informing.approvals.filter(status=Approval.Status.PENDING).first()
    return pending or informing.approvals.order_by("-asked_at").first()


def get_proposal(party: Party, proposal_id: uuid.UUID) -> WordingProposal | None:
    """A proposal about one of her demands, or None."""
    return (
        WordingProposal.objects.filter(pk=proposal_id, demand__in=demands_for(party))
        .select_related("demand", "demand__process")
        .first()
    )


def waiting(party: Party) -> Waiting:
    """The proposals and informings waiting for an answer that are addressed to her."""
    proposals = list(
        WordingProposal.objects.filter(
            demand__in=demands_for(party), status=WordingProposal.Status.PENDING
        )
        .select_related("demand")
        .order_by("proposed_on", "proposed_at")
    )
    approvals = list(
        Approval.objects.filter(informing__in=informings_for(party), status=Approval.Status.PENDING)
        .select_related("informing", "informing__whom")
        .order_by("asked_at")
    )
    access.open_keys([p.demand for p in proposals])
    return Waiting(
        proposals=tuple(proposal_view(p) for p in proposals),
        informings=tuple(informing_view(a.informing, a) for a in approvals),
    )


def choices(party: Party) -> Choices:
    return Choices(
        decides_herself=party.decides_herself,
        paused_until=party.paused_until if party.is_paused() else None,
    )
