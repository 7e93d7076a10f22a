"""What his portal shows, field by field (S16, S44).

Party templates never get a model instance: only the small, frozen values
below, each built from a record addressed to him and holding only the
fields he may read. Never an author, a group, an audience, a history, a
proposal, a reason, evidence, minutes, attendees or anyone's name.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from holdspace.circle.models import Duty
from holdspace.commitments.models import Agreement, Demand, Step
from holdspace.contact.models import Meeting
from holdspace.portal.models import Answer, Message
from holdspace.processes import access
from holdspace.processes.models import Party, Record
from holdspace.vault.fields import UnreadableText


def _text(value: Any) -> str:
    """A decrypted text; a calm placeholder when it cannot be read."""
    if isinstance(value, UnreadableText) or value is None:
        return _("(This text cannot be shown right now.)")
    return str(value)


def _date(day: datetime.date | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else ""


@dataclass(frozen=True)
class StepView:
    id: uuid.UUID
    description: str
    due_on: datetime.date
    status: str
    open: bool
    overdue: bool


@dataclass(frozen=True)
class DemandView:
    wording: str
    status: str
    steps: tuple[StepView, ...] = ()


@dataclass(frozen=True)
class AgreementView:
    kind: str
    terms: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    review_on: datetime.date | None
    status: str
    in_force: bool


@dataclass(frozen=True)
class MeetingView:
    id: uuid.UUID
    on: datetime.date
    starts_at: datetime.time | None
    place: str
    agenda: str
    preparation_asked: str
    upcoming: bool
    called_off: bool


@dataclass(frozen=True)
class AnswerView:
    kind: str
    written_on: datetime.date
    body: str
    about: str  # what it answers, in words ("" when nothing)


@dataclass(frozen=True)
class MessageView:
    id: uuid.UUID
    sent_on: datetime.date
    body: str
    replies: tuple[AnswerView, ...] = field(default=())


# What is addressed to him --------------------------------------------------------------


def _addressed(party: Party, model: type[Any]) -> QuerySet[Any]:
    """``model``'s records addressed to him (through the party access core)."""
    ids = access.records_for_party(party).filter(kind=model.__name__.lower()).values("pk")
    found: QuerySet[Any] = model._default_manager.filter(pk__in=ids)
    return found


def _open(records: list[Any]) -> list[Any]:
    access.open_keys(records)
    return records


def steps(party: Party, today: datetime.date | None = None) -> list[StepView]:
    """Steps addressed to him, open ones first by due date."""
    day = today or timezone.localdate()
    found = _open(list(_addressed(party, Step).order_by("due_on", "created_at")))
    views = [_step(step, day) for step in found]
    return sorted(views, key=lambda s: (not s.open, s.due_on))


def _step(step: Step, today: datetime.date) -> StepView:
    return StepView(
        id=step.pk,
        description=_text(step.description),
        due_on=step.due_on,
        status=str(step.get_status_display()),
        open=step.status == Step.Status.OPEN,
        overdue=step.is_overdue(today),
    )


def demands(
    party: Party, today: datetime.date | None = None
) -> tuple[list[DemandView], list[StepView]]:
    """The demands addressed to him as they stand now, each with the steps
    addressed to him; and the steps whose demand is not addressed to him."""
    day = today or timezone.localdate()
    found = _open(list(_addressed(party, Demand).order_by("occurred_on", "created_at")))
    step_rows = _open(list(_addressed(party, Step).order_by("due_on", "created_at")))
    by_demand: dict[uuid.UUID, list[StepView]] = {}
    for step in step_rows:
        by_demand.setdefault(step.towards_id, []).append(_step(step, day))
    shown = {demand.pk for demand in found}
    views = [
        DemandView(
            wording=_text(demand.wording),
            status=str(demand.get_status_display()),
            steps=tuple(by_demand.get(demand.pk, ())),
        )
        for demand in found
    ]
    others = [s for pk, found_steps in by_demand.items() if pk not in shown for s in found_steps]
    return views, others


def agreements(party: Party, today: datetime.date | None = None) -> list[AgreementView]:
    """Agreements addressed to him; those in force first. Never who else
    they bind: that text may name people."""
    day = today or timezone.localdate()
    found = _open(list(_addressed(party, Agreement).order_by("-starts_on", "-created_at")))
    views = []
    for agreement in found:
        status = agreement.effective_status(day)
        views.append(
            AgreementView(
                kind=str(agreement.get_agreement_kind_display()),
                terms=_text(agreement.terms),
                starts_on=agreement.starts_on,
                ends_on=agreement.ends_on,
                review_on=agreement.review_on,
                status=str(Agreement.Status(status).label),
                in_force=status == Agreement.Status.AGREED and agreement.starts_on <= day,
            )
        )
    return sorted(views, key=lambda a: not a.in_force)


def _meetings(party: Party) -> QuerySet[Meeting]:
    return _addressed(party, Meeting).filter(internal=False)


def meetings(party: Party, today: datetime.date | None = None) -> list[MeetingView]:
    """Meetings addressed to him (never internal ones): upcoming first,
    soonest first; then earlier ones, latest first."""
    day = today or timezone.localdate()
    found = _open(list(_meetings(party).order_by("occurred_on", "starts_at")))
    views = [_meeting(meeting, day) for meeting in found]
    upcoming = [m for m in views if m.upcoming]
    earlier = [m for m in reversed(views) if not m.upcoming]
    return upcoming + earlier


