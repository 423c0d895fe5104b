"""E-mail addresses reach staff only, whatever the representation."""

import pytest

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.org"


@pytest.mark.parametrize("persona", ["member", "scribe", "chair"])
def test_non_staff_never_see_an_email(persona, minutes, api_client):
    client = api_client(persona)
    ada = minutes["ada"]
    meeting = minutes["published"]

    for path in (
        "/api/people/",
        f"/api/people/{ada.pk}/",
        f"/api/meetings/{meeting.pk}/",
        "/api/attendance/",
        "/api/actions/",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert EMAIL not in response.content.decode(), path
        assert '"email"' not in response.content.decode(), path


def test_staff_see_emails_of_people(minutes, staff_api):
    ada = minutes["ada"]

    assert staff_api.get(f"/api/people/{ada.pk}/").json()["email"] == EMAIL


def test_options_describe_no_email_field_to_a_scribe(minutes, scribe_api, staff_api):
    scribe_form = scribe_api.options("/api/people/").json()["actions"]["POST"]
    staff_form = staff_api.options("/api/people/").json()["actions"]["POST"]

    assert "email" not in scribe_form
    assert "email" in staff_form


def test_a_scribe_cannot_write_an_email(minutes, scribe_api):
    body = {"name": "Cy Placeholder", "email": "cy@example.org"}

    response = scribe_api.post("/api/people/", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "email"


def test_the_browsable_api_hides_emails_from_non_staff(
    minutes, persona_client, staff_client
):
    path = f"/api/people/{minutes['ada'].pk}/"

    as_scribe = persona_client("scribe").get(path, HTTP_ACCEPT="text/html")
    as_staff = staff_client.get(path, HTTP_ACCEPT="text/html")

    assert as_scribe.status_code == as_staff.status_code == 200
    assert EMAIL not in as_scribe.content.decode()
    assert 'name="email"' not in as_scribe.content.decode()
    assert 'name="email"' in as_staff.content.decode()
