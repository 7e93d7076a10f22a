"""Records for the authorization matrix: ``example(group, author)`` writes
one in ``group``, readable by that group only (holdspace/tests/test_matrix.py);
``portal_message`` one addressed to him."""

from __future__ import annotations

from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.portal import services
from holdspace.portal.models import Answer, Message
from holdspace.processes.models import Group
from holdspace.processes.services import change_audience, create_record


def message(group: Group, author: User) -> Message:
    """A message not sent yet."""
    return create_record(Message, author=author, group=group, texts={"body": "A message's secret"})


def answer(group: Group, author: User) -> Answer:
    return create_record(
        Answer,
        author=author,
        group=group,
        texts={"body": "A reflection's secret"},
        answer_kind=Answer.Kind.REFLECTION,
    )


def portal_message(group: Group, author: User) -> Message:
    """A message written in the process's group carrying contact (``group``
    if none carries it) and sent to him."""
    writer = services.contact_group(group.process_id) or group
    sent = message(writer, author)
    change_audience(sent, by=author, groups=[writer], to_harming_party=True, to_harmed_party=False)
    Message.objects.filter(pk=sent.pk).update(sent_at=timezone.now(), sent_by=author)
    sent.refresh_from_db()
    return sent
