"""The register as CSV: same filters, safe in spreadsheets, UTF-8 with a BOM."""

import csv
import io

import pytest
from django.urls import reverse

from meetings.exporting.csv import HEADER, spreadsheet_safe
from tests.factories import ActionItemFactory, MeetingFactory

URL = reverse("meetings:action-csv")


def download(client, query=""):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return response, text


def parsed(text):
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2 days", "'-2 days"),
        ("@cmd", "'@cmd"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("Plain text = fine", "Plain text = fine"),
        ("", ""),
        (None, ""),
    ],
)
def test_cells_that_a_spreadsheet_would_evaluate_are_neutralised(cell, expected):
    assert spreadsheet_safe(cell) == expected


def test_the_csv_is_an_attachment_in_utf8_with_a_byte_order_mark(member_client, raised):
    response, text = download(member_client)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="actions-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert text.startswith("\ufeffReference,")


def test_the_csv_has_one_row_per_filtered_action(member_client, raised, owners):
    _, text = download(member_client, f"owner={owners['ada'].pk}")

    rows = parsed(text)
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == ["1.01", "1.02"]
    assert rows[1][3] == "Ada Example"
    assert rows[1][4] == "2024-03-01"
    assert rows[1][-1] == f"http://testserver{raised[0].get_absolute_url()}"


def test_dangerous_and_unusual_text_survives_safely(member_client, meetings):
    ActionItemFactory(
        meeting=meetings[0],
        reference="1.09",
        description='=HYPERLINK("http://example.invalid","click"), "quoted"\nline two',
        owners_text="@everyone",
    )
    ActionItemFactory(
        meeting=meetings[0], reference="1.10", description="Café ünïcode ✓"
    )

    _, text = download(member_client)

    rows = {row[0]: row for row in parsed(text)[1:]}
    assert rows["1.09"][2] == (
        '\'=HYPERLINK("http://example.invalid","click"), "quoted"\nline two'
    )
    assert rows["1.09"][3] == "'@everyone"
    assert rows["1.10"][2] == "Café ünïcode ✓"


def test_invalid_filters_give_a_clear_400_not_a_file(member_client, raised):
    response = member_client.get(f"{URL}?status=finished&due_before=soon")

    assert response.status_code == 400
    body = response.content.decode()
    assert "- status: Select a valid choice." in body
    assert "- due_before: Enter a valid date." in body


def test_the_csv_leaves_out_actions_of_draft_minutes_for_members(
    member_client, meetings
):
    ActionItemFactory(meeting=MeetingFactory(draft=True), reference="D.01")

    _, text = download(member_client)

    assert "D.01" not in text


def test_anonymous_visitors_cannot_download_private_minutes(client, raised):
    assert client.get(URL).status_code == 302
