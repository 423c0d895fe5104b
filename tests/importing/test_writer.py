"""Writing parsed minutes into the database (``meetings.importing.writer``)."""

import datetime
from textwrap import dedent

import pytest

from meetings.importing import action_writer
from meetings.importing.action_writer import read_status
from meetings.importing.parser import parse_minutes
from meetings.importing.writer import (
    MinutesWriteError,
    edited_since_import,
    write_minutes,
)
from meetings.models import (
    ActionItem,
    ActionLink,
    ActionUpdate,
    Attendance,
    Meeting,
    Person,
    Section,
)
from tests.factories import MeetingFactory, SeriesFactory

MEETING_7 = """\
---
title: Meeting 7 - 3 March 2021
date: 2021-03-03
chair: Ada
scribe: Bram Sample
---

Opening words.

## Attendance

Present: Ada Example (AE), Bram Sample (remote), Carlita, Dana Madeup

Apologies: Edda Mockridge

## Reports

### Site one

Scheduler work. | not a table

## Actions

| Ref | Description | Owners | Status | Comment |
| --- | --- | --- | --- | --- |
| 7.01 | Write the ingest guide | AE/BS | In progress | draft shared |
| 7.02 | Check the tape firmware | NLS | . | |
| 7.03 | Everyone reads the roadmap | All | Done | |
"""

MEETING_8 = """\
---
title: Meeting 8 - 7 April 2021
date: 2021-04-07
---

## Actions

| Ref | Description | Owners | Status | Comment |
| --- | --- | --- | --- | --- |
| 7.01 | Write the ingest guide | AE/BS | Done | published on the wiki |
| 8.01 | Plan the next workshop | CP | | See also 7.02 |
"""


def write(text, source="monthly/meeting-7.md", **kwargs):
    return write_minutes(parse_minutes(dedent(text)), source=source, **kwargs)


@pytest.fixture
def meeting_7(monthly, directory_people):
    return write(MEETING_7, series=monthly).meeting


def test_import_creates_the_meeting_with_its_parts(meeting_7, directory_people):
    meeting = Meeting.objects.get(pk=meeting_7.pk)

    assert meeting.title == "Meeting 7 - 3 March 2021"
    assert meeting.number == 7
    assert meeting.date == datetime.date(2021, 3, 3)
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.notes == "Opening words."
    assert meeting.chair == directory_people["ada"]
    assert list(meeting.scribes.all()) == [directory_people["bram"]]
    assert [s.title for s in meeting.sections.order_by("pk")] == [
        "Attendance",
        "Reports",
        "Site one",
        "Actions",
    ]
    assert meeting.sections.get(title="Site one").parent.title == "Reports"
    assert not edited_since_import(meeting)


def test_names_resolve_through_names_initials_and_aliases(meeting_7, directory_people):
    statuses = dict(meeting_7.attendances.values_list("person__name", "status"))

    assert statuses["Ada Example"] == Attendance.Status.PRESENT
    assert statuses["Bram Sample"] == Attendance.Status.REMOTE
    assert statuses["Carla Placeholder"] == Attendance.Status.PRESENT
    assert (
        Person.objects.filter(name__in=["Ada Example", "Carla Placeholder"]).count()
        == 2
    )


def test_unknown_people_are_created_and_reported(monthly, directory_people):
    result = write(MEETING_7, series=monthly)

    assert sorted(p.name for p in result.created_people) == [
        "Dana Madeup",
        "Edda Mockridge",
    ]
    edda = result.meeting.attendances.get(person__name="Edda Mockridge")
    assert edda.status == Attendance.Status.APOLOGIES
    assert any("Dana Madeup" in str(w) for w in result.warnings)


def test_ambiguous_name_is_left_out_with_a_warning(monthly, directory_people):
    directory_people["ada"].aliases.create(alias="Sam")
    directory_people["bram"].aliases.create(alias="Sam")
    text = MEETING_7.replace("Dana Madeup", "Sam")

    result = write(text, series=monthly)

    assert not result.meeting.attendances.filter(person__name="Sam").exists()
    assert any("'Sam' could be any of" in str(w) for w in result.warnings)


