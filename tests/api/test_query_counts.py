"""Every list endpoint reads a page in the same number of queries, however long."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ActionItemFactory,
    ActionUpdateFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonAliasFactory,
    PersonFactory,
    SectionFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/series/",
    "/api/organisations/",
    "/api/people/",
    "/api/meetings/",
    "/api/sections/",
    "/api/attendance/",
    "/api/actions/",
    "/api/action-updates/",
]


def fill(rows: int) -> None:
    """``rows`` rows of every resource, each with its related rows."""
    series = SeriesFactory()
    people = []
    for n in range(rows):
        SeriesFactory()
        person = PersonFactory(organisation=OrganisationFactory())
        PersonAliasFactory(person=person)
        people.append(person)
        meeting = MeetingFactory(
            series=series,
            chair=person,
            date=datetime.date(2000, 1, 1) + datetime.timedelta(days=n),
        )
        meeting.scribes.add(person)
        AttendanceFactory(meeting=meeting, person=person)
        SectionFactory(meeting=meeting, presenter=person)
        action = ActionItemFactory(
            meeting=meeting, reference=f"{n}.01", owners=[person]
        )
        ActionUpdateFactory(action=action, meeting=meeting)


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{path}?page_size=100")
    assert response.status_code == 200
    return len(captured)


def test_no_list_query_count_grows_with_rows(staff_api):
    # One test for all lists: filling the database is the slow part.
    fill(10)
    few = {path: queries_for(staff_api, path) for path in LISTS}

    fill(190)
    many = {path: queries_for(staff_api, path) for path in LISTS}

    assert staff_api.get("/api/meetings/").json()["count"] == 200
    assert few == many


def test_a_meeting_reads_in_the_same_queries_however_full(minutes, member_api):
    meeting = minutes["published"]
    path = f"/api/meetings/{meeting.pk}/"
    before = queries_for(member_api, path)

    for n in range(20):
        person = PersonFactory()
        AttendanceFactory(meeting=meeting, person=person)
        SectionFactory(meeting=meeting, parent=minutes["top"], position=10 + n)
        ActionItemFactory(meeting=meeting, reference=f"41.{n + 10}", owners=[person])

    assert queries_for(member_api, path) == before
