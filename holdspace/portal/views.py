"""Messages to him and what he wrote, for the members (the internal access
core); and his portal, for him alone (the party access core, S16, S44).

His pages get only the values of :mod:`holdspace.portal.reading`, never a
model instance.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from holdspace.accounts.models import User
from holdspace.lib.http import posted
from holdspace.portal import access, reading, services
from holdspace.portal.forms import EditMessageForm, MessageForm, ReplyForm, ToldForm, WriteForm
from holdspace.portal.models import Answer, Message
from holdspace.processes import access as core
from holdspace.processes import party_reading
from holdspace.processes.models import Party, Process
from holdspace.processes.services import Refused
from holdspace.processes.views.pages import form_page, record_context

# For the members ---------------------------------------------------------------------------

SECTION_SIZE = 5


def process_section(user: User, process: Process | None) -> dict[str, Any]:
    """The part of the process page: for members of the group carrying
    contact, and for others only what was shared with their groups."""
    assert process is not None  # noqa: S101  (a section of the process page)
    group = access.my_contact_group(user, process)
    sent = list(access.messages_of(user, process)[:SECTION_SIZE])
    written = list(access.answers_of(user, process)[:SECTION_SIZE])
    core.open_keys([*sent, *written])
    shown = group is not None or bool(sent or written)
    return {
        "portal_section": shown,
        "portal_group": group,
        "portal_messages": sent,
        "portal_answers": written,
    }


@require_http_methods(["GET", "POST"])
@core.per_object_access
def message_new(request: HttpRequest, group_id: UUID) -> HttpResponse:
    group, _membership = core.get_group_for_user(request, group_id)
    process = group.process
    context = {"group": group, "process": process, "terms": process.terms}
    if not services.carries_contact(group):
        return render(request, "portal/message_elsewhere.html", context)
    user = core.request_user(request)
    form = MessageForm(posted(request))

    def save(data: dict[str, Any]) -> Message:
        return services.write_message(author=user, group=group, body=data["body"])

    return form_page(
        request,
        form,
        "portal/message_form.html",
        context,
        save=save,
        saved=_("The message is saved for your group. It is not sent yet."),
    )


def _may_send(user: User, message: Message) -> bool:
    """Members of the message's own group send it, while not sent."""
    return not message.is_sent and message.author_group_id in core.group_ids_for(
        user, message.process_id
    )


