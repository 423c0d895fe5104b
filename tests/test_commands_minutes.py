"""The ``import_minutes`` and ``export_minutes`` management commands."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meetings.models import Meeting
from tests.factories import MeetingFactory, SeriesFactory

MINUTES = "---\ntitle: Meeting {n}\ndate: 2021-0{n}-01\n---\n\n## Notes\n\nText {n}.\n"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive" / "monthly-meetings"
    folder.mkdir(parents=True)
    for n in (1, 2):
        (folder / f"meeting-{n}.md").write_text(MINUTES.format(n=n))
    return tmp_path / "archive"


def test_import_reads_a_folder_and_skips_it_the_second_time(monthly, archive):
    first, _ = run("import_minutes", str(archive))
    second, _ = run("import_minutes", str(archive))

    assert "Meetings: 2 created." in first
    assert "Meetings: 2 unchanged." in second
    assert sorted(Meeting.objects.values_list("source", flat=True)) == [
        "monthly-meetings/meeting-1.md",
        "monthly-meetings/meeting-2.md",
    ]


def test_a_bad_file_is_reported_and_the_others_are_imported(monthly, archive):
    (archive / "monthly-meetings" / "broken.md").write_bytes(b"\xff\xfe not text")

    with pytest.raises(CommandError, match="1 file"):
        run("import_minutes", str(archive))

    assert Meeting.objects.count() == 2


def test_import_into_a_named_series_with_a_default_date(db, tmp_path):
    SeriesFactory(slug="steering")
    path = tmp_path / "notes.md"
    path.write_text("# Steering notes\n\nNo date in here.\n")

    run("import_minutes", str(path), "--series", "steering", "--date", "2024-05-02")

    meeting = Meeting.objects.get()
    assert (meeting.series.slug, str(meeting.date)) == ("steering", "2024-05-02")


def test_import_names_the_known_series_when_one_is_unknown(monthly, archive):
    with pytest.raises(CommandError, match="known: monthly"):
        run("import_minutes", str(archive), "--series", "nope")


def test_export_writes_files_that_import_again(monthly, archive, tmp_path):
    run("import_minutes", str(archive))
    out = tmp_path / "out"

    message, _ = run("export_minutes", str(out))

    assert "Wrote 2 file(s)" in message
    exported = out / "monthly-meetings" / "meeting-1.md"
    assert exported.read_text().startswith("---\ntitle: Meeting 1\n")
    Meeting.objects.all().delete()
    created, _ = run("import_minutes", str(out))
    assert "Meetings: 2 created." in created


def test_export_of_one_meeting_to_stdout(monthly):
    meeting = MeetingFactory(series=monthly, title="Only this one")
    MeetingFactory(series=monthly, title="Not this one")

    text, _ = run("export_minutes", "-", "--meeting", str(meeting.pk))

    assert "title: Only this one" in text
    assert "Not this one" not in text


def test_export_with_nothing_to_export_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="No meeting matches"):
        run("export_minutes", str(tmp_path), "--published")
