"""A member's calendar feed: meetings and due dates, with neutral titles.

The feed is read by calendar apps and servers outside Holdspace, so it says
only *that* something is on a day (S35): "Holdspace meeting" or "Holdspace
reminder" — no names, no places, no process, no content.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, override

from holdspace.accounts.models import User
from holdspace.contact.models import Meeting
from holdspace.processes import access
from holdspace.processes.models import Party, Process
from holdspace.watch import collect, rules

HISTORY_DAYS = 365
MEETING_LENGTH = datetime.timedelta(hours=2)


def _meetings(user: User) -> list[Meeting]:
    since = timezone.localdate() - datetime.timedelta(days=HISTORY_DAYS)
    visible = access.records_visible_everywhere(user).values("pk")
    return list(
        Meeting.objects.filter(pk__in=visible, occurred_on__gte=since).exclude(
            outcome__in=(Meeting.Outcome.CANCELLED_BY_US, Meeting.Outcome.CANCELLED_BY_HIM)
        )
    ) + _his_meetings(user, since)


def _his_meetings(user: User, since: datetime.date) -> list[Meeting]:
    """For the person who caused harm: the meetings with him addressed to
    him in his portal (never the groups' internal ones)."""
    found: list[Meeting] = []
    for party in access.parties_of_account(user, Party.Role.HARMING):
        addressed = access.records_for_party(party).filter(kind="meeting").values("pk")
        found += Meeting.objects.filter(
            pk__in=addressed, internal=False, occurred_on__gte=since
        ).exclude(outcome__in=(Meeting.Outcome.CANCELLED_BY_US, Meeting.Outcome.CANCELLED_BY_HIM))
    return found


def _alerts(user: User) -> list[rules.Alert]:
    """The account's alerts: a member's, or — for an account linked to a
    party — those meant for that account alone (his steps due)."""
    parties = access.parties_of_account(user)
    if not parties:
        return collect.alerts_for(user)
    linked = Process.objects.filter(pk__in=[party.process_id for party in parties])
    mine = [alert for alert in collect.current_alerts(None, linked) if user.pk in alert.users]
    return collect.alerts_for(user) + mine


def feed_for(user: User) -> bytes:
    """The iCalendar document of ``user``'s meetings and due dates."""
    from icalendar import Calendar, Event

    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Holdspace//calendar//EN")
    calendar.add("version", "2.0")
    with override(user.language or settings.LANGUAGE_CODE):
        meeting_title, reminder_title = gettext("Holdspace meeting"), gettext("Holdspace reminder")
    for meeting in _meetings(user):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@holdspace")
        event.add("dtstamp", stamp)
        event.add("summary", meeting_title)
        if meeting.starts_at is None:
            event.add("dtstart", meeting.occurred_on)
        else:
            start = timezone.make_aware(
                datetime.datetime.combine(meeting.occurred_on, meeting.starts_at)
            )
            event.add("dtstart", start.astimezone(datetime.UTC))
            event.add("dtend", (start + MEETING_LENGTH).astimezone(datetime.UTC))
        calendar.add_component(event)
    for alert in _alerts(user):
        if alert.kind in ("meeting_upcoming", "portal_meeting_soon"):
            continue  # already there as a meeting
        event = Event()
        event.add("uid", f"{alert.kind}-{alert.subject or alert.process}-{alert.due_on}@holdspace")
        event.add("dtstamp", stamp)
        event.add("summary", reminder_title)
        event.add("dtstart", alert.due_on)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
