"""The whole archive corpus through the import command and the writer.

Skipped when the corpus is absent (see ``test_corpus``). The corpus is imported
once for this module, inside a transaction rolled back after its last test, so
that the tests below stay within a minute or so on a small CI machine.
"""

from __future__ import annotations

import json
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from meetings.importing.parser import parse_minutes_bytes
from meetings.importing.people import load_people, read_people_file
from meetings.importing.run import MinutesFile, MinutesImport
from meetings.importing.scoring import Score, format_report, score_file
from meetings.models import (
    ActionItem,
    ActionLink,
    ActionUpdate,
    Attendance,
    Meeting,
    Person,
    PersonAlias,
    Section,
    Series,
)
from tests.exporting.snapshot import (
    differences,
    empty_database,
    export_all,
    people_directory,
    snapshot,
)
from tests.importing.test_corpus import CORPUS, EXPECTED, MINUTES, REQUIRED_SCORE

pytestmark = pytest.mark.skipif(
    not MINUTES.is_dir(), reason=f"minutes corpus not found at {CORPUS}"
)
PEOPLE = CORPUS / "people.json"
HINT = "give the date with --date YYYY-MM-DD"
TABLES = (
    Series,
    Meeting,
    Section,
    Attendance,
    Person,
    PersonAlias,
    ActionItem,
    ActionUpdate,
    ActionLink,
)


def corpus_files() -> list[MinutesFile]:
    return [
        MinutesFile(p.name, p.read_bytes(), p) for p in sorted(MINUTES.glob("*.md"))
    ]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


@pytest.fixture(scope="module")
def corpus_import(django_db_setup, django_db_blocker):
    """The corpus imported into an empty database with its people file, as
    ``import_minutes --people people.json minutes/`` does."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert not Meeting.objects.exists()
        started = time.perf_counter()
        load_people(read_people_file(PEOPLE.read_bytes()))
        report = MinutesImport(date_hint=HINT).run(corpus_files())
        print(f"\ncorpus imported in {time.perf_counter() - started:.1f} s")
        yield report
        transaction.set_rollback(True)


def test_dry_run_as_json_reads_every_file_and_scores_the_hand_checked_ones():
    out, err = StringIO(), StringIO()
    # Files without a date make the dry run exit non-zero, after printing.
    with pytest.raises(CommandError, match="not imported"):
        call_command(
            "import_minutes",
            "--dry-run",
            "--json",
            str(MINUTES),
            stdout=out,
            stderr=err,
        )

    objects = {o["file"]: o for o in map(json.loads, out.getvalue().splitlines())}
    assert sorted(objects) == sorted(p.name for p in MINUTES.glob("*.md"))
    assert [name for name, o in objects.items() if "error" in o] == []
    assert "Traceback" not in err.getvalue()
    scores = {}
    for path in sorted(EXPECTED.glob("*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        scores[path.stem] = score_file(expected, objects[f"{path.stem}.md"])
    total = Score()
    for score in scores.values():
        total.merge(score)
    print(f"\n{format_report(scores)}\nfields right: {total.ratio:.1%}")
    assert total.ratio >= REQUIRED_SCORE


def test_every_file_with_a_date_is_imported_and_the_others_say_how_to_fix_it(
    corpus_import, db
):
    dated = {
        f.source
        for f in corpus_files()
        if parse_minutes_bytes(f.data, filename=f.source).date is not None
    }

    imported = {f.source for f in corpus_import.files if f.outcome == "created"}
    refused = {f.source: f.message for f in corpus_import.failed}

    print(f"\n{len(imported)} imported, {len(refused)} refused")
    assert imported == dated
    assert set(refused) == {f.source for f in corpus_files()} - dated
    assert all(message.endswith(HINT) for message in refused.values())
    assert Meeting.objects.count() == len(dated)


def test_importing_the_corpus_a_second_time_creates_nothing(corpus_import, db):
    before = row_counts()

    again = MinutesImport(date_hint=HINT).run(corpus_files())

    assert row_counts() == before
    assert {f.outcome for f in again.files} == {"unchanged", "failed"}
    assert again.count("unchanged") == corpus_import.count("created")
    assert again.totals() == {}


def test_the_corpus_survives_export_and_import_into_an_empty_database(
    corpus_import, db
):
    before = snapshot()
    files, people = export_all(), people_directory()
    empty_database()

    load_people(people)
    report = MinutesImport().run(files)

    assert [f.message for f in report.failed] == []
    assert differences(before, snapshot()) == []
