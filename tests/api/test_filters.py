"""The API filters with the FilterSets of the HTML lists: same query, same rows."""

import datetime

import pytest

from meetings.models import ActionItem, Attendance
from tests.factories import (
    ActionItemFactory,
    AttendanceFactory,
    MeetingFactory,
    PersonAliasFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_meetings(minutes):
    other = SeriesFactory(name="Sample steering group", slug="steering")
    for n in range(6):
        meeting = MeetingFactory(
            series=other if n % 2 else minutes["series"],
            number=100 + n,
            title=f"Steering {n}" if n % 2 else f"Plenary {n}",
            date=datetime.date(2023, 1 + n, 10),
            chair=minutes["ada"] if n % 3 == 0 else None,
        )
        if n % 2 == 0:
            AttendanceFactory(meeting=meeting, person=minutes["bo"])
    return minutes


@pytest.mark.parametrize(
    "query",
    [
        "",
        "series=steering",
        "year=2023",
        "q=plenary",
        "date_from=2023-03-01&date_to=2023-05-31",
        "chair={ada}",
        "attendee={bo}",
        "organisation={institute}",
        "status=draft",
        "ordering=title",
        "ordering=-number",
    ],
)
def test_meeting_filters_give_the_rows_of_the_html_list(
    many_meetings, query, scribe, scribe_api, persona_client
):
    query = query.format(
        ada=many_meetings["ada"].pk,
        bo=many_meetings["bo"].pk,
        institute=many_meetings["institute"].pk,
    )
    page = persona_client("scribe").get(f"/meetings/?{query}")
    api = scribe_api.get(f"/api/meetings/?{query}").json()

    assert [row["id"] for row in api["results"]] == [
        meeting.pk for meeting in page.context["object_list"]
    ]
    assert api["count"] == page.context["paginator"].count


def test_actions_filter_by_several_statuses(minutes, member_api):
    ActionItemFactory(
        meeting=minutes["published"], reference="41.05", status=ActionItem.Status.DONE
    )

    rows = member_api.get("/api/actions/?status=open&status=done").json()["results"]

    assert {row["status"] for row in rows} == {"open", "done"}


def test_actions_filter_by_owner_and_overdue(minutes, member_api):
    ada = minutes["ada"]

    owned = member_api.get(f"/api/actions/?owner={ada.pk}&overdue=true").json()

    assert [row["reference"] for row in owned["results"]] == ["41.01"]


def test_people_are_found_by_alias(minutes, member_api):
    PersonAliasFactory(person=minutes["bo"], alias="Bobo")

    rows = member_api.get("/api/people/?q=bobo").json()["results"]

    assert [row["name"] for row in rows] == ["Bo Sample"]


def test_attendance_filters_by_status(minutes, member_api):
    rows = member_api.get("/api/attendance/?status=apologies").json()["results"]

    assert [row["status"] for row in rows] == [Attendance.Status.APOLOGIES]


def test_pages_follow_a_stable_order(minutes, member_api):
    MeetingFactory.create_batch(
        5, series=minutes["series"], date=datetime.date(2022, 6, 1)
    )

    first = member_api.get("/api/meetings/?page_size=3").json()
    second = member_api.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]

    assert len(ids) == len(set(ids)) == 6
