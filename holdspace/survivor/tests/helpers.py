"""The survivor's account linked with her key, and what waits for her:
written through the services, as the groups would write it on their pages."""

from __future__ import annotations

from typing import Any

from django.test import Client

from holdspace.circle.models import Informing
from holdspace.circle.tests import helpers as circle
from holdspace.commitments import services as commitments
from holdspace.commitments.models import Demand, WordingProposal
from holdspace.processes.models import Party, Record
from holdspace.processes.services import change_audience
from holdspace.processes.services.parties import link_account
from holdspace.testing import World, client_for
from holdspace.vault.keyring import using


def her_party(world: World, **choices: Any) -> Party:
    """Her party, her account linked with the key of her space (and ``choices``
    such as ``decides_herself=True`` saved on it)."""
    party = Party.objects.select_related("process").get(
        process=world.process, role=Party.Role.HARMED
    )
    with using(world.keyring):
        link_account(party, world.personas["survivor"])
    if choices:
        Party.objects.filter(pk=party.pk).update(**choices)
        party.refresh_from_db()
    return party


def her_browser(world: World, **choices: Any) -> Client:
    her_party(world, **choices)
    return client_for(world, "survivor")


def to_her(world: World, record: Record) -> None:
    with using(world.keyring):
        change_audience(
            record,
            by=world.personas["support-member"],
            groups=record.audience_groups.all(),
            to_harming_party=record.to_harming_party,
            to_harmed_party=True,
        )
    record.refresh_from_db()


def demand(world: World, wording: str, *, hers: bool = True) -> Demand:
    """A demand of the support group, shared with the contact group (and her)."""
    with using(world.keyring):
        made = commitments.create_demand(
            author=world.personas["support-member"],
            group=world.groups["support"],
            occurred_on=world.process.started_on,
            wording=wording,
            reason="An internal reason of the support group",
            audience=[world.groups["contact"]],
        )
    if hers:
        to_her(world, made)
    return made


def proposal(
    world: World, about: Demand, kind: str = WordingProposal.Kind.REWORD, wording: str = ""
) -> WordingProposal:
    """The contact group proposes a change."""
    with using(world.keyring):
        return commitments.propose(
            about,
            by=world.personas["contact-member"],
            group=world.groups["contact"],
            kind=kind,
            wording=wording or "A softer wording, proposed",
            reason="The contact group explains its proposal",
        )


def informing(world: World, *, hers: bool = True) -> Informing:
    """An informing planned outside any consent: the survivor's side is asked."""
    planned = circle.informing(world, circle.person(world))
    if hers:
        to_her(world, planned)
    return planned
