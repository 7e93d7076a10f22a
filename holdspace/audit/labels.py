"""Plain-language descriptions of audit action codes, for the log pages."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "process.created": _("created the process"),
    "process.updated": _("changed the process settings"),
    "party.updated": _("changed a pseudonym"),
    "group.added": _("added a group"),
    "group.updated": _("changed a group's name or purpose"),
    "responsibility.moved": _("handed a task over"),
    "group_invitation.created": _("created an invitation link"),
    "group_invitation.revoked": _("withdrew an invitation link"),
    "membership.added": _("joined a group"),
    "membership.conflict_confirmed": _("confirmed a declared conflict of interest"),
    "membership.updated": _("changed their commitment or declaration"),
    "membership.left": _("left a group"),
    "membership.removed": _("removed a member"),
    "membership.made_coordinator": _("made a member coordinator"),
    "membership.coordination_handed_over": _("handed coordination over"),
    "note.created": _("wrote a note"),
    "note.edited": _("edited a note"),
    "record.audience_widened": _("shared a record with more readers"),
    "record.audience_narrowed": _("limited who can read a record"),
}


def describe(action: str) -> Promise | str:
    return ACTIONS.get(action, action)
