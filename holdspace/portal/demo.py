"""K.'s portal in the demo process: what the other parts made that concerns
him is addressed to him (the demands as they stand, their steps, the
agreements that bind him, the meetings with him), the contact group sent him
two messages, and he wrote one reflection before an earlier meeting.

Invented, like everything in Process Juniper. Days count back from today.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.commitments.models import Agreement, Demand, Step
from holdspace.contact.models import Contact, Meeting
from holdspace.portal import services
from holdspace.portal.models import Answer, Message
from holdspace.processes.models import Group, Party, Process, Record
from holdspace.processes.services import change_audience

# (days ago it was sent, text)
MESSAGES = (
    (
        30,
        "Hello K.,\n\nfrom now on we will also write to you here, so that the dates, your steps "
        "and our messages are in one place. You can answer here too: what you write comes to "
        "our group.\n\nWe are planning the next meeting and will send you the date soon.\n\n"
        "The contact group",
    ),
    (
        2,
        "Hello K.,\n\nthis is to confirm our next meeting: in nine days, at 18:30, in the back "
        "room of the library café. We will talk about the programme and about telling new "
        "groups.\n\nBefore we meet, could you write a few lines here about what you did since "
        "we last met, and what was difficult? Two or three paragraphs are enough.\n\n"
        "The contact group",
    ),
)

REFLECTION = (
    "Since we last met I called the programme twice. The first talk was harder than I "
    "expected. I still find it difficult to read the letter without wanting to explain "
    "myself, and I am trying not to do that in our meetings."
)


def build(process: Process, groups: Mapping[str, Group], users: Mapping[str, User]) -> None:
    today = timezone.localdate()
    _address(process, _concerning_him(process, today))
    contact = groups["contact"]
    coordinator = users["demo-contact-coordinator"]
    for days_ago, text in MESSAGES:
        message = services.write_message(author=coordinator, group=contact, body=text)
        services.send_message(message, by=coordinator)
        _dated(message, today - datetime.timedelta(days=days_ago))
    _reflection(process, users["demo-portal"], today)


def _concerning_him(process: Process, today: datetime.date) -> list[Record]:
    """The demands (as they stand), their steps, the agreements that bind
    him and the meetings with him; never internal meetings."""
    found: list[Record] = [
        *Demand.objects.filter(process=process),
        *Step.objects.filter(process=process),
        *Agreement.objects.filter(process=process, status=Agreement.Status.AGREED),
        *Meeting.objects.filter(
            process=process, internal=False, counterpart=Contact.Counterpart.HARMING
        ),
    ]
    return found


def _address(process: Process, records: list[Record]) -> None:
    for record in records:
        change_audience(
            record,
            by=record.author,  # type: ignore[arg-type]  # demo records have authors
            groups=list(record.audience_groups.all()),
            to_harming_party=True,
            to_harmed_party=record.to_harmed_party,
        )


def _dated(message: Message, day: datetime.date) -> None:
    """Sending dates a message today; the demo's were sent earlier."""
    sent = timezone.make_aware(datetime.datetime.combine(day, datetime.time(19, 0)))
    Message.objects.filter(pk=message.pk).update(sent_at=sent)
    # Written down today, like everything in the demo (DESIGN §6).
    Record.objects.filter(pk=message.pk).update(occurred_on=day)


def _reflection(process: Process, him: User, today: datetime.date) -> None:
    """His reflection, written the evening before the last meeting he came to."""
    before = (
        Meeting.objects.filter(
            process=process,
            internal=False,
            to_harming_party=True,
            outcome=Meeting.Outcome.HELD,
            occurred_on__lt=today,
        )
        .order_by("-occurred_on")
        .first()
    )
    party = Party.objects.select_related("process").get(process=process, role=Party.Role.HARMING)
    answer = services.write_answer(
        party, by=him, kind=Answer.Kind.REFLECTION, body=REFLECTION, about=before
    )
    if before is not None:
        day = before.occurred_on - datetime.timedelta(days=1)
        Record.objects.filter(pk=answer.pk).update(occurred_on=day)
