"""Creating and changing minutes through the API follows the models' own rules."""

import pytest

from meetings.api.serializers import PersonBriefSerializer, SectionNodeSerializer
from meetings.models import ActionItem, ActionUpdate, Section

pytestmark = pytest.mark.django_db


def test_a_meeting_shows_its_section_tree_attendance_and_actions(minutes, member_api):
    meeting = minutes["published"]

    body = member_api.get(f"/api/meetings/{meeting.pk}/").json()

    tree = [
        (node["title"], [c["title"] for c in node["children"]])
        for node in body["sections"]
    ]
    assert tree == [("Beamline status", ["Detector news"]), ("Any other business", [])]
    assert {(row["person"]["name"], row["status"]) for row in body["attendance"]} == {
        ("Ada Example", "present"),
        ("Bo Sample", "apologies"),
    }
    assert [action["reference"] for action in body["actions"]] == ["41.01"]
    assert [update["reference"] for update in body["action_updates"]] == ["40.01"]


def test_each_section_node_has_exactly_the_fields_the_schema_names(minutes, member_api):
    meeting = minutes["published"]
    section = Section.objects.get(meeting=meeting, title="Detector news")
    section.presenter = minutes["ada"]
    section.save()

    (node, _) = member_api.get(f"/api/meetings/{meeting.pk}/").json()["sections"]
    (child,) = node["children"]

    declared = set(SectionNodeSerializer().fields)
    assert set(node) == set(child) == declared
    assert child == {
        "id": section.pk,
        "title": "Detector news",
        "position": section.position,
        "body": section.body,
        "presenter": {"id": minutes["ada"].pk, "name": "Ada Example", "initials": "AE"},
        "version": section.version,
        "depth": 2,
        "children": [],
    }
    assert node["presenter"] is None or set(node["presenter"]) == set(
        PersonBriefSerializer().fields
    )


def test_a_meeting_list_row_is_light(minutes, member_api):
    row = member_api.get("/api/meetings/").json()["results"][0]

    assert "sections" not in row and "attendance" not in row
    assert isinstance(row["chair"], (int, type(None)))


def test_creating_a_meeting_answers_with_the_meeting_and_its_etag(minutes, scribe_api):
    body = {"series": "sample", "title": "Meeting 43", "date": "2024-05-09"}
    body |= {"number": 43, "scribes": [minutes["bo"].pk], "timezone": "Europe/Paris"}

    response = scribe_api.post("/api/meetings/", body, format="json")

    assert response.status_code == 201
    assert response["ETag"] == '"1"'
    created = response.json()
    assert created["status"] == "draft"
    assert [scribe["name"] for scribe in created["scribes"]] == ["Bo Sample"]


def test_a_meeting_number_is_unique_within_its_series(minutes, scribe_api):
    body = {"series": "sample", "title": "Again", "date": "2024-05-09", "number": 41}

    response = scribe_api.post("/api/meetings/", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unique"


def test_status_cannot_be_set_by_editing(minutes, scribe_api):
    draft = minutes["draft"]

    response = scribe_api.patch(
        f"/api/meetings/{draft.pk}/", {"status": "published"}, format="json"
    )

    # Read-only fields are ignored; publishing has its own endpoint.
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_a_meeting_cannot_move_to_another_series(minutes, scribe_api):
    from tests.factories import SeriesFactory

    SeriesFactory(slug="other")
    meeting = minutes["published"]

    response = scribe_api.patch(
        f"/api/meetings/{meeting.pk}/", {"series": "other"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "series"


def test_a_section_cannot_hang_under_a_section_of_another_meeting(minutes, scribe_api):
    body = {"meeting": minutes["draft"].pk, "parent": minutes["top"].pk}
    body |= {"title": "Misplaced", "position": 5}

    response = scribe_api.post("/api/sections/", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "parent"
    assert not Section.objects.filter(title="Misplaced").exists()


def test_sections_nest_at_most_four_deep(minutes, scribe_api):
    parent = minutes["child"]
    for depth in (3, 4):
        body = {"meeting": parent.meeting_id, "parent": parent.pk}
        body |= {"title": f"Level {depth}", "position": 1}
        parent = Section.objects.get(
            pk=scribe_api.post("/api/sections/", body).json()["id"]
        )

    body = {"meeting": parent.meeting_id, "parent": parent.pk, "title": "Level 5"}
    response = scribe_api.post("/api/sections/", body | {"position": 1}, format="json")

    assert response.status_code == 400
    assert "at most 4 levels" in response.json()["errors"][0]["message"]


def test_a_section_stays_in_its_meeting(minutes, scribe_api):
    section = minutes["top"]

    response = scribe_api.patch(
        f"/api/sections/{section.pk}/", {"meeting": minutes["draft"].pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "immutable"


def test_an_action_reference_is_unique_within_its_series(minutes, scribe_api):
    body = {"meeting": minutes["draft"].pk, "reference": "41.01", "description": "Dup"}

    response = scribe_api.post("/api/actions/", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "reference"


def test_a_superseded_action_must_name_its_successor(minutes, scribe_api):
    action = minutes["action"]

    response = scribe_api.patch(
        f"/api/actions/{action.pk}/", {"status": "superseded"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "superseded_by"
    action.refresh_from_db()
    assert action.status == ActionItem.Status.OPEN


def test_an_action_with_owners_is_created_in_the_meetings_series(minutes, scribe_api):
    body = {"meeting": minutes["published"].pk, "reference": "41.02"}
    body |= {"description": "Book the room", "owners": [minutes["ada"].pk]}

    response = scribe_api.post("/api/actions/", body, format="json")

    created = ActionItem.objects.get(pk=response.json()["id"])
    assert created.series == minutes["series"]
    assert list(created.owners.all()) == [minutes["ada"]]
    assert response.json()["owner_names"] == ["Ada Example"]


def test_an_action_without_a_reference_gets_the_next_one(minutes, scribe_api):
    meeting = minutes["published"]
    taken = set(
        ActionItem.objects.filter(series=meeting.series).values_list(
            "reference", flat=True
        )
    )
    body = {"meeting": meeting.pk, "description": "Book the room", "owners_text": "All"}

    response = scribe_api.post("/api/actions/", body, format="json")

    assert response.status_code == 201
    reference = response.json()["reference"]
    assert reference not in taken
    stem = str(meeting.number) if meeting.number else f"{meeting.date:%Y%m%d}"
    assert reference.startswith(f"{stem}.")


def test_an_action_update_records_who_wrote_it(minutes, scribe, scribe_api):
    body = {"action": minutes["action"].pk, "meeting": minutes["published"].pk}

    response = scribe_api.post("/api/action-updates/", body | {"status": "done"})

    assert response.status_code == 201
    assert ActionUpdate.objects.get(pk=response.json()["id"]).created_by == scribe


def test_the_same_attendance_cannot_be_recorded_twice(minutes, scribe_api):
    body = {"meeting": minutes["published"].pk, "person": minutes["ada"].pk}

    response = scribe_api.post("/api/attendance/", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unique"


def test_a_time_the_clocks_skip_is_refused_as_in_the_editor(minutes, scribe_api):
    body = {
        "series": "sample",
        "number": 77,
        "title": "Meeting 77",
        "date": "2024-03-31",
        "start_time": "02:30",
        "timezone": "Europe/Paris",
    }
    response = scribe_api.post("/api/meetings/", body, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "start_time" and "does not exist" in error["message"]
