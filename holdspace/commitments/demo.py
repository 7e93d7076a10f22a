"""The letter, demands, steps and agreements of the demo process.

Invented like everything in Process Juniper. Built through the services, so
that the rules hold (a demand's wording changes only with the support
group's approval), and dated the way a group that starts using Holdspace
late dates them: each change on the day it happened (DESIGN §6), written
down today.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.commitments import services
from holdspace.commitments.models import (
    Agreement,
    Breach,
    Demand,
    Evidence,
    LetterCopy,
    RotaException,
    Step,
    WordingProposal,
)
from holdspace.processes.models import Group, Process, Record
from holdspace.processes.services import change_audience

LETTER = (
    "To everyone at the cooperative,\n\n"
    "This letter comes from the group supporting M. Last spring, after the summer party, "
    "K. crossed M.'s boundaries. She said no and he did not stop. We name it as sexualised "
    "violence, because that is what it was for her.\n\n"
    "M. does not want K. excluded from everything. She wants him to take responsibility, "
    "and she wants to be able to use the cooperative without meeting him.\n\n"
    "What we ask of K. is written below as demands. A contact group will talk with him; "
    "please do not ask M. about it."
)


class Builder:
    def __init__(
        self, process: Process, groups: Mapping[str, Group], users: Mapping[str, User]
    ) -> None:
        self.process, self.groups, self.users = process, groups, users
        self.today = timezone.localdate()

    def day(self, offset: int) -> datetime.date:
        """``offset`` days ago (negative: in the future)."""
        return self.today - datetime.timedelta(days=offset)

    def share(self, record: Record, *kinds: str) -> None:
        change_audience(
            record,
            by=record.author,  # type: ignore[arg-type]  # demo records have authors
            groups=[self.groups[kind] for kind in kinds],
            to_harming_party=False,
            to_harmed_party=False,
        )


def build(process: Process, groups: Mapping[str, Group], users: Mapping[str, User]) -> None:
    b = Builder(process, groups, users)
    _letter(b)
    programme, inform = _demands(b)
    _steps(b, programme, inform)
    _agreements(b)
    services.note_due_dates()


def _letter(b: Builder) -> None:
    support = b.users["demo-support-coordinator"]
    letter = services.write_letter(
        author=support,
        group=b.groups["support"],
        occurred_on=b.day(825),
        title="Letter from M.'s support group",
        body=LETTER,
    )
    b.share(letter, "contact", "supervision")
    for offset, recipient, form in (
        (820, "K., in person", LetterCopy.Form.PRINTED),
        (790, "The cooperative's plenary", LetterCopy.Form.DIGITAL),
    ):
        services.hand_out_copy(
            letter, by=support, recipient=recipient, handed_on=b.day(offset), form=form
        )


def _demands(b: Builder) -> tuple[Demand, Demand]:
    support = b.users["demo-support-coordinator"]
    contact = b.users["demo-contact-coordinator"]
    made = {}
    for key, wording, reason in (
        (
            "programme",
            "Join a programme for people who have caused sexualised violence and finish it. "
            "Therapy alone is not enough.",
            "M. wants him to work on what he did, with people who know how.",
        ),
        (
            "inform",
            "Tell any new political group or partner that you are in an accountability process.",
            "Nobody else should be surprised the way the cooperative was.",
        ),
        (
            "contact",
            "Stay in contact with the contact group and answer within two weeks.",
            "The process depends on it.",
        ),
        (
            "account",
            "Write down what happened that evening, in your own words, without excuses.",
            "M. wants to know that he understands it.",
        ),
    ):
        made[key] = services.create_demand(
            author=support,
            group=b.groups["support"],
            occurred_on=b.day(825),
            wording=wording,
            reason=reason,
            audience=[b.groups["contact"], b.groups["supervision"]],
        )
    # The support group made the second demand clearer.
    inform = made["inform"]
    services.reword(
        inform,
        by=support,
        wording="Tell any new political group, within two weeks of joining, and any new "
        "partner, before it gets serious, that you are in an accountability process.",
        expected_version=inform.version,
        happened_on=b.day(700),
    )
    # The contact group proposed to soften the first; the support group declined.
    programme = made["programme"]
    softer = services.propose(
        programme,
        by=contact,
        group=b.groups["contact"],
        kind=WordingProposal.Kind.REWORD,
        wording="See a counsellor about what happened.",
        reason="K. says he cannot find a programme near him.",
        proposed_on=b.day(530),
    )
    services.decide(
        softer,
        by=support,
        approve=False,
        reason="Counselling is not perpetrator work. The demand stays as it is.",
        decided_on=b.day(515),
    )
    # A proposal still waiting for the support group's decision.
    services.propose(
        inform,
        by=b.users["demo-contact-member"],
        group=b.groups["contact"],
        kind=WordingProposal.Kind.REWORD,
        wording="Tell any new political group within two weeks of joining, through its "
        "contact person, and any new partner before it gets serious.",
        reason="He asked whom exactly to tell; the contact person is clearer.",
        proposed_on=b.day(12),
    )
    for key, offset, status, note in (
        ("contact", 610, Demand.Status.IN_PROGRESS, "He answers, if slowly."),
        ("programme", 290, Demand.Status.IN_PROGRESS, "A first talk with a programme."),
    ):
        services.change_status(
            made[key], by=contact, status=status, note=note, happened_on=b.day(offset)
        )
    # Whether a demand is met, the survivor's side decides: the contact group proposed it.
    met = services.propose(
        made["account"],
        by=contact,
        group=b.groups["contact"],
        kind=WordingProposal.Kind.MET,
        wording="",
        reason="His written account came; we checked it against the letter.",
        proposed_on=b.day(152),
    )
    services.decide(
        met, by=support, approve=True, reason="We read it. It is met.", decided_on=b.day(150)
    )
    evidence = services.add_evidence(
        programme,
        by=contact,
        happened_on=b.day(292),
        source=Evidence.Source.REPORTED,
        text="K. wrote that he had a first talk with a programme in the city.",
    )
    services.assess_evidence(
        evidence,
        by=contact,
        assessment=Evidence.Assessment.CONFIRMED,
        note="The programme confirmed the appointment when we asked.",
        expected_version=evidence.version,
    )
    return programme, inform


def _steps(b: Builder, programme: Demand, inform: Demand) -> None:
    contact = b.users["demo-contact-coordinator"]
    plan = (
        (programme, 560, 520, "Send us the names of three programmes you have contacted.", "done"),
        (programme, 60, 20, "Go to a first appointment and tell us the date.", "open"),
        (inform, 90, 40, "Send us a list of the political groups you are active in.", "open"),
        (inform, 10, -14, "Send a written reflection before the next meeting.", "open"),
    )
    for demand, made, due, text, status in plan:
        # Agreed at a meeting long ago, with the due date agreed then.
        step = services.add_step(
            demand,
            author=contact,
            group=b.groups["contact"],
            description=text,
            agreed_on=b.day(made),
            due_on=b.day(due),
        )
        if status == "done":
            services.set_step_status(
                step, by=contact, status=Step.Status.DONE, happened_on=b.day(300)
            )


def _agreements(b: Builder) -> None:
    support = b.users["demo-support-coordinator"]
    contact = b.users["demo-contact-coordinator"]
    no_contact = services.create_agreement(
        author=support,
        group=b.groups["support"],
        agreement_kind=Agreement.Kind.NO_CONTACT,
        terms="K. does not contact M. in any way, also not through friends. If they meet "
        "by chance, he leaves.",
        binds="K.",
        starts_on=b.day(820),
        ends_on=None,
        review_on=b.day(-10),
        status=Agreement.Status.AGREED,
    )
    b.share(no_contact, "contact", "supervision")
    services.record_breach(
        no_contact,
        by=b.users["demo-support-member"],
        happened_on=b.day(232),
        reported_on=b.day(230),
        reported_by="M., through her support group",
        what="K. sent M. a message on her birthday.",
        severity=Breach.Severity.SERIOUS,
        response="The contact group reminded him of the agreement in writing and told "
        "the supervision group.",
    )
    sharing = services.create_agreement(
        author=contact,
        group=b.groups["contact"],
        agreement_kind=Agreement.Kind.SPACE_SHARING,
        terms="K. and M. share the cooperative's rooms: each uses them on their own days, "
        "as the rota says.",
        binds="K. and M.",
        starts_on=b.day(60),
        ends_on=b.day(-120),
        review_on=b.day(-30),
        status=Agreement.Status.AGREED,
    )
    b.share(sharing, "support", "supervision")
    _rota(b, sharing, contact)


def _rota(b: Builder, sharing: Agreement, by: User) -> None:
    x = services.add_rota_person(sharing, by=by, pseudonym="X")
    y = services.add_rota_person(sharing, by=by, pseudonym="Y")
    coop = services.add_venue(sharing, by=by, name="The co-op")
    services.set_pattern(
        coop,
        by=by,
        expected_version=coop.version,
        assignments={0: x, 1: y, 2: x, 3: y, 4: x, 5: y, 6: x},
    )
    coop.refresh_from_db()
    # A swap that works, and a day on which both were let in by mistake.
    for offset, change in ((-9, RotaException.Change.INSTEAD), (-5, RotaException.Change.ALSO)):
        date = b.day(offset)
        other = x if date.weekday() in (1, 3, 5) else y
        services.add_exception(coop, by=by, date=date, change=change, person=other)