@require_GET
@core.per_object_access
def message_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    message = access.get_message(request, record_id)
    user = core.request_user(request)
    replies = access.replies_to(user, message)
    return render(
        request,
        "portal/message_detail.html",
        record_context(
            request,
            message,
            message=message,
            replies=replies,
            may_send=_may_send(user, message),
        ),
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def message_edit(request: HttpRequest, record_id: UUID) -> HttpResponse:
    message = access.get_message(request, record_id, write=True)
    if message.is_sent:
        messages.error(request, str(services.ALREADY_SENT))
        return redirect(message)
    user = core.request_user(request)
    form = EditMessageForm(
        posted(request), initial={"body": message.body, "version": message.version}
    )

    def save(data: dict[str, Any]) -> Message:
        services.edit_message(message, by=user, expected_version=data["version"], body=data["body"])
        return message

    return form_page(
        request,
        form,
        "portal/message_form.html",
        record_context(request, message, message=message, group=message.author_group),
        save=save,
        saved=_("Your changes are saved. The earlier version is kept."),
        field="body",
    )


@require_http_methods(["GET", "POST"])
@core.per_object_access
def message_send(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """Send a message to his portal: a page that says what sending means,
    then one deliberate click."""
    message = access.get_message(request, record_id, act=True)
    user = core.request_user(request)
    if message.is_sent:
        messages.info(request, str(services.ALREADY_SENT))
        return redirect(message)
    if not _may_send(user, message):
        messages.error(request, str(services.NOT_THE_CONTACT_GROUP))
        return redirect(message)
    if request.method == "GET":
        return render(
            request, "portal/message_send.html", record_context(request, message, message=message)
        )
    try:
        services.send_message(message, by=user)
    except Refused as refusal:
        messages.info(request, str(refusal.message))
    else:
        messages.success(request, _("The message is sent. It can no longer be changed."))
    return redirect(message)


@require_GET
@core.per_object_access
def answer_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    answer = access.get_answer(request, record_id)
    user = core.request_user(request)
    about = None
    if answer.about_id is not None:
        about = core.records_visible_to(user, answer.process).filter(pk=answer.about_id).first()
    return render(
        request,
        "portal/answer_detail.html",
        record_context(request, answer, answer=answer, about=about),
    )


# His portal --------------------------------------------------------------------------------


def _party(request: HttpRequest) -> Party:
    return core.get_party_for_user(request, Party.Role.HARMING)


def _can_write(party: Party) -> bool:
    return services.contact_group(party.process_id) is not None


def _page(party: Party, here: str, **context: Any) -> dict[str, Any]:
    """What every page of his portal shows around its own part: where he is,
    and whether he can write to the group now."""
    return {**context, "can_write": _can_write(party), "here": here}


HOME_SIZE = 3


@require_GET
@core.party_view
def portal_home(request: HttpRequest) -> HttpResponse:
    party = _party(request)
    today = timezone.localdate()
    meetings = [m for m in reading.meetings(party, today) if m.upcoming]
    steps = [s for s in reading.steps(party, today) if s.open]
    agreements = [a for a in reading.agreements(party, today) if a.in_force]
    return render(
        request,
        "portal/home.html",
        _page(
            party,
            "home",
            meetings=meetings[:HOME_SIZE],
            steps=steps,
            agreements=agreements,
            latest=reading.messages(party)[:HOME_SIZE],
            shared=party_reading.shared_with(party, kinds=("note",)),
        ),
    )


@require_GET
@core.party_view
def portal_demands(request: HttpRequest) -> HttpResponse:
    party = _party(request)
    demands, other_steps = reading.demands(party)
    return render(
        request,
        "portal/demands.html",
        _page(party, "demands", demands=demands, other_steps=other_steps),
    )


@require_GET
@core.party_view
def portal_agreements(request: HttpRequest) -> HttpResponse:
    party = _party(request)
    return render(
        request,
        "portal/agreements.html",
        _page(party, "agreements", agreements=reading.agreements(party)),
    )


@require_GET
@core.party_view
def portal_meetings(request: HttpRequest) -> HttpResponse:
    party = _party(request)
    found = reading.meetings(party)
    return render(
        request,
        "portal/meetings.html",
        _page(
            party,
            "meetings",
            upcoming=[m for m in found if m.upcoming],
            earlier=[m for m in found if not m.upcoming],
        ),
    )


@require_GET
@core.party_view
def portal_messages(request: HttpRequest) -> HttpResponse:
    party = _party(request)
    return render(
        request,
        "portal/messages.html",
        _page(
            party,
            "messages",
            messages_to_you=reading.messages(party),
            written=reading.answers(party),
        ),
    )


@require_http_methods(["GET", "POST"])
@core.party_view
def portal_message(request: HttpRequest, record_id: UUID) -> HttpResponse:
    party = _party(request)
    message = core.get_record_for_party(request, party, record_id, Message)
    if not message.is_sent:
        raise core.deny(request, "message_not_sent", record_id)
    core.open_keys([message])
    user = core.request_user(request)
    form = ReplyForm(posted(request))

    def save(data: dict[str, Any]) -> str:
        services.write_answer(
            party, by=user, kind=Answer.Kind.REPLY, body=data["body"], about=message
        )
        return reverse("hs-portal-message", args=[message.pk])

    return form_page(
        request,
        form,
        "portal/message.html",
        _page(
            party,
            "messages",
            message=reading.message_view(message, reading.replies_to(party, message)),
        ),
        save=save,
        saved=_("Your reply is sent to the group."),
        field="body",
    )


@require_http_methods(["GET", "POST"])
@core.party_view
def portal_write(request: HttpRequest) -> HttpResponse:
    """A reflection before a meeting, or a progress report."""
    party = _party(request)
    user = core.request_user(request)
    kind = request.GET.get("kind", "")
    initial = (
        {"answer_kind": kind} if kind in (Answer.Kind.REFLECTION, Answer.Kind.PROGRESS) else {}
    )
    form = WriteForm(posted(request), initial=initial, about=reading.about_choices(party))

    def save(data: dict[str, Any]) -> str:
        about = reading.record_for_about(party, data["about"]) if data["about"] else None
        if data["about"] and about is None:
            raise Refused(services.NOT_FOR_THIS)
        services.write_answer(
            party, by=user, kind=data["answer_kind"], body=data["body"], about=about
        )
        return reverse("hs-portal-messages")

    return form_page(
        request,
        form,
        "portal/write.html",
        _page(party, "write"),
        save=save,
        saved=_("Thank you. What you wrote is with the group now."),
        field="about",
    )


@require_http_methods(["GET", "POST"])
@core.party_view
def portal_told(request: HttpRequest) -> HttpResponse:
    """He says he told a new group or partner that he is in a process."""
    party = _party(request)
    user = core.request_user(request)
    form = ToldForm(posted(request))

    def save(data: dict[str, Any]) -> str:
        services.tell(party, by=user, description=data["description"], told_on=data["told_on"])
        return reverse("hs-portal-messages")

    return form_page(
        request,
        form,
        "portal/told.html",
        _page(party, "told"),
        save=save,
        saved=_("Thank you. The group knows now that you told them."),
        field="told_on",
    )
