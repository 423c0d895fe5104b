"""Who may do what, endpoint by endpoint: the permission matrix of the API."""

import pytest

from meetings.models import ActionItem, Meeting
from tests.conftest import PERSONAS
from tests.factories import (
    ActionItemFactory,
    ActionUpdateFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
    SectionFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db

WRITERS = {"scribe", "chair", "staff"}
CHAIRS = {"chair", "staff"}
STAFF = {"staff"}


def _new_attendance_body(m):
    return {"meeting": m["published"].pk, "person": PersonFactory().pk}


# resource: who may add, change, delete; a body to create; the row to change;
# a change; a row that may be deleted (nothing refers to it).
RESOURCES = {
    "series": {
        "roles": (STAFF, STAFF, STAFF),
        "create": lambda m: {"name": "Another series", "slug": "another"},
        "existing": lambda m: m["series"],
        "change": {"description": "Changed"},
        "disposable": lambda m: SeriesFactory(),
    },
    "organisations": {
        "roles": (STAFF, STAFF, STAFF),
        "create": lambda m: {"short_name": "NEWORG"},
        "existing": lambda m: m["institute"],
        "change": {"country": "Nowhere"},
        "disposable": lambda m: OrganisationFactory(),
    },
    "people": {
        "roles": (WRITERS, STAFF, STAFF),
        "create": lambda m: {"name": "New Person"},
        "existing": lambda m: m["ada"],
        "change": {"initials": "ZZ"},
        "disposable": lambda m: PersonFactory(),
    },
    "meetings": {
        "roles": (WRITERS, WRITERS, CHAIRS),
        "create": lambda m: {
            "series": "sample",
            "title": "Extra",
            "date": "2024-06-01",
        },
        "existing": lambda m: m["published"],
        "change": {"location": "Room 1"},
        "disposable": lambda m: MeetingFactory(series=m["series"]),
    },
    "sections": {
        "roles": (WRITERS, WRITERS, WRITERS),
        "create": lambda m: {
            "meeting": m["published"].pk,
            "title": "Extra section",
            "position": 9,
        },
        "existing": lambda m: m["top"],
        "change": {"title": "Renamed"},
        "disposable": lambda m: SectionFactory(meeting=m["published"], position=50),
    },
    "attendance": {
        "roles": (WRITERS, WRITERS, WRITERS),
        "create": _new_attendance_body,
        "existing": lambda m: m["published"].attendances.first(),
        "change": {"note": "Joined late"},
        "disposable": lambda m: AttendanceFactory(meeting=m["published"]),
    },
    "actions": {
        "roles": (WRITERS, WRITERS, CHAIRS),
        "create": lambda m: {
            "meeting": m["published"].pk,
            "reference": "41.09",
            "description": "Extra action",
        },
        "existing": lambda m: m["action"],
        "change": {"status": ActionItem.Status.IN_PROGRESS},
        "disposable": lambda m: ActionItemFactory(
            meeting=m["published"], reference="41.50"
        ),
    },
    "action-updates": {
        "roles": (WRITERS, WRITERS, CHAIRS),
        "create": lambda m: {
            "action": m["action"].pk,
            "meeting": m["published"].pk,
            "status": ActionItem.Status.DONE,
        },
        "existing": lambda m: m["published_update"],
        "change": {"comment": "Reviewed"},
        "disposable": lambda m: ActionUpdateFactory(
            action=m["action"], meeting=m["published"]
        ),
    },
}
OPERATIONS = ["list", "retrieve", "create", "update", "delete"]
SUCCESS = {"list": 200, "retrieve": 200, "create": 201, "update": 200, "delete": 204}


def expected_status(resource: str, operation: str, persona: str) -> int:
    if persona == "anonymous":
        return 401
    if operation in ("list", "retrieve"):
        return 200
    adders, changers, deleters = RESOURCES[resource]["roles"]
    allowed = {"create": adders, "update": changers, "delete": deleters}[operation]
    return SUCCESS[operation] if persona in allowed else 403


MATRIX = [
    (resource, operation, persona, expected_status(resource, operation, persona))
    for resource in RESOURCES
    for operation in OPERATIONS
    for persona in PERSONAS
]


@pytest.mark.parametrize(("resource", "operation", "persona", "expected"), MATRIX)
def test_permission_matrix(resource, operation, persona, expected, minutes, api_client):
    spec = RESOURCES[resource]
    client = api_client(persona)
    collection = f"/api/{resource}/"

    if operation == "list":
        response = client.get(collection)
    elif operation == "retrieve":
        response = client.get(f"{collection}{spec['existing'](minutes).pk}/")
    elif operation == "create":
        response = client.post(collection, spec["create"](minutes), format="json")
    elif operation == "update":
        row = spec["existing"](minutes)
        response = client.patch(f"{collection}{row.pk}/", spec["change"], format="json")
    else:
        row = spec["disposable"](minutes)
        response = client.delete(f"{collection}{row.pk}/")

    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 401),
        ("member", 403),
        ("scribe", 403),
        ("chair", 200),
        ("staff", 200),
    ],
)
def test_only_chairs_and_staff_may_publish(persona, expected, minutes, api_client):
    draft = minutes["draft"]

    response = api_client(persona).post(f"/api/meetings/{draft.pk}/publish/")

    assert response.status_code == expected
    draft.refresh_from_db()
    assert draft.is_published == (expected == 200)


