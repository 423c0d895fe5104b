"""Calendar feeds, read back with the icalendar parser."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from meetings.models import ActionItem
from tests.factories import ActionItemFactory, MeetingFactory, PersonFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def series_url(series):
    return reverse("meetings:series-meetings-ics", args=[series.slug])


def person_url(person):
    return reverse("meetings:person-actions-ics", args=[person.pk])


def calendar_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_by_summary(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_a_timed_meeting_keeps_its_local_time_in_winter_and_summer(
    member_client, series
):
    for month in (1, 7):
        MeetingFactory(
            series=series,
            title=f"Call in month {month}",
            date=datetime.date(2025, month, 15),
            start_time=datetime.time(14, 0),
            timezone="Europe/Paris",
        )

    response = member_client.get(series_url(series))

    calendar = calendar_of(response)
    events = events_by_summary(calendar)
    winter = events[f"{series.name}: Call in month 1"].decoded("DTSTART")
    summer = events[f"{series.name}: Call in month 7"].decoded("DTSTART")
    assert (winter.hour, winter.minute) == (14, 0)
    assert (summer.hour, summer.minute) == (14, 0)
    assert winter.utcoffset() == datetime.timedelta(hours=1)
    assert summer.utcoffset() == datetime.timedelta(hours=2)
    assert winter.astimezone(datetime.UTC).hour == 13
    assert summer.astimezone(datetime.UTC).hour == 12
    assert b"DTSTART;TZID=Europe/Paris:20250715T140000" in response.content
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Paris"


@pytest.mark.parametrize("server_zone", ["Pacific/Auckland", "America/Los_Angeles"])
def test_a_meeting_without_a_time_is_an_all_day_event_on_its_own_date(
    member_client, series, settings, server_zone
):
    settings.TIME_ZONE = server_zone
    MeetingFactory(series=series, title="Undated call", date=datetime.date(2025, 3, 1))

    response = member_client.get(series_url(series))

    (event,) = calendar_of(response).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.date(2025, 3, 1)
    assert event.decoded("DTEND") == datetime.date(2025, 3, 2)
    assert b"DTSTART;VALUE=DATE:20250301" in response.content


def test_titles_with_commas_semicolons_and_newlines_survive(member_client, series):
    title = "Budget, plans; and\nmore: a sample"
    MeetingFactory(series=series, title=title, location="Room 1, floor 2; east")

    calendar = calendar_of(member_client.get(series_url(series)))

    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"{series.name}: {title}"
    assert str(event["LOCATION"]) == "Room 1, floor 2; east"


def test_a_start_time_without_a_time_zone_uses_the_site_time_zone(
    member_client, series, settings
):
    settings.TIME_ZONE = "Europe/Paris"
    MeetingFactory(
        series=series, date=datetime.date(2025, 7, 1), start_time=datetime.time(9, 30)
    )

    (event,) = calendar_of(member_client.get(series_url(series))).walk("VEVENT")

    assert event.decoded("DTSTART") == datetime.datetime(
        2025, 7, 1, 9, 30, tzinfo=PARIS
    )


def test_the_meeting_feed_shows_drafts_only_to_those_who_may_read_them(
    member_client, chair_client, series
):
    MeetingFactory(series=series, title="Published call")
    MeetingFactory(series=series, title="Draft call", draft=True)

    member_events = calendar_of(member_client.get(series_url(series))).walk("VEVENT")
    chair_events = calendar_of(chair_client.get(series_url(series))).walk("VEVENT")

    assert len(member_events) == 1
    assert len(chair_events) == 2


def test_anonymous_visitors_get_the_feed_only_when_minutes_are_public(
    client, series, settings
):
    MeetingFactory(series=series)

    assert client.get(series_url(series)).status_code == 302

    settings.MINUTES_PUBLIC = True
    assert len(calendar_of(client.get(series_url(series))).walk("VEVENT")) == 1


def test_an_unknown_series_is_not_found(member_client, db):
    assert member_client.get("/series/no-such-series/meetings.ics").status_code == 404


def test_a_persons_feed_has_the_due_dates_of_their_open_actions(
    member_client, meetings, owners
):
    ada = owners["ada"]
    ActionItemFactory(
        meeting=meetings[0],
        reference="1.01",
        description="Send the report, with annexes; then\nfile it",
        owners=[ada],
        due_date=datetime.date(2025, 4, 30),
    )
    ActionItemFactory(meeting=meetings[0], reference="1.02", owners=[ada])
    ActionItemFactory(
        meeting=meetings[0],
        reference="1.03",
        owners=[ada],
        due_date=datetime.date(2025, 5, 1),
        status=ActionItem.Status.DONE,
    )
    ActionItemFactory(
        meeting=meetings[0],
        reference="1.04",
        owners=[PersonFactory()],
        due_date=datetime.date(2025, 5, 2),
    )

    calendar = calendar_of(member_client.get(person_url(ada)))

    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == (
        "Action 1.01 due: Send the report, with annexes; then\nfile it"
    )
    assert event.decoded("DTSTART") == datetime.date(2025, 4, 30)
    assert str(event["UID"]).startswith("action-")


def test_a_persons_feed_leaves_out_actions_of_draft_minutes_for_members(
    member_client, owners
):
    ActionItemFactory(
        meeting=MeetingFactory(draft=True),
        owners=[owners["ada"]],
        due_date=datetime.date(2025, 1, 1),
    )

    calendar = calendar_of(member_client.get(person_url(owners["ada"])))

    assert calendar.walk("VEVENT") == []