def test_actions_get_owners_status_and_comment(meeting_7, directory_people):
    guide = ActionItem.objects.get(reference="7.01")
    firmware = ActionItem.objects.get(reference="7.02")
    roadmap = ActionItem.objects.get(reference="7.03")

    assert set(guide.owners.all()) == {
        directory_people["ada"],
        directory_people["bram"],
    }
    assert guide.status == ActionItem.Status.IN_PROGRESS
    assert guide.updates.get().comment == "draft shared"
    assert guide.section.title == "Actions"
    assert firmware.owner_organisation.short_name == "NLS"
    assert firmware.status == ActionItem.Status.OPEN
    assert roadmap.owners_text == "All"
    assert roadmap.status == ActionItem.Status.DONE
    assert roadmap.closed_at == meeting_7


def test_a_later_meeting_records_updates_and_settles_status(meeting_7, monthly):
    later = write(MEETING_8, source="monthly/meeting-8.md", series=monthly).meeting
    guide = ActionItem.objects.get(reference="7.01")

    assert guide.meeting == meeting_7
    assert guide.status == ActionItem.Status.DONE
    assert guide.closed_at == later
    assert guide.updates.get(meeting=later).comment == "published on the wiki"
    link = ActionLink.objects.get()
    assert (link.source.reference, link.kind, link.target.reference) == (
        "8.01",
        "see_also",
        "7.02",
    )


def test_an_earlier_meeting_imported_second_takes_over_its_action(
    monthly, directory_people
):
    later = write(MEETING_8, source="monthly/meeting-8.md", series=monthly).meeting
    assert ActionItem.objects.get(reference="7.01").meeting == later

    earlier = write(MEETING_7, series=monthly).meeting
    guide = ActionItem.objects.get(reference="7.01")

    assert guide.meeting == earlier
    assert guide.status == ActionItem.Status.DONE
    assert guide.updates.get(meeting=later).comment == "published on the wiki"


def test_reimporting_an_unchanged_file_writes_nothing(
    monthly, directory_people, django_assert_max_num_queries
):
    first = write(MEETING_7, series=monthly, source_hash="abc")

    with django_assert_max_num_queries(3):
        again = write(MEETING_7, series=monthly, source_hash="abc")

    assert again.outcome == "unchanged"
    assert Meeting.objects.get().version == first.meeting.version


def test_reimporting_a_changed_file_replaces_it_and_keeps_action_rows(meeting_7):
    guide_pk = ActionItem.objects.get(reference="7.01").pk
    changed = MEETING_7.replace("### Site one", "### Site two").replace(
        "| 7.03 | Everyone reads the roadmap | All | Done | |\n", ""
    )

    result = write(changed, series=meeting_7.series, source_hash="new")

    assert result.outcome == "updated"
    assert Meeting.objects.count() == 1
    assert Section.objects.filter(title="Site two").count() == 1
    assert not Section.objects.filter(title="Site one").exists()
    assert ActionItem.objects.get(reference="7.01").pk == guide_pk
    assert not ActionItem.objects.filter(reference="7.03").exists()
    assert Attendance.objects.count() == 5


def test_reimport_is_refused_after_edits_on_the_site(meeting_7):
    section = meeting_7.sections.get(title="Reports")
    section.body = "Edited by the scribe."
    section.save()

    with pytest.raises(MinutesWriteError, match="edited on the site"):
        write(MEETING_7, series=meeting_7.series, source_hash="new")
    assert Section.objects.get(pk=section.pk).body == "Edited by the scribe."

    write(MEETING_7, series=meeting_7.series, source_hash="new", overwrite=True)
    assert not Section.objects.filter(body="Edited by the scribe.").exists()


def test_a_later_import_changing_an_action_is_not_an_edit(meeting_7, monthly):
    write(MEETING_8, source="monthly/meeting-8.md", series=monthly)

    assert not edited_since_import(Meeting.objects.get(pk=meeting_7.pk))


