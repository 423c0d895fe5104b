"""Who may open each page of the register, the review and the exports."""

import pytest
from django.contrib.auth.models import Permission

from meetings import permissions
from tests.conftest import PERSONAS
from tests.factories import MeetingFactory, UserFactory

READERS = {"anonymous": 302, "member": 200, "scribe": 200, "chair": 200, "staff": 200}
CHAIRS = {"anonymous": 302, "member": 403, "scribe": 403, "chair": 200, "staff": 200}

PAGES = [
    ("get", "/actions/", READERS),
    ("get", "/actions/mine/", READERS),
    ("get", "/actions/summary/", READERS),
    ("get", "/actions/export.csv", READERS),
    ("get", "/actions/{action}/", READERS),
    ("get", "/series/{series}/meetings.ics", READERS),
    ("get", "/people/{person}/actions.ics", READERS),
    ("get", "/meetings/{meeting}/review/", CHAIRS),
    ("get", "/actions/{action}/supersede/", CHAIRS),
    # An empty post is refused as incomplete (400), after the permission check.
    ("post", "/meetings/{meeting}/review/", {**CHAIRS, "chair": 400, "staff": 400}),
    ("post", "/actions/{action}/supersede/", CHAIRS),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "path", "expected"), PAGES)
def test_permission_matrix(
    persona_client, persona, method, path, expected, meetings, raised, owners
):
    url = path.format(
        action=raised[0].pk,
        series=meetings[0].series.slug,
        person=owners["ada"].pk,
        meeting=meetings[1].pk,
    )

    response = getattr(persona_client(persona), method)(url)

    assert response.status_code == expected[persona]


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("member", False), ("scribe", False), ("chair", True), ("staff", True)],
)
def test_only_chairs_and_superusers_may_review_actions(db, request, persona, allowed):
    user = request.getfixturevalue(persona)

    assert permissions.can_review_actions(user) is allowed


def test_an_account_granted_the_review_permissions_one_by_one_may_review(db):
    user = UserFactory()
    for name in permissions.REVIEW_PERMISSIONS:
        user.user_permissions.add(Permission.objects.get(codename=name.split(".")[1]))

    assert permissions.can_review_actions(type(user).objects.get(pk=user.pk))


def test_the_meeting_page_links_to_the_review_for_chairs_only(persona_client, meetings):
    url = meetings[1].get_absolute_url()
    review = f"/meetings/{meetings[1].pk}/review/"

    assert review in persona_client("chair").get(url).content.decode()
    assert review not in persona_client("scribe").get(url).content.decode()


def test_chairs_may_review_actions_at_a_draft_meeting(persona_client, series):
    draft = MeetingFactory(series=series, draft=True)

    response = persona_client("chair").get(f"/meetings/{draft.pk}/review/")

    assert response.status_code == 200
