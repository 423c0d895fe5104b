"""Constraints live in the database, not only in forms: bypass forms and see."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import ActionItem, Attendance, Meeting, Section
from tests.factories import (
    ActionItemFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonAliasFactory,
    PersonFactory,
    SectionFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_meeting_number_is_unique_within_a_series_only():
    first = MeetingFactory(number=60)
    assert refused(lambda: MeetingFactory(series=first.series, number=60))
    assert MeetingFactory(number=60).series != first.series


def test_meetings_without_number_may_share_a_series():
    series = SeriesFactory()
    MeetingFactory(series=series, number=None)
    MeetingFactory(series=series, number=None)
    assert series.meetings.count() == 2


def test_action_reference_is_unique_within_a_series():
    action = ActionItemFactory(reference="60.03")
    same_series = MeetingFactory(series=action.meeting.series)
    assert refused(lambda: ActionItemFactory(meeting=same_series, reference="60.03"))
    assert ActionItemFactory(reference="60.03").series != action.series


def test_action_takes_its_series_from_the_meeting():
    action = ActionItemFactory()
    assert action.series == action.meeting.series


def test_attendance_is_unique_per_person_and_meeting():
    attendance = AttendanceFactory()
    assert refused(
        lambda: AttendanceFactory(
            meeting=attendance.meeting, person=attendance.person, status="apologies"
        )
    )


def test_section_positions_are_unique_among_siblings():
    top = SectionFactory(position=0)
    meeting = top.meeting
    assert refused(lambda: SectionFactory(meeting=meeting, position=0))
    child = SectionFactory(meeting=meeting, parent=top, position=0)
    assert refused(lambda: SectionFactory(meeting=meeting, parent=top, position=0))
    # The same position under another parent is fine.
    assert SectionFactory(meeting=meeting, parent=child, position=0).pk


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (MeetingFactory, "title"),
        (SectionFactory, "title"),
        (PersonFactory, "name"),
        (ActionItemFactory, "description"),
        (ActionItemFactory, "reference"),
        (OrganisationFactory, "short_name"),
        (PersonAliasFactory, "alias"),
    ],
)
def test_blank_required_text_is_refused_by_the_database(factory, field):
    assert refused(lambda: factory(**{field: ""}))


def test_unknown_status_is_refused_by_the_database():
    meeting = MeetingFactory()
    assert refused(lambda: Meeting.objects.filter(pk=meeting.pk).update(status="gone"))
    attendance = AttendanceFactory()
    assert refused(
        lambda: Attendance.objects.filter(pk=attendance.pk).update(status="late")
    )
    action = ActionItemFactory()
    assert refused(lambda: ActionItem.objects.filter(pk=action.pk).update(status="?"))


def test_published_meeting_needs_a_publication_time():
    assert refused(lambda: MeetingFactory(status="published", published_at=None))


def test_superseded_action_needs_a_successor():
    action = ActionItemFactory()
    assert refused(
        lambda: ActionItem.objects.filter(pk=action.pk).update(status="superseded")
    )
    successor = ActionItemFactory(meeting=action.meeting)
    action.status, action.superseded_by = "superseded", successor
    action.save()
    assert list(successor.supersedes.all()) == [action]


def test_alias_is_unique_per_person_ignoring_case():
    alias = PersonAliasFactory(alias="Ada")
    assert refused(lambda: PersonAliasFactory(person=alias.person, alias="ADA"))
    assert PersonAliasFactory(alias="Ada").person != alias.person


def test_version_grows_by_one_on_each_save():
    meeting = MeetingFactory()
    assert meeting.version == 1
    meeting.title = "Renamed"
    meeting.save()
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.version == 3


def test_section_clean_refuses_a_parent_from_another_meeting():
    section = SectionFactory()
    stranger = SectionFactory()
    section.parent = stranger
    with pytest.raises(Exception, match="another meeting"):
        section.clean()


def test_section_clean_refuses_nesting_deeper_than_allowed():
    parent = SectionFactory()
    for _ in range(Section.MAX_DEPTH - 1):
        parent = SectionFactory(meeting=parent.meeting, parent=parent)
    too_deep = Section(meeting=parent.meeting, parent=parent, title="Too deep")
    with pytest.raises(Exception, match="at most"):
        too_deep.clean()


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "America", "../etc/passwd"])
def test_meeting_clean_refuses_an_unknown_time_zone(name):
    meeting = MeetingFactory.build(timezone=name)
    with pytest.raises(ValidationError, match="not a known time zone"):
        meeting.clean()


def test_every_model_has_an_absolute_url():
    action = ActionItemFactory()
    section = SectionFactory(meeting=action.meeting)
    attendance = AttendanceFactory(meeting=action.meeting)
    alias = PersonAliasFactory(person=attendance.person)
    urls = [
        action.get_absolute_url(),
        action.meeting.get_absolute_url(),
        action.series.get_absolute_url(),
        section.get_absolute_url(),
        attendance.get_absolute_url(),
        attendance.person.get_absolute_url(),
        attendance.person.organisation.get_absolute_url(),
        alias.get_absolute_url(),
    ]
    assert all(url.startswith("/") for url in urls)
    assert section.get_absolute_url().endswith(f"#section-{section.pk}")


def test_deleting_a_successor_reopens_the_action_it_superseded():
    successor = ActionItemFactory()
    action = ActionItemFactory(meeting=successor.meeting)
    action.status, action.superseded_by = "superseded", successor
    action.save()
    successor.delete()
    action.refresh_from_db()
    assert (action.status, action.superseded_by) == ("open", None)
    assert action.history.first().status == "open"  # recorded, not silent
