"""The admin for people who manage attendees: every list works and stays cheap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import (
    ActionItem,
    Attendance,
    Meeting,
    Person,
    PersonAlias,
    Section,
)
from tests.factories import (
    ActionItemFactory,
    ActionUpdateFactory,
    AttendanceFactory,
    MeetingFactory,
    PersonAliasFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "organisation",
    "person",
    "personalias",
    "series",
    "meeting",
    "attendance",
    "section",
    "actionitem",
    "actionupdate",
    "actionlink",
    "reminderlog",
]


def make_rows(n: int) -> None:
    for _ in range(n):
        meeting = MeetingFactory(chair=PersonFactory())
        section = SectionFactory(meeting=meeting)
        SectionFactory(meeting=meeting, parent=section, presenter=PersonFactory())
        attendance = AttendanceFactory(meeting=meeting)
        PersonAliasFactory(person=attendance.person)
        action = ActionItemFactory(meeting=meeting, owners=[attendance.person])
        ActionUpdateFactory(action=action, meeting=meeting)


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_do_not_query_per_row(staff_client, model):
    url = reverse(f"admin:meetings_{model}_changelist")
    make_rows(2)
    few = count(staff_client, url)
    make_rows(15)
    assert count(staff_client, url) == few


@pytest.mark.parametrize("model", MODELS)
def test_admin_add_and_search_pages_work(staff_client, model):
    make_rows(1)
    assert staff_client.get(reverse(f"admin:meetings_{model}_add")).status_code == 200
    url = reverse(f"admin:meetings_{model}_changelist")
    assert staff_client.get(url, {"q": "x"}).status_code == 200


def test_meeting_change_page_has_inlines(staff_client):
    meeting = MeetingFactory()
    SectionFactory(meeting=meeting, title="Inline section")
    response = staff_client.get(
        reverse("admin:meetings_meeting_change", args=[meeting.pk])
    )
    assert "Inline section" in response.text
    assert "attendances-TOTAL_FORMS" in response.text
    assert "actions_raised-TOTAL_FORMS" in response.text


def test_members_cannot_open_the_admin(member_client):
    response = member_client.get(reverse("admin:meetings_person_changelist"))
    assert response.status_code == 302


@pytest.fixture
def duplicates():
    """One person written two ways, both at one meeting, each with history."""
    keep = PersonFactory(name="Ada Example", initials="AE")
    other = PersonFactory(name="Ada Exampel", initials="", email="ada@example.org")
    PersonAliasFactory(person=other, alias="Adie")
    shared = MeetingFactory(chair=other)
    AttendanceFactory(meeting=shared, person=keep, status="apologies", note="")
    AttendanceFactory(meeting=shared, person=other, status="present", note="late")
    AttendanceFactory(person=other)
    action = ActionItemFactory(owners=[other])
    SectionFactory(presenter=other)
    shared.scribes.add(other)
    return keep, other, action, shared


def test_merge_people_moves_everything_and_loses_nothing(staff_client, duplicates):
    keep, other, action, shared = duplicates
    url = reverse("admin:meetings_person_changelist")
    form = {"action": "merge_people", "_selected_action": [keep.pk, other.pk]}

    confirm = staff_client.post(url, form)
    assert "Merge people" in confirm.text
    response = staff_client.post(url, {**form, "merge_into": keep.pk}, follow=True)

    assert "Merged 1 into Ada Example" in response.text
    assert not Person.objects.filter(pk=other.pk).exists()
    assert list(ActionItem.objects.owned_by(keep)) == [action]
    assert Attendance.objects.filter(person=keep).count() == 2
    merged = Attendance.objects.get(person=keep, meeting=shared)
    assert (merged.status, merged.note) == ("present", "late")
    assert Meeting.objects.get(pk=shared.pk).chair == keep
    assert keep in shared.scribes.all()
    assert Section.objects.filter(presenter=keep).count() == 1
    aliases = set(
        PersonAlias.objects.filter(person=keep).values_list("alias", flat=True)
    )
    assert aliases == {"Adie", "Ada Exampel"}
    keep.refresh_from_db()
    assert keep.email == "ada@example.org"


def test_merge_needs_two_people(staff_client, duplicates):
    keep = duplicates[0]
    url = reverse("admin:meetings_person_changelist")
    response = staff_client.post(
        url, {"action": "merge_people", "_selected_action": [keep.pk]}, follow=True
    )
    assert "Select at least two people" in response.text
