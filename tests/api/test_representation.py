"""Fast read paths write exactly what the serializers' declared fields would."""

import datetime

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from meetings.api.serializers import (
    ActionItemSerializer,
    MeetingActionUpdateSerializer,
    MeetingAttendanceSerializer,
)
from meetings.models import ActionItem, ActionUpdate, Attendance
from tests.factories import (
    ActionItemFactory,
    ActionUpdateFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def both_ways(action: ActionItem, request=None) -> tuple[dict, dict]:
    serializer = ActionItemSerializer(context={"request": request})
    fast = serializer.to_representation(action)
    by_fields = serializers.ModelSerializer.to_representation(serializer, action)
    return fast, dict(by_fields)


@pytest.fixture
def actions(db):
    meeting = MeetingFactory(number=7, date=datetime.date(2024, 3, 5))
    section = SectionFactory(meeting=meeting, title="Data")
    org = OrganisationFactory(short_name="NLS")
    ada, bo = PersonFactory(name="Ada Example"), PersonFactory(name="Bo Sample")
    full = ActionItemFactory(
        meeting=meeting,
        section=section,
        reference="7.01",
        owners=[bo, ada],
        owner_organisation=org,
        owners_text="All sites",
        due_date=datetime.date(2024, 4, 1),  # past: overdue while open
    )
    successor = ActionItemFactory(meeting=meeting, reference="7.02")
    closed = ActionItemFactory(
        meeting=meeting,
        reference="7.03",
        status=ActionItem.Status.SUPERSEDED,
        superseded_by=successor,
        closed_at=meeting,
        closed_on=datetime.date(2024, 3, 5),
    )
    return [full, successor, closed]


@pytest.mark.parametrize("with_request", [True, False])
def test_an_action_reads_the_same_as_through_its_fields(actions, with_request):
    request = APIRequestFactory().get("/api/actions/") if with_request else None
    for action in ActionItem.objects.for_list().filter(pk__in=[a.pk for a in actions]):
        fast, by_fields = both_ways(action, request)
        assert list(fast) == list(by_fields)  # same keys, same order
        assert fast == by_fields


def test_the_list_and_the_detail_show_the_fast_path_output(actions, member_api):
    listed = member_api.get("/api/actions/").json()["results"]
    one = member_api.get(f"/api/actions/{actions[0].pk}/").json()

    assert one == next(row for row in listed if row["id"] == actions[0].pk)
    assert one["owner_names"] == ["Ada Example", "Bo Sample", "NLS", "All sites"]
    assert one["is_overdue"] is True
    assert one["due_date"] == "2024-04-01"
    assert one["url"].startswith("http://testserver/api/actions/")


@pytest.mark.parametrize(
    "serializer_class, model",
    [
        (MeetingAttendanceSerializer, Attendance),
        (MeetingActionUpdateSerializer, ActionUpdate),
    ],
)
def test_a_meetings_nested_rows_read_the_same_as_through_their_fields(
    actions, serializer_class, model
):
    meeting = actions[0].meeting
    org = OrganisationFactory(short_name="RNS")
    AttendanceFactory(meeting=meeting, person=PersonFactory(initials="CE"))
    AttendanceFactory(
        meeting=meeting, person=PersonFactory(), organisation=org, note="late"
    )
    ActionUpdateFactory(action=actions[0], meeting=meeting, comment="Half done.")
    ActionUpdateFactory(action=actions[1], meeting=meeting, status="done")

    rows = model.objects.filter(meeting=meeting)
    assert rows.count() == 2
    serializer = serializer_class()
    for row in rows:
        fast = serializer.to_representation(row)
        by_fields = dict(serializers.ModelSerializer.to_representation(serializer, row))
        by_fields = {
            key: dict(value) if hasattr(value, "keys") else value
            for key, value in by_fields.items()
        }
        assert list(fast) == list(by_fields)
        assert fast == by_fields
