"""Plain-language descriptions of audit action codes, for the log pages.

The core's are listed here; an app that plugs into processes registers its
own in ``AppConfig.ready()`` (:func:`register`)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "process.created": _("created the process"),
    "process.updated": _("changed the process settings"),
    "process.paused": _("paused the process"),
    "process.closed": _("closed the process"),
    "process.resumed": _("made the process active again"),
    "process.back_to_intake": _("set the process back to intake"),
    "process.steering_changed": _("changed which groups steer the process"),
    "party.updated": _("changed a pseudonym"),
    "group.added": _("added a group"),
    "group.updated": _("changed a group's name or purpose"),
    "responsibility.moved": _("handed a task over"),
    "group_invitation.created": _("created an invitation link"),
    "group_invitation.revoked": _("withdrew an invitation link"),
    "party_invitation.created": _("made a link for one of the two people the process is about"),
    "party_invitation.revoked": _("withdrew a link for one of the two people the process is about"),
    "party.linked": _("linked an account to one of the two people the process is about"),
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
    "keys.rotated": _("changed a group's key after someone left"),
    "keys.access_restored": _("restored a member's access to a group's key"),
    "keys.forgery_refused": _("Holdspace refused keys it did not make"),
    # The letter, demands and agreements
    "letter.created": _("wrote the letter"),
    "letter.edited": _("edited the letter"),
    "letter.copy_registered": _("registered a copy of the letter"),
    "demand.created": _("made a demand"),
    "demand.edited": _("edited a demand's reason or date"),
    "demand.reworded": _("changed a demand's wording"),
    "demand.change_proposed": _("proposed a change to a demand"),
    "demand.change_approved": _("approved a change to a demand"),
    "demand.change_declined": _("declined a change to a demand"),
    "demand.status_changed": _("changed a demand's status"),
    "step.created": _("added a step"),
    "step.edited": _("edited a step"),
    "step.status_changed": _("changed a step's status"),
    "evidence.added": _("noted progress"),
    "evidence.assessed": _("gave the group's view on progress"),
    "agreement.created": _("wrote an agreement"),
    "agreement.edited": _("edited an agreement"),
    "agreement.status_changed": _("changed an agreement's status"),
    "agreement.breach_recorded": _("recorded a breach of an agreement"),
    "rota.person_added": _("added someone to a rota"),
    "rota.venue_added": _("added a place to a rota"),
    "rota.pattern_changed": _("changed a rota's weekly pattern"),
    "rota.exception_added": _("changed a rota for one date"),
    "rota.exception_removed": _("removed a change from a rota"),
    # Contact, meetings, reports
    "contact.logged": _("logged a contact"),
    "contact.edited": _("edited a contact"),
    "contact.answered": _("noted an answer"),
    "meeting.planned": _("planned or recorded a meeting"),
    "meeting.edited": _("edited a meeting"),
    "meeting.outcome_recorded": _("recorded what happened at a meeting"),
    "meeting.attendees_changed": _("changed who goes to a meeting"),
    "report.written": _("wrote a report"),
    "report.edited": _("edited a report"),
    "process.cadence_changed": _("changed how often contact and reports are due"),
    # Retention (audit.purge_process)
    "process.purged": _("removed who did what from this log (retention)"),
}


def register(actions: Mapping[str, Promise]) -> None:
    for code, label in actions.items():
        if ACTIONS.get(code, label) != label:
            raise ValueError(f"{code} is registered twice")
        ACTIONS[code] = label


def describe(action: str) -> Promise | str:
    return ACTIONS.get(action, action)
