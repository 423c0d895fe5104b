"""Dry run of the parser over the real, pseudonymised archive of minutes.

The corpus lives outside the repository (``$MINUTES_CORPUS``, else the
repository's sibling ``shared/corpus``); these tests are skipped when it is
absent. Nothing from it is copied into the project.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from meetings.importing.parser import parse_minutes_bytes
from meetings.importing.scoring import Score, format_report, score_file

CORPUS = Path(
    os.environ.get("MINUTES_CORPUS")
    or Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
)
MINUTES = CORPUS / "minutes"
EXPECTED = CORPUS / "expected"
REQUIRED_SCORE = 0.98

pytestmark = pytest.mark.skipif(
    not MINUTES.is_dir(), reason=f"minutes corpus not found at {CORPUS}"
)


def _minutes_files() -> list[Path]:
    return sorted(MINUTES.glob("*.md")) if MINUTES.is_dir() else []


def test_every_corpus_file_parses_without_an_exception():
    """Each file parses; warnings are allowed, exceptions are not."""
    files = _minutes_files()
    assert files, f"no minutes in {MINUTES}"
    failures = []
    warned = 0
    for path in files:
        try:
            result = parse_minutes_bytes(path.read_bytes(), filename=path.name)
        except Exception as exc:
            failures.append(f"{path.name}: {type(exc).__name__}: {exc}")
            continue
        warned += bool(result.warnings)
        json.dumps(result.to_expected_dict())
    print(f"\n{len(files)} files parsed, {warned} with warnings")
    assert failures == []


def test_hand_checked_files_match_field_by_field():
    """Compare the parse of each file in ``expected/`` with its extraction.

    A field is one of: each scalar key (title, date, number, series, chair,
    scribe); each expected name in attendees/apologies/absent (right when the
    same list has it) plus each extra name produced; each expected section
    (level, title and parent all equal, matched in order) plus each extra
    section; for each expected action its ref, description, owners, status,
    comment and xrefs, plus each extra action. See
    ``meetings.importing.scoring``. At least 98% of fields must be right.
    """
    expected_files = sorted(EXPECTED.glob("*.json"))
    assert expected_files, f"no expected extractions in {EXPECTED}"
    scores: dict[str, Score] = {}
    for path in expected_files:
        minutes = MINUTES / f"{path.stem}.md"
        result = parse_minutes_bytes(minutes.read_bytes(), filename=minutes.name)
        expected = json.loads(path.read_text(encoding="utf-8"))
        scores[minutes.name] = score_file(expected, result.to_expected_dict())
    print("\n" + format_report(scores))
    total = Score()
    for score in scores.values():
        total.merge(score)
    assert total.ratio >= REQUIRED_SCORE, format_report(scores)
