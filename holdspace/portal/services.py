"""Messages from the group carrying contact, and what he writes back.

Each function is one atomic change with its audit entry; callers have
passed the access core (the internal one for members, the party one for
him). A status change (sending) is checked inside the locked transaction
(S52).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.circle import services as circle
from holdspace.portal.models import Answer, Message
from holdspace.processes import access, writes
from holdspace.processes.models import Group, Party, Process, Record
from holdspace.processes.services import (
    Refused,
    audit_record,
    change_audience,
    create_record,
    edit_record,
)
from holdspace.processes.services import records as record_services

NOT_THE_CONTACT_GROUP = _(
    "Messages to him are written and sent by the group that carries contact with him."
)
ALREADY_SENT = _("This message was already sent. A sent message is never changed.")
NOBODY_CARRIES_CONTACT = _(
    "Right now no group can receive what you write here. Please try again later."
)
NOT_FOR_THIS = _("Please choose from the list.")


def contact_group(process: Process | Any) -> Group | None:
    """The group carrying contact with the person who caused harm, if any:
    the group that keeps his party."""
    return access.keeping_group(getattr(process, "pk", process), Party.Role.HARMING)


def carries_contact(group: Group) -> bool:
    found = contact_group(group.process_id)
    return found is not None and found.pk == group.pk


# Messages to him -------------------------------------------------------------------------


def write_message(*, author: User, group: Group, body: str) -> Message:
    """A message in ``group``'s space, for that group only, not sent yet.
    Raises Refused unless ``group`` carries contact with him."""
    if not carries_contact(group):
        raise Refused(NOT_THE_CONTACT_GROUP)
    with transaction.atomic():
        message = create_record(Message, author=author, group=group, texts={"body": body})
        audit_record("message.written", by=author, record=message)
    return message


def edit_message(message: Message, *, by: User, expected_version: int, body: str) -> None:
    """Change a message's text before it is sent (its earlier text is kept).
    Raises Refused once it was sent, or when someone saved or sent it since
    the form was opened at ``expected_version`` (S38, S52)."""
    with transaction.atomic():
        writes.still(message, lambda m: m.sent_at is None, ALREADY_SENT)
        writes.lock_version(message, expected_version)
        edit_record(message, by=by, expected_version=expected_version, changes={"body": body})


def send_message(message: Message, *, by: User) -> None:
    """Send a message to his portal: address it to him, seal its key to his
    space, and freeze it. Sent twice at once, it is sent once; the second
    time raises Refused (S52)."""
    with transaction.atomic():
        writes.still(message, lambda m: m.sent_at is None, ALREADY_SENT)
        if not carries_contact(message.author_group):
            raise Refused(NOT_THE_CONTACT_GROUP)
        change_audience(
            message,
            by=by,
            groups=list(message.audience_groups.all()),
            to_harming_party=True,
            to_harmed_party=message.to_harmed_party,
        )
        now = timezone.now()
        message.to_harming_party = True
        message.sent_at, message.sent_by = now, by
        # Dated the day he got it; an edit form opened before is out of date.
        message.occurred_on = timezone.localdate(now)
        message.version += 1
        message.updated_at = now
        message.save(update_fields=["sent_at", "sent_by", "occurred_on", "version", "updated_at"])
        audit_record("message.sent", by=by, record=message)


# What he writes ------------------------------------------------------------------------

# What an answer of each kind may be about (records addressed to him).
ABOUT_KINDS = {
    Answer.Kind.REFLECTION: ("meeting",),
    Answer.Kind.PROGRESS: ("step",),
    Answer.Kind.REPLY: ("message",),
    Answer.Kind.TOLD: (),
}


def write_answer(
    party: Party, *, by: User, kind: str, body: str, about: Record | None = None
) -> Answer:
    """What he writes, in the space of the group carrying contact, for that
    group and for his own space (so that he reads what he sent); dated today.

    ``about`` must be addressed to him and of a kind ``kind`` may be about.
    Raises Refused when no group carries contact or ``about`` does not fit.
    """
    group = contact_group(party.process_id)
    if group is None:
        raise Refused(NOBODY_CARRIES_CONTACT)
    if about is not None and (
        about.process_id != party.process_id
        or not about.to_harming_party
        or about.kind not in ABOUT_KINDS[Answer.Kind(kind)]
    ):
        raise Refused(NOT_FOR_THIS)
    with transaction.atomic():
        answer = _answer(party, group, by=by, kind=kind, body=body, about=about)
        audit_record("portal_answer.written", by=by, record=answer)
    return answer


def _answer(
    party: Party, group: Group, *, by: User, kind: str, body: str, about: Record | None
) -> Answer:
    answer = create_record(
        Answer,
        author=by,
        group=group,
        texts={"body": body},
        answer_kind=kind,
        about=about,
        occurred_on=timezone.localdate(),
        to_harming_party=True,
    )
    record_services._party_audience(answer, to_harming_party=True, to_harmed_party=False)
    return answer


def tell(party: Party, *, by: User, description: str, told_on: datetime.date) -> Answer:
    """He says he told a new group or partner on ``told_on``: a duty to
    inform in the contact group's space (for the circle, where those told can
    confirm it), and his own words as an answer he can read again.

    Raises Refused when no group carries contact, or for a day in the future
    or before the process began.
    """
    group = contact_group(party.process_id)
    if group is None:
        raise Refused(NOBODY_CARRIES_CONTACT)
    with transaction.atomic():
        duty = circle.record_duty(author=by, group=group, description=description, told_on=told_on)
        answer = _answer(party, group, by=by, kind=Answer.Kind.TOLD, body=description, about=duty)
        audit_record("portal_answer.written", by=by, record=answer)
    return answer
