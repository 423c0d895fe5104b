"""Every error answers in one JSON shape that says what is wrong and where."""

import pytest

from meetings.models import Meeting, Person

pytestmark = pytest.mark.django_db


def errors_of(response):
    body = response.json()
    assert body["status"] == response.status_code
    return {(e["location"], e["field"], e["code"]) for e in body["errors"]}


def test_malformed_json_is_a_400_about_the_body(minutes, scribe_api):
    response = scribe_api.post(
        "/api/meetings/", '{"title": "Unclosed', content_type="application/json"
    )

    assert response.status_code == 400
    assert errors_of(response) == {("body", None, "parse_error")}


def test_a_body_that_is_not_an_object_is_refused(minutes, scribe_api):
    response = scribe_api.post("/api/meetings/", [1, 2], format="json")

    assert response.status_code == 400
    assert errors_of(response) == {("body", None, "invalid")}


def test_an_unknown_field_is_named_and_nothing_is_written(minutes, scribe_api):
    body = {"series": "sample", "title": "Typo", "date": "2024-06-01", "titel": "x"}

    response = scribe_api.post("/api/meetings/", body, format="json")

    assert response.status_code == 400
    assert errors_of(response) == {("body", "titel", "unknown_field")}
    assert not Meeting.objects.filter(title="Typo").exists()


def test_an_impossible_date_is_reported_on_its_field(minutes, scribe_api):
    body = {"series": "sample", "title": "Leap", "date": "2023-02-29"}

    response = scribe_api.post("/api/meetings/", body, format="json")

    assert response.status_code == 400
    assert errors_of(response) == {("body", "date", "invalid")}


def test_every_problem_of_a_body_is_listed(minutes, scribe_api):
    body = {"series": "no-such-series", "date": "soon", "colour": "blue"}

    response = scribe_api.post("/api/meetings/", body, format="json")

    assert errors_of(response) == {
        ("body", "series", "does_not_exist"),
        ("body", "title", "required"),
        ("body", "date", "invalid"),
        ("body", "colour", "unknown_field"),
    }


def test_nested_errors_name_the_item(minutes, scribe_api):
    body = {"meeting": minutes["published"].pk, "reference": "41.77"}
    body |= {"description": "Nested", "owners": [minutes["ada"].pk, 999999]}

    response = scribe_api.post("/api/actions/", body, format="json")

    assert errors_of(response) == {("body", "owners", "does_not_exist")}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_from=2024-13-45", "date_from"),
        ("chair=abc", "chair"),
        ("status=bogus", "status"),
        ("year=twenty", "year"),
        ("ordering=colour", "ordering"),
        ("series=no-such-series", "series"),
        ("colour=blue", "colour"),
        ("date_from=2024-06-01&date_to=2024-05-01", "date_to"),
    ],
)
def test_an_invalid_filter_is_a_400_about_the_query(minutes, member_api, query, field):
    response = member_api.get(f"/api/meetings/?{query}")

    assert response.status_code == 400
    assert [(e["location"], e["field"]) for e in response.json()["errors"]] == [
        ("query", field)
    ]


@pytest.mark.parametrize(
    "query", ["overdue=perhaps", "due_before=tomorrow", "meeting=-3", "owner=x"]
)
def test_invalid_action_filters_are_400s(minutes, member_api, query):
    response = member_api.get(f"/api/actions/?{query}")

    assert response.status_code == 400
    assert response.json()["errors"][0]["location"] == "query"


@pytest.mark.parametrize(
    ("url", "field", "shown"),
    [
        ("/api/actions/?owner=50%25", "owner", "50%"),
        ("/api/meetings/?attendee=%25s", "attendee", "%s"),
        ("/api/meetings/?chair=a%25(x)s", "chair", "a%(x)s"),
        ("/api/meetings/?series=100%25", "series", None),
        ("/api/search/?q=x&series=%25d", "series", None),
    ],
)
def test_a_percent_sign_in_a_filter_is_quoted_back_not_a_500(
    minutes, member_api, url, field, shown
):
    response = member_api.get(url)

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["location"], error["field"]) == ("query", field)
    if shown:
        assert f"“{shown}”" in error["message"]


def test_an_unknown_address_under_the_api_is_a_json_404(member_api):
    response = member_api.get("/api/minutes/")

    assert response.status_code == 404
    assert errors_of(response) == {(None, None, "not_found")}


def test_a_missing_slash_is_pointed_out(member_api):
    response = member_api.get("/api/meetings")

    assert (
        "Addresses end with a slash: /api/meetings/"
        in (response.json()["errors"][0]["message"])
    )


def test_a_method_the_endpoint_lacks_is_a_405_in_the_same_shape(staff_api):
    response = staff_api.put("/api/meetings/", {}, format="json")

    assert response.status_code == 405
    assert errors_of(response) == {(None, None, "method_not_allowed")}


def test_deleting_a_person_who_attended_is_a_409_and_keeps_them(minutes, staff_api):
    ada = minutes["ada"]

    response = staff_api.delete(f"/api/people/{ada.pk}/")

    assert response.status_code == 409
    assert errors_of(response) == {(None, None, "protected")}
    assert Person.objects.filter(pk=ada.pk).exists()


def test_an_unknown_time_zone_is_refused(minutes, scribe_api):
    meeting = minutes["published"]

    response = scribe_api.patch(
        f"/api/meetings/{meeting.pk}/", {"timezone": "America"}, format="json"
    )

    assert errors_of(response) == {("body", "timezone", "invalid")}


def test_a_body_that_is_not_json_is_a_415_and_writes_nothing(minutes, scribe_api):
    response = scribe_api.post(
        "/api/meetings/", "title=Form+post", content_type="text/plain"
    )

    assert response.status_code == 415
    assert errors_of(response) == {("header", "Content-Type", "unsupported_media_type")}
    assert not Meeting.objects.filter(title="Form post").exists()


def test_asking_for_a_format_the_api_does_not_speak_is_a_406(minutes, member_api):
    response = member_api.get("/api/meetings/", HTTP_ACCEPT="text/csv")

    assert response.status_code == 406
    assert errors_of(response) == {("header", "Accept", "not_acceptable")}
