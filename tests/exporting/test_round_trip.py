"""Export every meeting, import the files into an emptied database, and find
the same meetings: attendance, sections and bodies, actions and statuses."""

import datetime

from meetings.importing.people import load_people
from meetings.importing.run import MinutesImport
from meetings.management.commands.load_sample_data import load_sample
from tests.exporting.snapshot import (
    differences,
    empty_database,
    export_all,
    people_directory,
    snapshot,
)


def round_trip() -> tuple[dict, dict, object]:
    """Export, empty the database, load the people directory again (as an
    import with ``--people`` would) and import the exports."""
    before = snapshot()
    files, people = export_all(), people_directory()
    empty_database()

    load_people(people)
    report = MinutesImport().run(files)

    return before, snapshot(), report


def test_sample_data_survives_export_and_import(db):
    load_sample(today=datetime.date(2025, 6, 15))

    before, after, report = round_trip()

    assert [f.message for f in report.failed] == []
    assert differences(before, after) == []
