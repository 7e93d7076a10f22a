"""The people around him in the demo process: his partner, told long ago with
the letter; his political group, not told yet (an informing planned during
the survivor's side's embargo waits for their approval); a friend against
the process; the survivor's side's consent with an embargo that ends within
two weeks; and his word that he told a new group, which nobody confirmed.

Invented like everything in Process Juniper. Offsets are days ago
(negative: days from today into the future).
"""

from __future__ import annotations

from collections.abc import Mapping

from holdspace.accounts.models import User
from holdspace.circle import services
from holdspace.circle.models import Consent, Informing, Person
from holdspace.commitments.demo import Builder
from holdspace.commitments.models import Letter, LetterCopy
from holdspace.commitments.services import hand_out_copy
from holdspace.processes.models import Group, Process


def build(process: Process, groups: Mapping[str, Group], users: Mapping[str, User]) -> None:
    b = Builder(process, groups, users)
    support, contact = groups["support"], groups["contact"]
    coordinator = users["demo-contact-coordinator"]
    member = users["demo-contact-member"]
    survivor_side = users["demo-support-coordinator"]
    both = [contact]

    def person(relation: str, name: str, note: str, stance: str, may: str, since: int) -> Person:
        return services.add_person(
            author=coordinator,
            group=contact,
            relation=relation,
            name=name,
            relation_note=note,
            stance=stance,
            may_contact=may,
            occurred_on=b.day(since),
            audience=[support],
        )

    partner = person(
        Person.Relation.PARTNER,
        "J., his partner",
        "One of us knows her from the housing project.",
        Person.Stance.UNSURE,
        Person.MayContact.YES,
        800,
    )
    political = person(
        Person.Relation.POLITICAL_GROUP,
        "The neighbourhood solidarity network",
        "He joined it this year. Nobody of us is a member.",
        Person.Stance.UNKNOWN,
        Person.MayContact.YES,
        60,
    )
    person(
        Person.Relation.FRIEND,
        "R., an old friend",
        "Says the process is a witch hunt and that he tells us nothing.",
        Person.Stance.HOSTILE,
        Person.MayContact.NO,
        400,
    )
    services.give_consent(
        author=survivor_side,
        group=support,
        may_know=Consent.Scope.LETTER,
        comment="Anyone close to him may read the letter. Nothing more.",
        occurred_on=b.day(810),
        audience=both,
    )
    letter = Letter.objects.filter(process=process).order_by("created_at").first()
    copy = None
    if letter is not None:  # the copy she was given, in the letter's register
        copy = hand_out_copy(
            letter,
            by=coordinator,
            recipient="J., his partner",
            handed_on=b.day(740),
            form=LetterCopy.Form.PRINTED,
        )
    services.plan_informing(
        author=coordinator,
        group=contact,
        whom=partner,
        told_by="Two of the contact group, at her place",
        channel=Informing.Channel.IN_PERSON,
        material=Informing.Material.LETTER_COPY if copy else Informing.Material.LETTER,
        letter_copy=copy,
        material_note="She kept the printed copy.",
        occurred_on=b.day(740),
        audience=[support],
        carried_out=True,
        reaction="She was shocked and angry with us at first, then asked many questions "
        "about what he is asked to do.",
        followed="She asked to be told when he misses a meeting. We said we would ask "
        "the survivor's side.",
    )
    services.give_consent(
        author=survivor_side,
        group=support,
        whom=partner,
        may_know=Consent.Scope.PERSPECTIVE,
        embargo_until=b.day(-10),
        comment="M. is moving flats and does not want more talk before that. Only J. may be "
        "told more until then.",
        occurred_on=b.day(25),
        audience=both,
    )
    services.plan_informing(
        author=member,
        group=contact,
        whom=political,
        told_by="Two of the contact group, at one of their open meetings",
        channel=Informing.Channel.IN_PERSON,
        material=Informing.Material.LETTER,
        occurred_on=b.day(-5),
        audience=[support],
    )
    services.record_duty(
        author=member,
        group=contact,
        description="The climbing group he joined in spring",
        told_on=b.day(45),
        comment="He says he told them at their last meeting. We have no contact there yet.",
        audience=[support],
    )
