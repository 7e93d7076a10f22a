"""The survivor's part of the demo: in Process Juniper her demands and the
steps towards them are addressed to her, and one proposed change waits for
an answer — hers, or her support group's (she leaves the approvals to them
unless she chooses otherwise on her own page)."""

from __future__ import annotations

from collections.abc import Mapping

from holdspace.accounts.models import User
from holdspace.commitments import services as commitments
from holdspace.commitments.models import Demand, Step, WordingProposal
from holdspace.processes.models import Group, Process, Record
from holdspace.processes.services import change_audience


def _to_her(record: Record, by: User) -> None:
    fresh = Record.objects.get(pk=record.pk)  # another part may have addressed it to him
    change_audience(
        fresh,
        by=by,
        groups=fresh.audience_groups.all(),
        to_harming_party=fresh.to_harming_party,
        to_harmed_party=True,
    )


def build(process: Process, groups: Mapping[str, Group], users: Mapping[str, User]) -> None:
    support = users["demo-support-coordinator"]
    demands = list(Demand.objects.filter(process=process).order_by("occurred_on", "created_at"))
    for record in [*demands, *Step.objects.filter(towards__in=demands)]:
        _to_her(record, support)
    waiting = WordingProposal.objects.filter(
        demand__in=demands, status=WordingProposal.Status.PENDING
    )
    if waiting.exists():
        return
    open_demands = [d for d in demands if d.status not in commitments.ENDINGS]
    if not open_demands:
        return
    commitments.propose(
        open_demands[0],
        by=users["demo-contact-member"],
        group=groups["contact"],
        kind=WordingProposal.Kind.REWORD,
        wording="Finish a programme for people who have caused harm, and tell us each "
        "quarter how it goes.",
        reason="He asked to know how often to report. A date each quarter is clear.",
    )
