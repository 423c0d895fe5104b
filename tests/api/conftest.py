"""Clients and minutes for the API tests, built on the personas of tests/conftest."""

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from meetings.models import ActionItem, Attendance
from tests.factories import (
    ActionItemFactory,
    ActionUpdateFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
    SectionFactory,
    SeriesFactory,
)


@pytest.fixture
def api_client(request, db):
    """An API client for the persona named, authenticated with a token."""

    def make(persona: str) -> APIClient:
        client = APIClient()
        if persona != "anonymous":
            user = request.getfixturevalue(persona)
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def member_api(api_client):
    return api_client("member")


@pytest.fixture
def scribe_api(api_client):
    return api_client("scribe")


@pytest.fixture
def chair_api(api_client):
    return api_client("chair")


@pytest.fixture
def staff_api(api_client):
    return api_client("staff")


@pytest.fixture
def minutes(db):
    """A published meeting and a draft one, with everything a meeting holds."""
    series = SeriesFactory(name="Sample collaboration meeting", slug="sample")
    institute = OrganisationFactory(short_name="EXI", name="Example Institute")
    ada = PersonFactory(
        name="Ada Example",
        initials="AE",
        email="ada@example.org",
        organisation=institute,
    )
    bo = PersonFactory(name="Bo Sample", initials="BS", email="bo@example.org")
    published = MeetingFactory(
        series=series, number=41, title="Meeting 41", chair=ada,
        date=datetime.date(2024, 3, 14),
    )  # fmt: skip
    draft = MeetingFactory(
        series=series, number=42, title="Meeting 42", draft=True,
        date=datetime.date(2024, 4, 11),
    )  # fmt: skip
    published.scribes.add(bo)
    top = SectionFactory(meeting=published, title="Beamline status", position=1)
    child = SectionFactory(
        meeting=published, parent=top, title="Detector news", position=1
    )
    SectionFactory(meeting=published, title="Any other business", position=2)
    SectionFactory(meeting=draft, title="Draft notes", position=1)
    AttendanceFactory(meeting=published, person=ada)
    AttendanceFactory(meeting=published, person=bo, status=Attendance.Status.APOLOGIES)
    AttendanceFactory(meeting=draft, person=ada)
    action = ActionItemFactory(
        meeting=published, section=child, reference="41.01",
        description="Write up the detector test", owners=[ada],
        due_date=datetime.date(2024, 4, 1),
    )  # fmt: skip
    draft_action = ActionItemFactory(
        meeting=draft, reference="42.01", description="Draft-only action"
    )
    update = ActionUpdateFactory(
        action=action, meeting=draft, status=ActionItem.Status.IN_PROGRESS
    )
    earlier = MeetingFactory(
        series=series, number=40, title="Meeting 40", date=datetime.date(2024, 2, 8)
    )
    earlier_action = ActionItemFactory(
        meeting=earlier, reference="40.01", description="Order spare cables"
    )
    published_update = ActionUpdateFactory(
        action=earlier_action, meeting=published, status=ActionItem.Status.DONE
    )
    return {
        "series": series,
        "institute": institute,
        "ada": ada,
        "bo": bo,
        "published": published,
        "draft": draft,
        "top": top,
        "child": child,
        "action": action,
        "draft_action": draft_action,
        "draft_update": update,
        "earlier": earlier,
        "published_update": published_update,
    }
