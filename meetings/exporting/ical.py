"""Meetings and action due dates as iCalendar (RFC 5545) feeds.

A meeting with a start time and a time zone becomes a timed event carrying its
``TZID`` and a matching ``VTIMEZONE``, so that 14:00 in Paris stays 14:00 in
Paris in winter and summer alike. A meeting without a start time, and every
action due date, becomes an all-day event (``VALUE=DATE``): a date with no
time zone, which no server or client setting can shift to the day before.
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from collections.abc import Callable, Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from meetings.models import ActionItem, Meeting

logger = logging.getLogger(__name__)

PRODUCT_ID = "-//Minutes site//Meetings and actions//EN"
# Meetings record when they start, not when they end; calendars need an end.
DEFAULT_DURATION = datetime.timedelta(hours=1)
ONE_DAY = datetime.timedelta(days=1)


def meetings_calendar(
    meetings: Iterable[Meeting],
    *,
    name: str,
    absolute_url: Callable[[str], str],
    domain: str,
) -> bytes:
    """An iCalendar file with one event per meeting."""
    calendar = _calendar(name)
    for meeting in meetings:
        calendar.add_component(_meeting_event(meeting, absolute_url, domain))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def actions_calendar(
    actions: Iterable[ActionItem],
    *,
    name: str,
    absolute_url: Callable[[str], str],
    domain: str,
) -> bytes:
    """An iCalendar file with an all-day event on each action's due date."""
    calendar = _calendar(name)
    for action in actions:
        if action.due_date is not None:
            calendar.add_component(_action_event(action, absolute_url, domain))
    return calendar.to_ical()


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _meeting_event(meeting: Meeting, absolute_url, domain: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@{domain}")
    event.add("dtstamp", _stamp(meeting.updated_at))
    event.add("summary", f"{meeting.series.name}: {meeting.title}")

    start = _start(meeting)
    if start is None:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + ONE_DAY)
    else:
        event.add("dtstart", start)
        event.add("dtend", start + DEFAULT_DURATION)

    if meeting.location:
        event.add("location", meeting.location)
    url = absolute_url(meeting.get_absolute_url())
    event.add("url", url)
    details = [f"Minutes: {url}"]
    if meeting.video_url:
        details.append(f"Video link: {meeting.video_url}")
    event.add("description", "\n".join(details))
    return event


def _start(meeting: Meeting) -> datetime.datetime | None:
    """The meeting's start in its own time zone, or None for an all-day event.

    A start time without a time zone is read in the site's ``TIME_ZONE``.
    """
    if meeting.start_time is None:
        return None
    zone_name = meeting.timezone or settings.TIME_ZONE
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        logger.warning(
            "Meeting %s has an unknown time zone %r; using %s",
            meeting.pk,
            zone_name,
            settings.TIME_ZONE,
        )
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)


def _action_event(action: ActionItem, absolute_url, domain: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"action-{action.pk}@{domain}")
    event.add("dtstamp", _stamp(action.updated_at))
    event.add("summary", f"Action {action.reference} due: {action.description}")
    event.add("dtstart", action.due_date)
    event.add("dtend", action.due_date + ONE_DAY)
    url = absolute_url(action.get_absolute_url())
    event.add("url", url)
    event.add("description", f"{action.description}\n\n{url}")
    return event


def _stamp(moment: datetime.datetime | None) -> datetime.datetime:
    # DTSTAMP must be in UTC; the row's last change keeps the feed stable
    # between requests, so clients do not see every event as new.
    return (moment or timezone.now()).astimezone(datetime.UTC)
