"""The action register at /actions/: filters, counts, ordering and bad input."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from meetings.models import ActionItem
from tests.factories import ActionItemFactory, MeetingFactory, SeriesFactory

Status = ActionItem.Status
URL = reverse("meetings:action-list")


def references(response):
    return [action.reference for action in response.context["page_obj"].object_list]


@pytest.fixture
def register(meetings, owners):
    """Actions of several kinds across two series, all made up."""
    first, second = meetings[0], meetings[1]
    other_series = MeetingFactory(
        series=SeriesFactory(name="Sample steering", slug="sample-steering"),
        date=datetime.date(2024, 2, 1),
    )
    return {
        "late": ActionItemFactory(
            meeting=first,
            reference="1.01",
            description="Write the sample calibration note",
            owners=[owners["ada"]],
            due_date=datetime.date(2024, 1, 31),
        ),
        "going": ActionItemFactory(
            meeting=first,
            reference="1.02",
            description="Order spare detectors",
            owners=[owners["bo"]],
            status=Status.IN_PROGRESS,
            due_date=datetime.date(2099, 1, 1),
        ),
        "done": ActionItemFactory(
            meeting=second,
            reference="2.01",
            description="Book the sample workshop room",
            owners=[owners["ada"], owners["bo"]],
            status=Status.DONE,
            closed_on=second.date,
        ),
        "steering": ActionItemFactory(
            meeting=other_series,
            reference="S.01",
            description="Agree the sample budget",
            owner_organisation=owners["bo"].organisation,
        ),
    }


def test_the_register_lists_every_visible_action(member_client, register):
    response = member_client.get(URL)

    assert response.status_code == 200
    assert sorted(references(response)) == ["1.01", "1.02", "2.01", "S.01"]


def test_the_register_hides_actions_of_draft_minutes_from_members(
    member_client, chair_client, register
):
    ActionItemFactory(meeting=MeetingFactory(draft=True), reference="D.01")

    assert "D.01" not in references(member_client.get(URL))
    assert "D.01" in references(chair_client.get(URL))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", ["1.01", "S.01"]),
        ("status=open&status=in_progress", ["1.01", "1.02", "S.01"]),
        ("status=done", ["2.01"]),
        ("series=sample-steering", ["S.01"]),
        ("q=detectors", ["1.02"]),
        ("q=2.01", ["2.01"]),
        ("due_before=2024-12-31", ["1.01"]),
        ("due_after=2025-01-01", ["1.02"]),
        ("due_after=2024-01-01&due_before=2024-01-31", ["1.01"]),
        ("overdue=true", ["1.01"]),
        ("overdue=false", ["1.02", "2.01", "S.01"]),
    ],
)
def test_each_filter_narrows_the_register(member_client, register, query, expected):
    response = member_client.get(f"{URL}?{query}")

    assert sorted(references(response)) == expected


def test_the_owner_filter_finds_actions_a_person_shares(
    member_client, register, owners
):
    response = member_client.get(f"{URL}?owner={owners['bo'].pk}")

    assert sorted(references(response)) == ["1.02", "2.01"]


def test_the_organisation_filter_includes_its_people_and_its_own_actions(
    member_client, register, owners
):
    south = owners["bo"].organisation

    response = member_client.get(f"{URL}?organisation={south.pk}")

    assert sorted(references(response)) == ["1.02", "2.01", "S.01"]


def test_the_meeting_filter_lists_what_that_meeting_raised(
    member_client, register, meetings
):
    response = member_client.get(f"{URL}?meeting={meetings[1].pk}")

    assert references(response) == ["2.01"]


def test_the_register_sorts_by_due_date_with_ties_broken_by_id(member_client, register):
    response = member_client.get(f"{URL}?ordering=-due_date")

    # Descending puts actions without a due date first on SQLite and last on
    # PostgreSQL; the dated ones keep their order either way.
    dated = [ref for ref in references(response) if ref in ("1.01", "1.02")]
    assert dated == ["1.02", "1.01"]


def test_the_register_counts_actions_per_status_under_the_other_filters(
    member_client, register
):
    response = member_client.get(f"{URL}?series=sample-call&status=done")

    status_links = response.context["status_links"]
    counts = {link["status"]: link["count"] for link in status_links}
    assert counts == {
        "open": 1,
        "in_progress": 1,
        "done": 1,
        "dropped": 0,
        "superseded": 0,
    }
    links = {link["status"]: link["query"] for link in status_links}
    assert links["open"] == "series=sample-call&status=open"


def test_submitting_the_form_untouched_filters_nothing(member_client, register):
    empty = member_client.get(URL).context["filter"].form
    untouched = {name: field.initial or "" for name, field in empty.fields.items()}
    untouched.pop("status")

    response = member_client.get(URL, untouched)

    assert sorted(references(response)) == ["1.01", "1.02", "2.01", "S.01"]
    assert '<option value="" selected>Any</option>' in response.content.decode()


def test_the_form_shows_the_filters_asked_for(member_client, register):
    response = member_client.get(
        f"{URL}?status=open&status=done&overdue=true&ordering=-due_date"
    )
    form = BeautifulSoup(response.content, "html.parser").find("form", class_="filters")

    boxes = form.find_all("input", type="checkbox", attrs={"name": "status"})
    assert [box["value"] for box in boxes] == [value for value, _ in Status.choices]
    assert [box["value"] for box in boxes if box.has_attr("checked")] == [
        "open",
        "done",
    ]
    for box in boxes:  # each box is named by the label around it
        assert box.parent.name == "label"
        assert box.parent["for"] == box["id"]
    assert form.find("label", attrs={"for": "id_status_2"}).get_text(strip=True) == (
        "Done"
    )
    selected = {
        select["name"]: [o["value"] for o in select.find_all("option", selected=True)]
        for select in form.find_all("select")
    }
    assert selected["overdue"] == ["true"]
    assert selected["ordering"] == ["-due_date"]
    assert selected["organisation"] == [""]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=finished", "status"),
        ("owner=abc", "owner"),
        ("owner=999999", "owner"),
        ("organisation=-1", "organisation"),
        ("series=no-such-series", "series"),
        ("meeting=twelve", "meeting"),
        ("meeting=99999999999999999999999", "meeting"),
        ("due_before=2024-02-30", "due_before"),
        ("due_after=yesterday", "due_after"),
        ("overdue=maybe", "overdue"),
        ("ordering=description", "ordering"),
        ("due_after=2026-12-01&due_before=2026-01-01", "due_before"),
    ],
)
def test_invalid_filters_show_form_errors_not_a_server_error(
    member_client, register, query, field
):
    response = member_client.get(f"{URL}?{query}")

    assert response.status_code == 200
    assert field in response.context["filter"].form.errors
    assert references(response) == []
    assert "Some filters are not valid" in response.content.decode()


def test_a_page_number_out_of_range_shows_the_last_page(member_client, meetings):
    for n in range(30):
        ActionItemFactory(meeting=meetings[0], reference=f"1.{n:02d}")

    response = member_client.get(f"{URL}?page=99")

    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert len(references(response)) == 5


def test_pages_neither_repeat_nor_skip_actions_with_equal_sort_keys(
    member_client, meetings
):
    for n in range(30):
        ActionItemFactory(meeting=meetings[0], reference=f"1.{n:02d}", status="open")

    first = references(member_client.get(f"{URL}?ordering=status"))
    second = references(member_client.get(f"{URL}?ordering=status&page=2"))

    assert len(set(first) | set(second)) == 30


def test_anonymous_visitors_are_sent_to_log_in_unless_minutes_are_public(
    client, register, settings
):
    assert client.get(URL).status_code == 302

    settings.MINUTES_PUBLIC = True
    assert client.get(URL).status_code == 200
