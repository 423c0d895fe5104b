"""POST /api/meetings/{id}/review/: the review page's service, through the API."""

import pytest

from meetings.models import ActionItem, ActionUpdate

pytestmark = pytest.mark.django_db


def review_url(meeting) -> str:
    return f"/api/meetings/{meeting.pk}/review/"


def change(action, status, comment="", version=None) -> dict:
    version = action.version if version is None else version
    return {
        "action": action.pk,
        "version": version,
        "status": status,
        "comment": comment,
    }


def test_a_chair_closes_an_action_at_a_later_meeting(minutes, chair_api):
    action, draft = minutes["action"], minutes["draft"]
    body = {"changes": [change(action, "done", "Report sent")]}

    response = chair_api.post(review_url(draft), body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()[0]["comment"] == "Report sent"
    action.refresh_from_db()
    assert (action.status, action.closed_at, action.closed_on) == (
        "done",
        draft,
        draft.date,
    )
    assert ActionUpdate.objects.get(action=action, meeting=draft).status == "done"


def test_a_stale_version_refuses_the_whole_review(minutes, chair_api):
    action = minutes["action"]
    body = {"changes": [change(action, "done", version=action.version + 5)]}

    response = chair_api.post(review_url(minutes["draft"]), body, format="json")

    assert response.status_code == 409
    action.refresh_from_db()
    assert action.status == ActionItem.Status.OPEN


def test_an_action_raised_at_the_same_meeting_cannot_be_reviewed_there(
    minutes, chair_api
):
    action = minutes["action"]
    response = chair_api.post(
        review_url(action.meeting), {"changes": [change(action, "done")]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "changes"


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("scribe", 403)])
def test_only_chairs_review(minutes, api_client, persona, status):
    body = {"changes": [change(minutes["action"], "done")]}
    response = api_client(persona).post(
        review_url(minutes["draft"]), body, format="json"
    )
    assert response.status_code == status


def test_a_malformed_review_is_a_400(minutes, chair_api):
    bad = {"changes": [{"action": "x", "status": "finished"}]}
    response = chair_api.post(review_url(minutes["draft"]), bad, format="json")
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"changes.0.action", "changes.0.status", "changes.0.version"} <= fields
