"""Records for the authorization matrix: ``example(group, author)`` writes
one in ``group``, readable by that group only (holdspace/tests/test_matrix.py)."""

from __future__ import annotations

from holdspace.accounts.models import User
from holdspace.circle.models import Consent, Duty, Informing, Person
from holdspace.processes.models import Group
from holdspace.processes.services import create_record


def person(group: Group, author: User) -> Person:
    return create_record(
        Person,
        author=author,
        group=group,
        texts={"name": "A friend's secret name", "relation_note": ""},
        relation=Person.Relation.FRIEND,
    )


def informing(group: Group, author: User) -> Informing:
    return create_record(
        Informing,
        author=author,
        group=group,
        texts={"told_by": "Two of us", "material_note": "", "reaction": "", "followed": ""},
        whom=person(group, author),
        channel=Informing.Channel.IN_PERSON,
        material=Informing.Material.LETTER,
    )


def duty(group: Group, author: User) -> Duty:
    return create_record(
        Duty,
        author=author,
        group=group,
        texts={"description": "His new group", "comment": ""},
    )


def consent(group: Group, author: User) -> Consent:
    return create_record(
        Consent,
        author=author,
        group=group,
        texts={"comment": ""},
        may_know=Consent.Scope.PROCESS,
    )
