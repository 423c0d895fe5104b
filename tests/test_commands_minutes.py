"""The ``import_minutes``, ``export_minutes`` and ``bench_import`` commands."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meetings.importing import action_writer
from meetings.importing.writer import MinutesWriteError
from meetings.models import ActionLink, Meeting, Person, Section, Series
from tests.factories import MeetingFactory, SeriesFactory

MINUTES = "---\ntitle: Meeting {n}\ndate: 2021-0{n}-01\n---\n\n## Notes\n\nText {n}.\n"

# Meeting 1 points at an action that meeting 2 raises, and at one nobody raises.
LINKING = """\
---
title: Meeting 1
date: 2021-01-01
---

Present: Ada Example, Zed Newcomer

## Actions

| Ref | Description | Owners | Status | Comment |
| --- | --- | --- | --- | --- |
| 1.01 | Draft the plan | AE | Open | See 2.01 |
| 1.02 | Count the tapes | AE | Open | See 9.99 |
"""
LINKED = """\
---
title: Meeting 2
date: 2021-02-01
---

Present: Zed Newcomer

## Actions

| Ref | Description | Owners | Status |
| --- | --- | --- | --- |
| 2.01 | Publish the plan | AE | Open |
"""

PEOPLE = [
    {
        "name": "Ada Example",
        "initials": ["AE"],
        "variants": ["Ada"],
        "organisation": "NLS",
    }
]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    """Run a command expected to exit non-zero; its output and the error."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(raised.value)


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive" / "monthly-meetings"
    folder.mkdir(parents=True)
    for n in (1, 2):
        (folder / f"meeting-{n}.md").write_text(MINUTES.format(n=n))
    return tmp_path / "archive"


@pytest.fixture
def linking_archive(tmp_path):
    folder = tmp_path / "linking" / "monthly"
    folder.mkdir(parents=True)
    (folder / "meeting-1.md").write_text(LINKING)
    (folder / "meeting-2.md").write_text(LINKED)
    return tmp_path / "linking"


@pytest.fixture
def people_file(tmp_path):
    path = tmp_path / "people.json"
    path.write_text(json.dumps(PEOPLE))
    return path


# Importing ----------------------------------------------------------------------


def test_import_reads_a_folder_and_skips_it_the_second_time(monthly, archive):
    first, _ = run("import_minutes", str(archive))
    second, _ = run("import_minutes", str(archive))

    assert "Files: 2 read; 2 imported, 0 updated, 0 unchanged" in first
    assert "Files: 2 read; 0 imported, 0 updated, 2 unchanged" in second
    assert sorted(Meeting.objects.values_list("source", flat=True)) == [
        "monthly-meetings/meeting-1.md",
        "monthly-meetings/meeting-2.md",
    ]


def test_importing_into_an_empty_database_creates_the_series(db, archive):
    out, _ = run("import_minutes", str(archive))

    series = Series.objects.get()
    assert (series.slug, series.name) == ("monthly", "Monthly meeting")
    assert "Series created: Monthly meeting." in out
    assert Meeting.objects.filter(series=series).count() == 2


def test_a_series_named_on_the_command_line_is_created_when_missing(db, tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Steering notes\n\nNo date in here.\n")

    out, _ = run(
        "import_minutes", str(path), "--series", "steering", "--date", "2024-05-02"
    )

    meeting = Meeting.objects.get()
    assert (meeting.series.slug, meeting.series.name) == ("steering", "Steering")
    assert str(meeting.date) == "2024-05-02"
    assert "Series created: Steering." in out


def test_a_series_that_is_not_a_slug_is_refused(db, archive):
    _, _, error = run_failing("import_minutes", str(archive), "--series", "Big Ones")

    assert "--series 'Big Ones' is not a slug" in error
    assert not Series.objects.exists()


def test_a_date_that_is_not_a_date_is_refused(db, archive):
    _, _, error = run_failing("import_minutes", str(archive), "--date", "1 May")

    assert "--date '1 May' is not a date (YYYY-MM-DD)" in error


def test_a_missing_path_is_named(db, tmp_path):
    _, _, error = run_failing("import_minutes", str(tmp_path / "nowhere"))

    assert "nowhere: no such file or folder" in error


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe not text", "broken.md: line 1: the file is UTF-16"),
        (b"---\ntitle: A\ndate: [2021\n---\n", "broken.md: line 3: front matter is"),
        (b"", "broken.md: the file is empty"),
        (b"## Notes\n\nNo date.\n", "give the date with --date YYYY-MM-DD"),
        (b"---\ntitle: X\ndate: 2021-02-30\n---\n", "broken.md: line 3: impossible"),
    ],
)
def test_a_bad_file_is_named_with_line_and_reason_and_the_others_import(
    monthly, archive, content, reason
):
    (archive / "monthly-meetings" / "broken.md").write_bytes(content)

    out, err, error = run_failing("import_minutes", str(archive))

    assert reason in err
    assert "2 imported, 0 updated, 0 unchanged, 0 skipped, 1 failed" in out
    assert error == "1 file(s) not imported (listed above)."
    assert Meeting.objects.count() == 2


