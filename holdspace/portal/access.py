"""The members' door to messages and to what he wrote, built on
:mod:`holdspace.processes.access`: each is a record, read by the groups in
its audience. Only members of the group carrying contact write and send
messages; what he wrote is addressed to that group alone, until it shares it.

His own pages go through :mod:`holdspace.portal.reading` instead.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import HttpRequest

from holdspace.accounts.models import User
from holdspace.portal import services
from holdspace.portal.models import Answer, Message
from holdspace.processes import access
from holdspace.processes.models import Group, Process


def get_message(
    request: HttpRequest, record_id: uuid.UUID, *, write: bool = False, act: bool = False
) -> Message:
    return access.get_specific_for_user(request, record_id, Message, write=write, act=act)


def get_answer(request: HttpRequest, record_id: uuid.UUID) -> Answer:
    return access.get_specific_for_user(request, record_id, Answer)


def my_contact_group(user: User, process: Process) -> Group | None:
    """The group carrying contact with him, if the account is an active member."""
    group = services.contact_group(process)
    if group is None or group.pk not in access.group_ids_for(user, process.pk):
        return None
    return group


def messages_of(user: User, process: Process) -> QuerySet[Message]:
    """Messages to him the account may read, newest first."""
    readable = access.records_visible_to(user, process).filter(kind="message").values("pk")
    return Message.objects.filter(pk__in=readable).order_by("-occurred_on", "-created_at")


def answers_of(user: User, process: Process) -> QuerySet[Answer]:
    """What he wrote that the account may read, newest first."""
    readable = access.records_visible_to(user, process).filter(kind="answer").values("pk")
    return Answer.objects.filter(pk__in=readable).order_by("-created_at")


def replies_to(user: User, message: Message) -> list[Answer]:
    """His replies to ``message`` that the account may read, oldest first."""
    readable = access.records_visible_to(user, message.process).values("pk")
    replies = list(Answer.objects.filter(about=message, pk__in=readable).order_by("created_at"))
    access.open_keys(replies)
    return replies
