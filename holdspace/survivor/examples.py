"""Records for the authorization matrix (holdspace/tests/test_matrix.py):
``example(group, author)`` writes, in ``group``'s process, something that
waits for the survivor's answer and is addressed to her, and returns the
object whose id her page takes."""

from __future__ import annotations

from holdspace.accounts.models import User
from holdspace.circle import examples as circle
from holdspace.circle.models import Approval, Informing
from holdspace.commitments.models import Demand, WordingProposal
from holdspace.processes.models import Group, Record
from holdspace.processes.services import change_audience, create_record


def _to_her(record: Record, author: User) -> None:
    change_audience(
        record,
        by=author,
        groups=record.audience_groups.all(),
        to_harming_party=False,
        to_harmed_party=True,
    )


def survivor_proposal(group: Group, author: User) -> WordingProposal:
    """A pending proposal on a demand addressed to her (the URL takes the
    proposal's id; the record it is about is ``proposal.demand``)."""
    demand = create_record(
        Demand,
        author=author,
        group=group,
        texts={"wording": "A demand she reads", "reason": ""},
    )
    _to_her(demand, author)
    proposal = WordingProposal(
        demand=demand, kind=WordingProposal.Kind.REWORD, proposed_by=author, proposed_in=group
    )
    proposal.wording, proposal.reason = "A softer wording", "Why it is proposed"
    proposal.save()
    return proposal


def survivor_informing(group: Group, author: User) -> Informing:
    """A planned informing addressed to her, waiting for approval (the URL
    takes the informing's id)."""
    informing = circle.informing(group, author)
    _to_her(informing, author)
    Approval.objects.create(informing=informing, asked_by=author, asked_in=group)
    return informing
