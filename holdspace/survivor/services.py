"""The survivor's own choices: whether she gives the survivor-side approvals
herself or leaves them to her support group, and a pause (DESIGN §1).

Each change is one transaction on her party's locked row, with an audit
entry (by her account) and a content-free event on the chronology of her
support group, so that they know what she chose. Her answers to proposals
and informings go through the commitments and circle services, like her
support group's.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.audit import services as audit
from holdspace.commitments.access import survivor_side
from holdspace.processes import access, writes
from holdspace.processes.models import Group, Party
from holdspace.processes.services import Refused
from holdspace.processes.services.common import _event
from holdspace.survivor.events import ENDED, HERSELF, SUPPORT_GROUP, Code

NOT_HERS = _("This is not yours to change. Nothing was changed.")
SAME_CHOICE = _("This already was your choice, so nothing changed.")
PAUSE_AFTER_TODAY = _("Please choose a day after today.")
NO_PAUSE = _("There is no pause to end. Nothing was changed.")


def _today() -> datetime.date:
    return timezone.localdate()


def _her_group(party: Party) -> Group:
    """The group that hears of her choices: the one that keeps her party
    (it linked her account), else the survivor's side."""
    group = access.keeping_group(party.process, party.role) or survivor_side(party.process_id)
    if group is None:
        raise Refused(_("Your process has no support group yet. Nothing was changed."))
    return group


def _lock_hers(party: Party, by: User) -> Party:
    writes.lock(party)
    if party.role != Party.Role.HARMED or party.account_id != by.pk:
        raise Refused(NOT_HERS)
    return party


def _tell(party: Party, by: User, action: str, code: str, value: str) -> None:
    """The audit entry and the event for her support group (content-free)."""
    group = _her_group(party)
    _event(code, process=party.process, by=by, group=group, audience=[group], value=value)
    audit.log(action, user=by, target=party, process_id=party.process_id, group_id=group.pk)


def choose(party: Party, *, by: User, herself: bool) -> None:
    """She gives the approvals about what is addressed to her herself
    (``herself``), or leaves them to her support group."""
    with transaction.atomic():
        _lock_hers(party, by)
        if party.decides_herself == herself:
            raise Refused(SAME_CHOICE)
        party.decides_herself = herself
        party.save(update_fields=["decides_herself"])
        _tell(
            party,
            by,
            "survivor.decides_herself" if herself else "survivor.leaves_to_group",
            Code.CHOICE,
            HERSELF if herself else SUPPORT_GROUP,
        )


def pause(party: Party, *, by: User, until: datetime.date) -> None:
    """Please bring nothing to her until ``until`` (that day included); the
    pause ends by itself after it. Meanwhile her support group gives the
    approvals, whatever she chose."""
    if until <= _today():
        raise Refused(PAUSE_AFTER_TODAY)
    with transaction.atomic():
        _lock_hers(party, by)
        if party.is_paused() and party.paused_until == until:
            raise Refused(SAME_CHOICE)
        party.paused_until = until
        party.save(update_fields=["paused_until"])
        _tell(party, by, "survivor.paused", Code.PAUSE, until.isoformat())


def end_pause(party: Party, *, by: User) -> None:
    """She ends her pause before its day."""
    with transaction.atomic():
        _lock_hers(party, by)
        if not party.is_paused():
            raise Refused(NO_PAUSE)
        party.paused_until = None
        party.save(update_fields=["paused_until"])
        _tell(party, by, "survivor.pause_ended", Code.PAUSE, ENDED)