def test_publishing_records_who_and_when(minutes, chair, chair_api):
    draft = minutes["draft"]

    response = chair_api.post(f"/api/meetings/{draft.pk}/publish/")

    draft.refresh_from_db()
    assert response.json()["status"] == "published"
    assert draft.published_by == chair
    assert draft.published_at is not None


@pytest.mark.parametrize(
    "path",
    [
        "/api/meetings/{draft}/",
        "/api/sections/{draft_section}/",
        "/api/actions/{draft_action}/",
        "/api/attendance/{draft_attendance}/",
        "/api/action-updates/{draft_update}/",
    ],
)
def test_members_cannot_see_drafts_or_their_parts(
    path, minutes, member_api, scribe_api
):
    draft = minutes["draft"]
    url = path.format(
        draft=draft.pk,
        draft_section=draft.sections.get().pk,
        draft_action=minutes["draft_action"].pk,
        draft_attendance=draft.attendances.get().pk,
        draft_update=minutes["draft_update"].pk,
    )

    assert member_api.get(url).status_code == 404
    assert scribe_api.get(url).status_code == 200


def test_lists_leave_drafts_out_for_members(minutes, member_api, scribe_api):
    def ids(client, path):
        return {row["id"] for row in client.get(path).json()["results"]}

    draft = minutes["draft"]
    assert draft.pk not in ids(member_api, "/api/meetings/")
    assert draft.pk in ids(scribe_api, "/api/meetings/")
    assert minutes["draft_action"].pk not in ids(member_api, "/api/actions/")
    assert ids(member_api, "/api/action-updates/") == {minutes["published_update"].pk}


def test_public_site_lets_anonymous_visitors_read_published_minutes_only(
    minutes, api_client, settings
):
    settings.MINUTES_PUBLIC = True
    anonymous = api_client("anonymous")

    listed = anonymous.get("/api/meetings/").json()["results"]

    assert [row["id"] for row in listed] == [
        minutes["published"].pk,
        minutes["earlier"].pk,
    ]
    assert anonymous.get(f"/api/meetings/{minutes['draft'].pk}/").status_code == 404
    body = {"series": "sample", "title": "Sneaky", "date": "2024-06-01"}
    assert anonymous.post("/api/meetings/", body, format="json").status_code == 401
    assert not Meeting.objects.filter(title="Sneaky").exists()


def test_session_login_works_for_the_browsable_api(member_client):
    response = member_client.get("/api/meetings/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
