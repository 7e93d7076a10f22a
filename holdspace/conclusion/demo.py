"""The conclusion report in the demo process: written by the support group,
its editions for the supervision group and the survivor's side released, the
edition for the wider community waiting to be previewed and released.

Invented, like everything in Process Juniper.
"""

from __future__ import annotations

from collections.abc import Mapping

from holdspace.accounts.models import User
from holdspace.conclusion import services
from holdspace.conclusion.models import Audience
from holdspace.processes.models import Group, Process

ACHIEVED = (
    "The survivor could stay in the collective and speak at its meetings again. "
    "Two of the three demands were met; the collective changed how it shares out tasks."
)
NOT_ACHIEVED = (
    "The person who caused harm never began the perpetrator programme the letter asked for. "
    "Long silences made the contact group's work slow and tiring."
)
LESSONS = (
    "Agree the consequences of silence early, write everything down the day it happens, "
    "and look after the people who keep the contact going."
)


def build(process: Process, groups: Mapping[str, Group], users: Mapping[str, User]) -> None:
    author = users["demo-support-coordinator"]
    conclusion = services.begin(
        process,
        by=author,
        group=groups["support"],
        written=services.Written(ACHIEVED, NOT_ACHIEVED, LESSONS),
    )
    for made_for in (Audience.SUPERVISION, Audience.SURVIVOR):
        services.release(conclusion, made_for, by=author)