def _meeting(meeting: Meeting, today: datetime.date) -> MeetingView:
    called_off = meeting.outcome in (
        Meeting.Outcome.CANCELLED_BY_US,
        Meeting.Outcome.CANCELLED_BY_HIM,
    )
    return MeetingView(
        id=meeting.pk,
        on=meeting.occurred_on,
        starts_at=meeting.starts_at,
        place=_text(meeting.place),
        agenda=_text(meeting.agenda),
        preparation_asked=_text(meeting.preparation_asked),
        upcoming=meeting.is_upcoming(today),
        called_off=called_off,
    )


# Messages and what he wrote -----------------------------------------------------------


def sent_messages(party: Party) -> QuerySet[Message]:
    """Messages sent to him (a message addressed to him but never sent
    through the "send" step is not shown)."""
    return _addressed(party, Message).exclude(sent_at=None)


def _answers(party: Party) -> QuerySet[Answer]:
    return _addressed(party, Answer).filter(author=party.account_id)


def _about_words(answer: Answer, told: dict[uuid.UUID, datetime.date]) -> str:
    about = answer.about
    if answer.answer_kind == Answer.Kind.TOLD:
        day = told.get(answer.about_id) if answer.about_id else None
        return _("You told them on %(date)s.") % {"date": _date(day)} if day else ""
    if about is None or not about.to_harming_party:
        return ""
    if about.kind == "meeting":
        return _("Before the meeting on %(date)s") % {"date": _date(about.occurred_on)}
    if about.kind == "step":
        return _("On the step due on %(date)s") % {"date": _date(about.step.due_on)}
    if about.kind == "message":
        sent = about.message.sent_at
        day = timezone.localdate(sent) if sent else about.occurred_on
        return _("To the message of %(date)s") % {"date": _date(day)}
    return ""


def _answer_views(party: Party, rows: QuerySet[Answer]) -> list[tuple[Answer, AnswerView]]:
    found = list(
        rows.select_related("about", "about__step", "about__message").order_by("-created_at")
    )
    access.open_keys(found)
    duty_ids = [a.about_id for a in found if a.answer_kind == Answer.Kind.TOLD and a.about_id]
    # Only the day he told them: the duty itself is the group's record.
    told = dict(Duty.objects.filter(pk__in=duty_ids).values_list("pk", "occurred_on"))
    return [
        (
            answer,
            AnswerView(
                kind=str(answer.get_answer_kind_display()),
                written_on=answer.occurred_on,
                body=_text(answer.body),
                about=_about_words(answer, told),
            ),
        )
        for answer in found
    ]


def answers(party: Party) -> list[AnswerView]:
    """What he wrote, newest first."""
    return [view for _answer, view in _answer_views(party, _answers(party))]


def messages(party: Party) -> list[MessageView]:
    """Messages sent to him, newest first, each with his replies."""
    found = list(sent_messages(party).order_by("-sent_at"))
    access.open_keys(found)
    rows = _answers(party).filter(answer_kind=Answer.Kind.REPLY, about__in=[m.pk for m in found])
    replies: dict[uuid.UUID | None, list[AnswerView]] = {}
    for answer, view in _answer_views(party, rows):
        replies.setdefault(answer.about_id, []).append(view)
    return [message_view(message, replies.get(message.pk, [])) for message in found]


def message_view(message: Message, replies: list[AnswerView] | None = None) -> MessageView:
    sent = message.sent_at
    return MessageView(
        id=message.pk,
        sent_on=timezone.localdate(sent) if sent else message.occurred_on,
        body=_text(message.body),
        replies=tuple(replies or ()),
    )


def replies_to(party: Party, message: Message) -> list[AnswerView]:
    rows = _answers(party).filter(answer_kind=Answer.Kind.REPLY, about=message)
    return [view for _answer, view in _answer_views(party, rows)]


# What he may write about ----------------------------------------------------------------


def about_choices(party: Party, today: datetime.date | None = None) -> list[tuple[str, str]]:
    """His upcoming meetings and open steps, as (value, words) for a select:
    what a reflection or a progress report may be about."""
    day = today or timezone.localdate()
    choices: list[tuple[str, str]] = []
    for meeting in meetings(party, day):
        if meeting.upcoming:
            words = _("Before the meeting on %(date)s") % {"date": _date(meeting.on)}
            choices.append((str(meeting.id), words))
    for step in steps(party, day):
        if step.open:
            words = _("The step due on %(date)s: %(step)s") % {
                "date": _date(step.due_on),
                "step": _short(step.description),
            }
            choices.append((str(step.id), words))
    return choices


def _short(text: str, words: int = 10) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def record_for_about(party: Party, value: str) -> Record | None:
    """The upcoming meeting or open step chosen in the select; None if the
    value is not one of them (a choice checked again on the way in)."""
    allowed = {choice for choice, _words in about_choices(party)}
    if value not in allowed:
        return None
    return access.records_for_party(party).filter(pk=value).first()