def test_a_meeting_edited_since_its_import_is_skipped_unless_forced(monthly, archive):
    run("import_minutes", str(archive))
    section = Section.objects.get(body="Text 1.")
    section.body = "Edited on the site."
    section.save()
    path = archive / "monthly-meetings" / "meeting-1.md"
    path.write_text(MINUTES.format(n=1).replace("Text 1.", "Text one."))

    skipped, _ = run("import_minutes", str(archive))
    assert "meeting-1.md: skipped: Meeting 1" in skipped
    assert "0 unchanged, 1 skipped" not in skipped
    assert "1 unchanged, 1 skipped, 0 failed" in skipped
    assert Section.objects.filter(body="Edited on the site.").exists()

    forced, _ = run("import_minutes", str(archive), "--force")
    assert "1 updated, 1 unchanged, 0 skipped" in forced
    assert not Section.objects.filter(body="Edited on the site.").exists()


def test_overwrite_is_another_name_for_force(monthly, archive):
    run("import_minutes", str(archive))
    Section.objects.filter(body="Text 1.").update(body="Edited")
    Meeting.objects.filter(title="Meeting 1").update(version=99)
    (archive / "monthly-meetings" / "meeting-1.md").write_text(
        MINUTES.format(n=1) + "More."
    )

    out, _ = run("import_minutes", str(archive), "--overwrite")

    assert "1 updated" in out


def test_the_summary_counts_people_actions_and_what_was_partly_recognised(
    db, linking_archive
):
    out, _ = run("import_minutes", str(linking_archive))

    assert "Files: 2 read; 2 imported" in out
    assert "People created: 2." in out
    assert "Actions: 3 created, 0 updates recorded, 1 links made." in out
    assert "Partly recognised: 1 file(s), 3 warning(s) (listed with -v 2)." in out
    assert "is not in the directory" not in out


def test_warnings_are_listed_with_verbosity_2(db, linking_archive):
    out, _ = run("import_minutes", str(linking_archive), "-v", "2")

    assert "monthly/meeting-1.md: 'Zed Newcomer' is not in the directory" in out


def test_a_link_to_an_action_of_a_later_file_is_made_at_the_end(db, linking_archive):
    out, _ = run("import_minutes", str(linking_archive), "-v", "2")

    link = ActionLink.objects.get()
    assert (link.source.reference, link.kind, link.target.reference) == (
        "1.01",
        "see",
        "2.01",
    )
    assert (
        "monthly/meeting-1.md: line 13: action 1.02 refers to 9.99, which no "
        "imported meeting raises; link left out"
    ) in out


def test_people_a_failed_file_added_are_not_used_by_the_next(
    db, linking_archive, monkeypatch
):
    # Meeting 1 fails after creating "Zed Newcomer"; that row is rolled back,
    # so meeting 2 must create him again rather than point at the lost row.
    write = action_writer.ActionWriter.write

    def fail_for_meeting_1(self, parsed_actions):
        if self.meeting.title == "Meeting 1":
            raise MinutesWriteError("simulated failure")
        return write(self, parsed_actions)

    monkeypatch.setattr(action_writer.ActionWriter, "write", fail_for_meeting_1)

    out, err, _ = run_failing("import_minutes", str(linking_archive))

    assert "monthly/meeting-1.md: simulated failure" in err
    assert "1 imported" in out
    assert list(Person.objects.values_list("name", flat=True)) == ["Zed Newcomer"]
    assert Meeting.objects.get().attendances.get().person.name == "Zed Newcomer"


def test_people_file_preloads_the_directory_once(db, linking_archive, people_file):
    first, _ = run("import_minutes", str(linking_archive), "--people", str(people_file))
    again, _ = run("import_minutes", str(linking_archive), "--people", str(people_file))

    assert "1 people created, 0 completed, 1 aliases added" in first
    assert "People created: 1." in first  # only Zed Newcomer
    assert "0 people created, 0 completed, 0 aliases added" in again
    assert Person.objects.filter(name="Ada Example").count() == 1


def test_a_malformed_people_file_stops_before_anything_is_written(
    db, linking_archive, tmp_path
):
    bad = tmp_path / "people.json"
    bad.write_text('[{"name": "Ada Example", "variants": "Ada"}]')

    _, _, error = run_failing(
        "import_minutes", str(linking_archive), "--people", str(bad)
    )

    assert error == (
        f"{bad}: entry 1 (Ada Example): 'variants' must be a list of strings. "
        "Nothing was imported."
    )
    assert not Person.objects.exists()
    assert not Meeting.objects.exists()