def test_actions_without_reference_are_numbered_the_same_each_time(monthly):
    text = """\
        ---
        title: Meeting 12
        date: 2022-01-10
        ---

        ACTION: Ada to book the room.

        ACTION: Bram to send the agenda.
        """
    first = write(text, series=monthly)
    references = sorted(first.meeting.actions_raised.values_list("reference", "pk"))

    write(text, series=monthly, source_hash="changed")

    assert [r for r, _ in references] == ["12.01", "12.02"]
    again = sorted(ActionItem.objects.values_list("reference", "pk"))
    assert again == references


@pytest.mark.parametrize(
    ("written", "status", "clean"),
    [
        (None, "open", True),
        ("Done", "done", True),
        ("done.", "done", True),
        ("Not done", "open", True),
        ("On-going", "in_progress", True),
        ("will not be done", "dropped", True),
        ("Done by Ada, see wiki", "done", False),
        ("Ticket #75", "open", False),
    ],
)
def test_status_cells_map_to_statuses(written, status, clean):
    assert read_status(written) == (status, clean)


def test_free_text_status_is_kept_in_the_comment(monthly):
    text = MEETING_7.replace("| All | Done |", "| All | Ticket #75 |")

    write(text, series=monthly)

    update = ActionUpdate.objects.get(action__reference="7.03")
    assert update.comment == "Status: Ticket #75"


def test_subsumed_action_is_superseded_by_its_successor(monthly):
    text = MEETING_7.replace(
        "| 7.02 | Check the tape firmware | NLS | . | |",
        "| 7.02 | Check the tape firmware | NLS | Superseded | Subsumed by 7.03 |",
    )

    write(text, series=monthly)

    firmware = ActionItem.objects.get(reference="7.02")
    assert firmware.status == ActionItem.Status.SUPERSEDED
    assert firmware.superseded_by.reference == "7.03"


def test_headings_deeper_than_sections_allow_move_up(monthly):
    text = "---\ntitle: Deep\ndate: 2022-02-02\n---\n\n" + "\n\n".join(
        f"{'#' * level} Level {level}\n\nText {level}." for level in range(1, 7)
    )

    result = write(text, series=monthly)

    deepest = result.meeting.sections.get(title="Level 6")
    assert deepest.parent.title == "Level 3"
    assert deepest.body == "Text 6."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("## Only a heading\n\nNo date anywhere.", "no date"),
        ("---\ndate: 2020-01-01\n---\n\nNo heading either.", "no title"),
    ],
)
def test_unusable_minutes_raise_a_clear_error(monthly, text, message):
    with pytest.raises(MinutesWriteError, match=message):
        write(text, series=monthly)
    assert not Meeting.objects.exists()


def test_unknown_series_is_refused(db):
    parsed = parse_minutes(MEETING_7, filename="steering-group/minutes.md")

    with pytest.raises(MinutesWriteError, match="no series with the slug"):
        write_minutes(parsed, source="x.md")


def test_meeting_number_used_by_another_meeting_is_refused(monthly):
    MeetingFactory(series=monthly, number=7, title="Typed in by hand")

    with pytest.raises(MinutesWriteError, match="number 7 is already used"):
        write(MEETING_7, series=monthly)
    assert Meeting.objects.count() == 1
    assert not Person.objects.exists()


def test_reimport_into_another_series_is_refused(meeting_7):
    with pytest.raises(MinutesWriteError, match="imported into the series"):
        write(MEETING_7, series=SeriesFactory(), source_hash="new")


def test_a_failure_midway_leaves_nothing_behind(monthly, monkeypatch):
    def fail(self, parsed_actions):
        raise MinutesWriteError("simulated failure")

    monkeypatch.setattr(action_writer.ActionWriter, "write", fail)

    with pytest.raises(MinutesWriteError):
        write(MEETING_7, series=monthly)
    assert not Meeting.objects.exists()
    assert not Section.objects.exists()
    assert not Person.objects.exists()


def test_publish_makes_new_meetings_published(monthly):
    meeting = write(MEETING_7, series=monthly, publish=True).meeting

    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.published_at is not None
