"""Minutes exported as Markdown (``meetings.exporting.markdown``)."""

import datetime
from pathlib import Path

import pytest
import yaml

from meetings.exporting.markdown import export_meeting, export_path
from meetings.importing.parser import parse_minutes, parse_minutes_bytes
from meetings.importing.writer import write_minutes
from meetings.models import ActionItem, ActionLink, Attendance, Meeting
from tests.factories import (
    ActionItemFactory,
    ActionUpdateFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    SectionFactory,
    SeriesFactory,
)

CORPUS = Path("/work/shared/corpus/minutes")


def exported(meeting):
    return export_meeting(Meeting.objects.with_tree().get(pk=meeting.pk))


@pytest.fixture
def site_meeting(monthly, directory_people):
    """A meeting typed in on the site: nothing of it came from a file."""
    ada, bram, carla = (directory_people[k] for k in ("ada", "bram", "carla"))
    meeting = MeetingFactory(
        series=monthly,
        number=7,
        title="Meeting 7 *special*",
        date=datetime.date(2021, 3, 3),
        start_time=datetime.time(14, 0),
        location="Room 1",
        notes="Opening words.",
        chair=ada,
    )
    meeting.scribes.set([bram])
    AttendanceFactory(meeting=meeting, person=ada, note="joined late, left early")
    AttendanceFactory(meeting=meeting, person=bram, status=Attendance.Status.REMOTE)
    AttendanceFactory(meeting=meeting, person=carla, status=Attendance.Status.APOLOGIES)
    reports = SectionFactory(
        meeting=meeting, title="Reports [draft] #1", body="Text | pipe", position=0
    )
    SectionFactory(meeting=meeting, parent=reports, title="Site one", position=0)
    guide = ActionItemFactory(
        meeting=meeting,
        reference="7.01",
        description="Write | the guide",
        owners=[ada, bram],
        owner_organisation=OrganisationFactory(short_name="RNS"),
        due_date=datetime.date(2021, 4, 1),
    )
    roadmap = ActionItemFactory(
        meeting=meeting,
        reference="7.02",
        description="Read the roadmap",
        owners_text="All",
        status=ActionItem.Status.IN_PROGRESS,
    )
    ActionLink.objects.create(source=roadmap, target=guide, kind="see_also")
    return meeting


def test_front_matter_carries_the_meeting_fields(site_meeting):
    text = exported(site_meeting)
    front = yaml.safe_load(text.split("---\n")[1])

    assert front == {
        "title": "Meeting 7 *special*",
        "date": datetime.date(2021, 3, 3),
        "time": "14:00",
        "number": 7,
        "series": "monthly",
        "chair": "Ada Example",
        "scribe": "Bram Sample",
        "location": "Room 1",
    }


def test_sections_become_headings_nested_by_depth(site_meeting):
    text = exported(site_meeting)

    assert "\n## Reports \\[draft\\] \\#1\n\nText | pipe\n\n### Site one\n" in text
    assert "Opening words." in text


def test_attendance_and_actions_typed_in_on_the_site_are_written_out(site_meeting):
    text = exported(site_meeting)

    assert (
        "Present: Ada Example (joined late; left early), Bram Sample (remote)" in text
    )
    assert "Apologies: Carla Placeholder" in text
    assert (
        "| 7.01 | Write \\| the guide | Ada Example, Bram Sample, RNS | Open |  "
        "| 2021-04-01 |"
    ) in text
    assert "| 7.02 | Read the roadmap | All | In progress | See also 7.01 |  |" in text


def test_export_imports_back_into_the_same_meeting(site_meeting, directory_people):
    copy_series = SeriesFactory(slug="copy")

    result = write_minutes(
        parse_minutes(exported(site_meeting)), source="copy.md", series=copy_series
    )
    copy = Meeting.objects.with_tree().get(pk=result.meeting.pk)

    assert result.created_people == []
    assert (copy.title, copy.number, copy.date) == (
        "Meeting 7 *special*",
        7,
        site_meeting.date,
    )
    assert (copy.start_time, copy.location, copy.chair) == (
        datetime.time(14, 0),
        "Room 1",
        directory_people["ada"],
    )
    assert _attendance(copy) == _attendance(site_meeting)
    # The written-out attendance and actions come back as sections of their own.
    assert _tree(copy)[:-2] == _tree(site_meeting)
    assert [title for _, title, _ in _tree(copy)[-2:]] == ["Attendance", "Actions"]
    assert _actions(copy) == _actions(site_meeting)
    link = ActionLink.objects.get(source__meeting=copy)
    assert (link.source.reference, link.kind, link.target.reference) == (
        "7.02",
        "see_also",
        "7.01",
    )


def _attendance(meeting):
    return sorted(
        (a.person.name, a.status, a.note.replace(",", ";"))
        for a in meeting.attendances.all()
    )


