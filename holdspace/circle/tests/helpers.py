"""People, consents and informings written through the services, as the
groups would write them through the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from holdspace.circle import services
from holdspace.circle.models import Consent, Duty, Informing, Person
from holdspace.testing import World
from holdspace.vault.keyring import using


def day(offset: int) -> datetime.date:
    """``offset`` days from today (negative: ago)."""
    return timezone.localdate() + datetime.timedelta(days=offset)


def person(world: World, **more: Any) -> Person:
    """Someone around him, written by the contact group for itself and the survivor's side."""
    with using(world.keyring):
        return services.add_person(
            author=world.personas["contact-member"],
            group=world.groups["contact"],
            relation=Person.Relation.POLITICAL_GROUP,
            name="The solidarity network",
            audience=[world.groups["support"]],
            **more,
        )


def consent(world: World, **more: Any) -> Consent:
    """A consent of the survivor's side, shared with the contact group."""
    values = {"may_know": Consent.Scope.LETTER, "occurred_on": day(-1), **more}
    with using(world.keyring):
        return services.give_consent(
            author=world.personas["support-member"],
            group=world.groups["support"],
            audience=[world.groups["contact"]],
            **values,
        )


def informing(world: World, whom: Person, **more: Any) -> Informing:
    """An informing the contact group plans for today, with the letter."""
    values = {"material": Informing.Material.LETTER, "occurred_on": day(0), **more}
    with using(world.keyring):
        return services.plan_informing(
            author=world.personas["contact-member"],
            group=world.groups["contact"],
            whom=whom,
            told_by="Two of us",
            channel=Informing.Channel.IN_PERSON,
            **values,
        )


def duty(world: World, told_on: datetime.date) -> Duty:
    with using(world.keyring):
        return services.record_duty(
            author=world.personas["contact-member"],
            group=world.groups["contact"],
            description="His new climbing group",
            told_on=told_on,
            audience=[world.groups["support"]],
        )
