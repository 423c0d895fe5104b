"""Closing an action outside a review: every path dates it, and reviews agree."""

import datetime

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from meetings import reviewing
from meetings.models import ActionItem
from meetings.reviewing import ReviewChange
from tests.factories import ActionItemFactory, MeetingFactory

Status = ActionItem.Status


def listed(meeting, user):
    return sorted(a.reference for a in reviewing.review_rows(meeting, user))


def review(meeting, action, status, chair, comment=""):
    action.refresh_from_db()
    change = ReviewChange(action.pk, action.version, status, comment)
    reviewing.record_review(meeting, [change], chair)
    action.refresh_from_db()


def edit_status(client, action, status):
    """Post the editor's form for ``action`` as it loads, with another status."""
    url = reverse("meetings:action-edit", args=[action.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    data["owners"] = [person.pk for person in action.owners.all()]
    data["status"] = status
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    action.refresh_from_db()


def test_closing_in_the_editor_after_a_review_keeps_it_out_of_later_reviews(
    meetings, raised, chair, scribe_client
):
    action, today = raised[0], timezone.localdate()
    review(meetings[1], action, Status.IN_PROGRESS, chair, "Started.")

    edit_status(scribe_client, action, Status.DONE)

    assert (action.status, action.closed_at, action.closed_on) == (
        Status.DONE,
        None,
        today,
    )
    next_month = MeetingFactory(
        series=action.series, date=today + datetime.timedelta(days=30)
    )
    assert "1.01" not in listed(next_month, chair)
    # Before the closure the review's "in progress" still holds.
    assert "1.01" in listed(meetings[2], chair)


def test_reopening_in_the_editor_clears_the_closure(meetings, raised, scribe_client):
    action = raised[0]
    edit_status(scribe_client, action, Status.DROPPED)

    edit_status(scribe_client, action, Status.OPEN)

    assert (action.status, action.closed_at, action.closed_on) == (
        Status.OPEN,
        None,
        None,
    )


def test_closing_through_the_api_dates_the_closure(meetings, raised, chair, scribe):
    action, today = raised[0], timezone.localdate()
    review(meetings[1], action, Status.IN_PROGRESS, chair)
    client = APIClient()
    client.force_authenticate(scribe)

    response = client.patch(
        f"/api/actions/{action.pk}/",
        {"status": "done", "version": action.version},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["closed_on"] == today.isoformat()
    next_month = MeetingFactory(
        series=action.series, date=today + datetime.timedelta(days=30)
    )
    assert "1.01" not in listed(next_month, chair)


def test_a_status_saved_without_a_date_gets_one(meetings, raised):
    """The admin and scripts save the model directly; the rule holds there too."""
    action = raised[0]
    action.status = Status.DONE
    action.save(update_fields=["status"])

    action.refresh_from_db()
    assert (action.closed_at, action.closed_on) == (None, timezone.localdate())
    action.status = Status.IN_PROGRESS
    action.save()
    action.refresh_from_db()
    assert (action.closed_at, action.closed_on) == (None, None)


def test_an_action_recorded_closed_was_closed_where_it_was_raised(meetings, chair):
    action = ActionItemFactory(meeting=meetings[0], status=Status.DONE)

    assert (action.closed_at, action.closed_on) == (meetings[0], meetings[0].date)
    assert listed(meetings[1], chair) == []


def test_a_closure_today_at_todays_meeting_names_the_meeting(meetings, chair):
    today = timezone.localdate()
    meeting = MeetingFactory(series=meetings[0].series, date=today)
    action = ActionItemFactory(meeting=meeting)

    action.status = Status.DONE
    action.save()

    assert (action.closed_at, action.closed_on) == (meeting, today)


def test_a_late_review_of_an_earlier_meeting_counts_until_the_closure(
    meetings, raised, chair
):
    action = raised[0]
    review(meetings[2], action, Status.DONE, chair)
    fourth = MeetingFactory(series=action.series, date=datetime.date(2024, 6, 1))

    review(meetings[1], action, Status.IN_PROGRESS, chair, "Recorded late.")

    assert (action.status, action.closed_on) == (Status.DONE, meetings[2].date)
    assert "1.01" in listed(meetings[2], chair)
    assert "1.01" not in listed(fourth, chair)


def test_a_review_saved_ahead_of_its_meeting_dates_closures_with_the_meeting(
    raised, chair
):
    action, today = raised[0], timezone.localdate()
    ahead = MeetingFactory(
        series=action.series, status="draft", date=today + datetime.timedelta(days=5)
    )

    review(ahead, action, Status.DONE, chair, "Done, says the owner.")

    assert (action.closed_at, action.closed_on) == (ahead, ahead.date)
    # The review of that meeting still lists it, as every review does.
    assert "1.01" in listed(ahead, chair)
