"""POST a Markdown file to /api/meetings/import/: the same parser and writer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Meeting
from tests.factories import SeriesFactory

pytestmark = pytest.mark.django_db

URL = "/api/meetings/import/"
MINUTES = """---
title: Collaboration meeting 12
date: 2024-05-02
---
## Attendance
Present: Ada Example, Bram Sample
Apologies: Carla Placeholder

## Site updates
Ada: the detector is back.

## Actions
| Ref | Action | Who | Status |
|---|---|---|---|
| 12.01 | Send the slides | Ada Example | |
"""


@pytest.fixture
def series():
    return SeriesFactory(slug="monthly")


def upload(text: str = MINUTES, name: str = "meeting-12.md") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/markdown")


def test_a_dry_run_returns_the_parsed_structure_and_writes_nothing(scribe_api, series):
    response = scribe_api.post(
        f"{URL}?dry_run=1", {"file": upload(), "series": "monthly"}, format="multipart"
    )
    assert response.status_code == 200
    parsed = response.json()["parsed"]
    assert (parsed["title"], parsed["date"], parsed["number"]) == (
        "Collaboration meeting 12",
        "2024-05-02",
        12,
    )
    assert parsed["apologies"] == ["Carla Placeholder"]
    assert [a["ref"] for a in parsed["actions"]] == ["12.01"]
    assert not Meeting.objects.exists()


def test_importing_creates_a_draft_and_the_same_file_again_changes_nothing(
    scribe_api, series
):
    first = scribe_api.post(
        URL, {"file": upload(), "series": "monthly"}, format="multipart"
    )
    assert first.status_code == 201
    meeting = Meeting.objects.get()
    assert meeting.status == "draft" and meeting.number == 12
    assert first.json()["id"] == meeting.pk
    assert first.headers["ETag"]

    again = scribe_api.post(
        URL, {"text": MINUTES, "series": "monthly"}, format="multipart"
    )
    assert again.status_code == 200
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"text": "---\ntitle: [unclosed\n---\n"}, "text", "Line"),
        ({"text": "# Notes\n\nNo date anywhere."}, "date", "date"),
        ({}, "text", "Upload a file or paste"),
        ({"file": "binary"}, "file", ""),
    ],
)
def test_bad_uploads_get_a_400_naming_the_problem(
    scribe_api, series, data, field, words
):
    if data.get("file") == "binary":
        data = {"file": SimpleUploadedFile("x.md", b"\xff\xfe\x00bad")}
    response = scribe_api.post(URL, {**data, "series": "monthly"}, format="multipart")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e["field"] == field and words in e["message"] for e in errors), errors
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("chair", 201)])
def test_only_editors_may_import(api_client, series, persona, status):
    response = api_client(persona).post(
        URL, {"file": upload(), "series": "monthly"}, format="multipart"
    )
    assert response.status_code == status


def test_an_unknown_series_is_a_field_error(scribe_api, series):
    response = scribe_api.post(
        URL, {"file": upload(), "series": "nope"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "series"