def _tree(meeting):
    """Depth, title and body of each section, depth first."""
    rows = []

    def walk(nodes):
        for node in nodes:
            rows.append((node.depth, node.section.title, node.section.body))
            walk(node.children)

    walk(meeting.section_tree())
    return rows


def _actions(meeting):
    return sorted(
        (
            a.reference,
            a.description,
            a.status,
            a.due_date,
            a.owners_text,
            sorted(p.name for p in a.owners.all()),
            str(a.owner_organisation),
        )
        for a in meeting.actions_raised.all()
    )


def test_reviewed_actions_are_written_with_that_meetings_status(site_meeting):
    later = MeetingFactory(series=site_meeting.series, number=8)
    ActionUpdateFactory(
        action=ActionItem.objects.get(reference="7.01"),
        meeting=later,
        status=ActionItem.Status.DONE,
        comment="On the wiki",
    )

    text = exported(later)

    assert "| 7.01 | Write \\| the guide |" in text
    assert "| Done | On the wiki | 2021-04-01 |" in text


def test_an_imported_meeting_exports_its_own_text_without_repeating_it(
    monthly, directory_people
):
    source = (
        "---\ntitle: Meeting 9\ndate: 2021-05-05\n---\n\n## Present\n\n"
        "Present: Ada Example, Bram Sample\n\n## Actions\n\n"
        "| Ref | Description | Owners | Status |\n|---|---|---|---|\n"
        "| 9.01 | Book the room | AE | Done |\n"
    )
    parsed = parse_minutes(source)
    meeting = write_minutes(parsed, source="m9.md", series=monthly).meeting

    text = exported(meeting)

    assert text.count("Ada Example") == 1
    assert text.count("9.01") == 1
    assert "## Attendance" not in text


def test_actions_added_after_an_import_are_appended(monthly, directory_people):
    source = (
        "---\ntitle: Meeting 9\ndate: 2021-05-05\n---\n\n## Actions\n\n"
        "| Ref | Description | Owners | Status |\n|---|---|---|---|\n"
        "| 9.01 | Book the room | AE | Done |\n"
    )
    parsed = parse_minutes(source)
    meeting = write_minutes(parsed, source="m9.md", series=monthly).meeting
    ActionItemFactory(meeting=meeting, reference="9.02", description="Added later")

    text = exported(meeting)

    assert text.count("9.01") == 1
    assert text.endswith("| 9.02 | Added later |  | Open |  |  |\n")


def test_export_costs_the_same_queries_for_small_and_large_meetings(
    site_meeting, django_assert_num_queries
):
    small = Meeting.objects.with_tree().get(pk=site_meeting.pk)
    with django_assert_num_queries(2):
        export_meeting(small)

    for number in range(3, 23):
        SectionFactory(meeting=site_meeting, title=f"More {number}", position=number)
        ActionItemFactory(meeting=site_meeting, reference=f"7.{number:02d}")
        AttendanceFactory(meeting=site_meeting)
    large = Meeting.objects.with_tree().get(pk=site_meeting.pk)
    with django_assert_num_queries(2):
        export_meeting(large)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("monthly/2021/meeting-7.md", "monthly/2021/meeting-7.md"),
        ("../../etc/passwd", "monthly/2021-03-03-meeting-7.md"),
        ("/abs/path.md", "monthly/2021-03-03-meeting-7.md"),
        ("", "monthly/2021-03-03-meeting-7.md"),
    ],
)
def test_export_path_goes_back_to_the_source_when_it_is_safe(monthly, source, expected):
    meeting = MeetingFactory(
        series=monthly, title="Meeting 7", date=datetime.date(2021, 3, 3), source=source
    )

    assert export_path(meeting) == expected


EXPECTED = Path("/work/shared/corpus/expected")


@pytest.mark.skipif(not EXPECTED.is_dir(), reason="the archive corpus is absent")
@pytest.mark.parametrize(
    "name", sorted(p.stem for p in EXPECTED.glob("*.json")) if EXPECTED.is_dir() else []
)
def test_archive_files_survive_import_and_export(db, name):
    """Import a real archive file, export it and parse both: the parser sees
    the same meeting in each."""
    for slug in ("monthly", "face-to-face", "steering-group", "other"):
        SeriesFactory(slug=slug, name=slug)
    path = CORPUS / f"{name}.md"
    # A few archive files state no date; any date will do for this test.
    original = parse_minutes_bytes(
        path.read_bytes(), filename=path.name, default_date=datetime.date(2000, 1, 1)
    )
    meeting = write_minutes(original, source=path.name).meeting

    again = parse_minutes(exported(meeting))

    before, after = original.to_expected_dict(), again.to_expected_dict()
    for key in ("title", "date", "number", "attendees", "apologies", "absent"):
        assert after[key] == before[key], key
    assert [s["title"] for s in after["sections"]] == [
        s["title"] for s in before["sections"]
    ]
    assert [a["ref"] for a in after["actions"]] == [a["ref"] for a in before["actions"]]