# Dry runs -----------------------------------------------------------------------


def test_dry_run_as_json_prints_one_object_per_file_and_writes_nothing(
    db, linking_archive
):
    out, _ = run("import_minutes", "--dry-run", "--json", str(linking_archive))

    objects = [json.loads(line) for line in out.splitlines()]
    assert [o["file"] for o in objects] == [
        "monthly/meeting-1.md",
        "monthly/meeting-2.md",
    ]
    first = objects[0]
    assert list(first)[1:] == [
        "title",
        "date",
        "number",
        "series",
        "chair",
        "scribe",
        "attendees",
        "apologies",
        "absent",
        "sections",
        "actions",
    ]
    assert (first["title"], first["date"], first["series"]) == (
        "Meeting 1",
        "2021-01-01",
        "monthly",
    )
    assert first["attendees"] == ["Ada Example", "Zed Newcomer"]
    assert first["actions"][0]["xrefs"] == [{"type": "see", "ref": "2.01"}]
    assert not Meeting.objects.exists()
    assert not Series.objects.exists()


def test_dry_run_as_json_gives_an_error_object_for_a_file_that_does_not_parse(
    db, tmp_path
):
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\n")

    out, err, _ = run_failing("import_minutes", "--dry-run", "--json", str(path))

    assert json.loads(out) == {
        "file": "bad.md",
        "error": {"line": 2, "message": json.loads(out)["error"]["message"]},
    }
    assert "front matter is not valid YAML" in err


def test_dry_run_describes_each_file_and_what_would_happen(monthly, archive):
    run("import_minutes", str(archive))
    (archive / "monthly-meetings" / "meeting-3.md").write_text(MINUTES.format(n=3))

    out, _ = run("import_minutes", "--dry-run", str(archive))

    assert (
        "monthly-meetings/meeting-3.md: 'Meeting 3', 2021-03-01, number 3, "
        "series monthly, 0 present, 0 apologies, 0 absent, 1 sections, 0 actions, "
        "0 warnings; would create"
    ) in out
    assert "meeting-1.md: 'Meeting 1', 2021-01-01" in out
    assert "unchanged since its import as meeting" in out
    assert "nothing was written" in out
    assert Meeting.objects.count() == 2


def test_dry_run_names_files_that_would_be_refused(db, tmp_path):
    path = tmp_path / "undated.md"
    path.write_text("# Notes\n\nNo date.\n")

    out, _, error = run_failing("import_minutes", "--dry-run", str(path))

    assert "undated.md: 'Notes', no date" in out
    assert "would fail: no date found" in out
    assert error == "1 file(s) not imported (listed above)."


def test_json_without_dry_run_is_refused(db, archive):
    _, _, error = run_failing("import_minutes", "--json", str(archive))

    assert error == "--json goes with --dry-run."


# Exporting ----------------------------------------------------------------------


def test_export_writes_files_that_import_again(monthly, archive, tmp_path):
    run("import_minutes", str(archive))
    out = tmp_path / "out"

    message, _ = run("export_minutes", str(out))

    assert "Wrote 2 file(s)" in message
    exported = out / "monthly-meetings" / "meeting-1.md"
    assert exported.read_text().startswith("---\ntitle: Meeting 1\n")
    Meeting.objects.all().delete()
    created, _ = run("import_minutes", str(out))
    assert "2 imported" in created


def test_export_of_one_meeting_to_stdout(monthly):
    meeting = MeetingFactory(series=monthly, title="Only this one")
    MeetingFactory(series=monthly, title="Not this one")

    text, _ = run("export_minutes", "-", "--meeting", str(meeting.pk))

    assert "title: Only this one" in text
    assert "Not this one" not in text


def test_export_with_nothing_to_export_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="No meeting matches"):
        run("export_minutes", str(tmp_path), "--published")


# Benchmark ----------------------------------------------------------------------


def test_bench_import_reports_its_figures_and_rolls_back(db, archive):
    out, _ = run("bench_import", str(archive), "--no-tracemalloc")

    assert "2 files in " in out
    assert "(2 imported, 0 failed)" in out
    assert "per file)" in out
    assert "maximum resident (ru_maxrss)" in out
    assert not Meeting.objects.exists()
    assert not Series.objects.exists()


def test_bench_import_measures_the_heap_with_tracemalloc(db, archive):
    out, _ = run("bench_import", str(archive))

    assert "MB heap peak (tracemalloc)" in out


def test_bench_import_refuses_a_database_with_meetings_unless_asked(db, archive):
    existing = MeetingFactory(series=SeriesFactory(slug="monthly"))

    _, _, error = run_failing("bench_import", str(archive))
    out, _ = run("bench_import", str(archive), "--empty-first", "--no-tracemalloc")

    assert "The database has meetings" in error
    assert "(2 imported, 0 failed)" in out
    assert list(Meeting.objects.all()) == [existing]
