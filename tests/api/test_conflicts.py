"""Versions and ETags: a change based on an old version never overwrites a newer one."""

import threading

import pytest
from django.db import connection

from meetings import services
from meetings.models import ActionItem, Meeting, Section
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_a_meeting_comes_with_its_version_as_etag(minutes, member_api):
    meeting = minutes["published"]

    response = member_api.get(f"/api/meetings/{meeting.pk}/")

    assert response["ETag"] == f'"{meeting.version}"'
    assert response.json()["version"] == meeting.version


def test_an_update_with_the_current_etag_succeeds_and_returns_the_next(
    minutes, scribe_api
):
    action = minutes["action"]

    response = scribe_api.patch(
        f"/api/actions/{action.pk}/",
        {"status": "done"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    action.refresh_from_db()
    assert (action.status, action.version) == ("done", 2)


@pytest.mark.parametrize(
    ("header", "status"),
    [('"1"', 200), ('"7", "1"', 200), ("*", 200), ('W/"1"', 412), ('"2"', 412)],
)
def test_if_match_compares_strongly(minutes, scribe_api, header, status):
    action = minutes["action"]

    response = scribe_api.patch(
        f"/api/actions/{action.pk}/",
        {"description": "Checked"},
        format="json",
        HTTP_IF_MATCH=header,
    )

    assert response.status_code == status
    action.refresh_from_db()
    assert (action.description == "Checked") is (status == 200)


@pytest.mark.parametrize("body", [{}, {"version": 1}])
def test_a_patch_that_changes_nothing_keeps_the_version(minutes, scribe_api, body):
    action = minutes["action"]

    response = scribe_api.patch(
        f"/api/actions/{action.pk}/", body, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    action.refresh_from_db()
    assert action.version == 1
    assert (
        scribe_api.patch(
            f"/api/actions/{action.pk}/", {}, format="json", HTTP_IF_MATCH='"9"'
        ).status_code
        == 412
    )


def test_an_update_with_a_stale_if_match_is_refused_with_412(minutes, scribe_api):
    action = minutes["action"]
    action.description = "Changed by someone else"
    action.save()

    response = scribe_api.patch(
        f"/api/actions/{action.pk}/",
        {"description": "My change"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 412
    assert response.json()["errors"][0]["code"] == "precondition_failed"
    assert response.json()["errors"][0]["field"] == "If-Match"
    assert '"2"' in response.json()["errors"][0]["message"]
    action.refresh_from_db()
    assert (action.description, action.version) == ("Changed by someone else", 2)


def test_an_update_with_a_stale_version_in_the_body_is_refused_with_409(
    minutes, scribe_api
):
    section = minutes["top"]
    section.title = "Renamed by someone else"
    section.save()

    response = scribe_api.put(
        f"/api/sections/{section.pk}/",
        {"meeting": section.meeting_id, "title": "My title", "version": 1},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "stale_version"
    section.refresh_from_db()
    assert (section.title, section.version) == ("Renamed by someone else", 2)


def test_an_update_with_the_current_version_in_the_body_succeeds(minutes, scribe_api):
    meeting = minutes["published"]

    response = scribe_api.patch(
        f"/api/meetings/{meeting.pk}/",
        {"location": "Room 2", "version": meeting.version},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["version"] == meeting.version + 1


def test_a_delete_with_a_stale_if_match_deletes_nothing(minutes, chair_api):
    action = minutes["action"]
    action.save()

    response = chair_api.delete(f"/api/actions/{action.pk}/", HTTP_IF_MATCH='"1"')

    assert response.status_code == 412
    assert ActionItem.objects.filter(pk=action.pk).exists()


def test_publishing_with_a_stale_if_match_leaves_the_draft_alone(minutes, chair_api):
    draft = minutes["draft"]
    draft.save()

    response = chair_api.post(f"/api/meetings/{draft.pk}/publish/", HTTP_IF_MATCH='"1"')

    assert response.status_code == 412
    draft.refresh_from_db()
    assert not draft.is_published


def test_of_two_editors_who_loaded_one_version_only_the_first_saves(minutes):
    mine = Section.objects.get(pk=minutes["top"].pk)
    theirs = Section.objects.get(pk=minutes["top"].pk)
    theirs.title = "Theirs"
    services.save_versioned(theirs, theirs.version)

    mine.title = "Mine"
    with pytest.raises(services.StaleVersion):
        services.save_versioned(mine, mine.version)

    assert Section.objects.get(pk=mine.pk).title == "Theirs"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks between connections"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_writers_cannot_both_win():
    meeting = MeetingFactory()
    start = threading.Barrier(2)
    outcomes = []

    def write(title):
        from django.db import connection as own_connection

        row = Meeting.objects.get(pk=meeting.pk)
        row.title = title
        start.wait()
        try:
            services.save_versioned(row, row.version)
            outcomes.append("saved")
        except services.StaleVersion:
            outcomes.append("stale")
        finally:
            own_connection.close()

    threads = [threading.Thread(target=write, args=(t,)) for t in ("One", "Two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["saved", "stale"]
    assert Meeting.objects.get(pk=meeting.pk).version == 2
