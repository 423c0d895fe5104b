"""The chair's review of open actions at a meeting: page, formset and service."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from meetings import reviewing
from meetings.models import ActionItem, ActionUpdate
from meetings.reviewing import ReviewChange
from tests.factories import ActionItemFactory, ActionUpdateFactory, MeetingFactory

Status = ActionItem.Status


def review_url(meeting, group="owner"):
    return reverse("meetings:meeting-review", args=[meeting.pk]) + f"?group={group}"


def review_data(client, meeting, edits=None, group="owner"):
    """The review form as the page rendered it, with ``edits`` by reference."""
    response = client.get(review_url(meeting, group))
    assert response.status_code == 200
    formset = response.context["formset"]
    data = {
        f"{formset.prefix}-{key}": value
        for key, value in formset.management_form.initial.items()
    }
    for form in formset.forms:
        values = dict(form.initial)
        values.update((edits or {}).get(form.action_item.reference, {}))
        for name, value in values.items():
            data[form.add_prefix(name)] = value
    return data


def listed(meeting, user):
    return sorted(a.reference for a in reviewing.review_rows(meeting, user))


# What the review lists


def test_review_lists_actions_open_before_the_meeting_from_earlier_meetings(
    meetings, raised, chair
):
    second = meetings[1]
    ActionItemFactory(meeting=second, reference="2.01")  # raised here: not reviewed

    assert listed(second, chair) == ["1.01", "1.02", "1.03"]


def test_an_action_closed_at_one_meeting_is_not_reviewed_at_the_next(
    meetings, raised, chair
):
    second, third = meetings[1], meetings[2]
    change = ReviewChange(raised[0].pk, raised[0].version, Status.DONE, "Finished.")

    reviewing.record_review(second, [change], chair)

    assert "1.01" in listed(second, chair)
    assert listed(third, chair) == ["1.02", "1.03"]


def test_an_action_reopened_later_is_reviewed_again(meetings, raised, chair):
    action = raised[0]
    ActionUpdateFactory(action=action, meeting=meetings[1], status=Status.DONE)
    fourth = MeetingFactory(series=action.series, date=datetime.date(2024, 6, 1))
    ActionUpdateFactory(action=action, meeting=meetings[2], status=Status.OPEN)

    assert "1.01" not in listed(meetings[2], chair)
    assert "1.01" in listed(fourth, chair)


def test_an_action_closed_when_raised_is_not_reviewed(meetings, chair):
    ActionItemFactory(
        meeting=meetings[0],
        status=Status.DONE,
        closed_at=meetings[0],
        closed_on=meetings[0].date,
    )

    assert listed(meetings[1], chair) == []


def test_the_review_skips_actions_of_other_series(meetings, raised, chair):
    ActionItemFactory(meeting=MeetingFactory(date=datetime.date(2024, 1, 1)))

    assert listed(meetings[1], chair) == ["1.01", "1.02", "1.03"]


# Recording it


def test_saving_the_review_records_updates_at_that_meeting(
    meetings, raised, chair, chair_client
):
    second = meetings[1]
    data = review_data(
        chair_client,
        second,
        {
            "1.01": {"status": Status.DONE, "comment": "Sent to all sites."},
            "1.02": {"comment": "Waiting for quotes."},
        },
    )

    response = chair_client.post(review_url(second), data)

    assert response.status_code == 302
    updates = {u.action.reference: u for u in ActionUpdate.objects.all()}
    assert set(updates) == {"1.01", "1.02"}
    assert updates["1.01"].meeting == second
    assert updates["1.01"].status == Status.DONE
    assert updates["1.01"].created_by == chair
    assert updates["1.02"].status == Status.OPEN
    assert updates["1.02"].comment == "Waiting for quotes."
    closed = ActionItem.objects.get(reference="1.01")
    assert (closed.status, closed.closed_at, closed.closed_on) == (
        Status.DONE,
        second,
        second.date,
    )


def test_saving_the_review_twice_updates_rather_than_duplicates(
    meetings, raised, chair_client
):
    second = meetings[1]
    edits = {"1.03": {"status": Status.IN_PROGRESS, "comment": "Started."}}
    chair_client.post(review_url(second), review_data(chair_client, second, edits))
    edits = {"1.03": {"comment": "Started, half done."}}

    chair_client.post(review_url(second), review_data(chair_client, second, edits))

    update = ActionUpdate.objects.get()
    assert (update.status, update.comment) == (
        Status.IN_PROGRESS,
        "Started, half done.",
    )


def test_reopening_an_action_clears_where_and_when_it_was_closed(
    meetings, raised, chair
):
    action, second = raised[0], meetings[1]
    reviewing.record_review(
        second, [ReviewChange(action.pk, action.version, Status.DONE)], chair
    )
    action.refresh_from_db()

    reviewing.record_review(
        second,
        [ReviewChange(action.pk, action.version, Status.OPEN, "Not yet.")],
        chair,
    )

    action.refresh_from_db()
    assert (action.status, action.closed_at, action.closed_on) == (
        Status.OPEN,
        None,
        None,
    )


def test_a_late_review_of_an_older_meeting_keeps_the_later_status(
    meetings, raised, chair
):
    action = raised[0]
    reviewing.record_review(
        meetings[2], [ReviewChange(action.pk, action.version, Status.DONE)], chair
    )
    action.refresh_from_db()

    reviewing.record_review(
        meetings[1],
        [ReviewChange(action.pk, action.version, Status.IN_PROGRESS, "Then")],
        chair,
    )

    action.refresh_from_db()
    assert action.status == Status.DONE
    assert action.closed_at == meetings[2]
    assert action.updates.get(meeting=meetings[1]).status == Status.IN_PROGRESS


def test_the_grouping_toggle_does_not_change_what_is_saved(
    meetings, raised, chair_client
):
    second = meetings[1]
    edits = {"1.03": {"status": Status.DROPPED, "comment": "No longer needed."}}
    data = review_data(chair_client, second, edits, group="organisation")

    response = chair_client.post(review_url(second, "organisation"), data)

    assert response.status_code == 302
    assert ActionUpdate.objects.get().action.reference == "1.03"


def test_the_page_groups_actions_by_owner_or_by_organisation(
    meetings, raised, chair_client
):
    by_owner = chair_client.get(review_url(meetings[1], "owner"))
    by_organisation = chair_client.get(review_url(meetings[1], "organisation"))

    assert [label for label, _ in by_owner.context["groups"]] == [
        "Ada Example",
        "Bo Placeholder",
    ]
    assert [label for label, _ in by_organisation.context["groups"]] == [
        "NORTHLAB",
        "SOUTHLAB",
    ]


def test_the_meeting_page_shows_what_its_review_recorded(
    meetings, raised, chair, member_client
):
    action = raised[1]
    reviewing.record_review(
        meetings[1],
        [ReviewChange(action.pk, action.version, Status.DONE, "Report filed")],
        chair,
    )

    response = member_client.get(meetings[1].get_absolute_url())

    assert "Report filed" in response.content.decode()
    (update,) = response.context["meeting"].action_updates.all()
    assert update.action == action


# Refusals: nothing is written


def test_a_stale_review_is_refused_and_saves_nothing(meetings, raised, chair_client):
    second = meetings[1]
    data = review_data(
        chair_client,
        second,
        {
            "1.01": {"status": Status.DONE},
            "1.02": {"status": Status.DONE},
        },
    )
    # Someone else edits 1.02 after the page was loaded.
    other = ActionItem.objects.get(reference="1.02")
    other.description = "Sample task 2, reworded"
    other.save()

    response = chair_client.post(review_url(second), data)

    assert response.status_code == 409
    assert "1.02 changed since you opened this page" in response.content.decode()
    assert not ActionUpdate.objects.exists()
    assert ActionItem.objects.get(reference="1.01").status == Status.OPEN


def test_a_review_posted_for_a_changed_list_is_refused(meetings, raised, chair_client):
    second = meetings[1]
    data = review_data(chair_client, second, {"1.01": {"status": Status.DONE}})
    ActionItemFactory(meeting=meetings[0], reference="1.00")

    response = chair_client.post(review_url(second), data)

    assert response.status_code == 409
    assert "changed since you opened this page" in response.content.decode()
    assert not ActionUpdate.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("status", "finished", "Select a valid choice"),
        ("status", Status.SUPERSEDED, "Select a valid choice"),
        ("comment", "x" * 2001, "at most 2000 characters"),
        ("version", "not a number", "Enter a whole number"),
    ],
)
def test_bad_values_in_the_review_are_shown_and_save_nothing(
    meetings, raised, chair_client, field, value, message
):
    second = meetings[1]
    data = review_data(chair_client, second, {"1.01": {"status": Status.DONE}})
    data["review-1-" + field] = value

    response = chair_client.post(review_url(second), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_a_review_without_its_management_form_is_refused(
    meetings, raised, chair_client
):
    response = chair_client.post(review_url(meetings[1]), {"review-0-status": "done"})

    assert response.status_code == 400
    assert "the form arrived incomplete" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_the_service_refuses_actions_outside_the_review(meetings, raised, chair):
    elsewhere = ActionItemFactory()

    with pytest.raises(reviewing.ReviewError, match="were not raised"):
        reviewing.record_review(
            meetings[1],
            [
                ReviewChange(raised[0].pk, raised[0].version, Status.DONE),
                ReviewChange(elsewhere.pk, elsewhere.version, Status.DONE),
            ],
            chair,
        )

    assert not ActionUpdate.objects.exists()


def test_the_service_refuses_a_scribe(meetings, raised, scribe):
    change = ReviewChange(raised[0].pk, raised[0].version, Status.DONE)

    with pytest.raises(PermissionDenied):
        reviewing.record_review(meetings[1], [change], scribe)


def test_the_review_page_of_a_meeting_without_open_actions_says_so(
    meetings, chair_client
):
    response = chair_client.get(review_url(meetings[0]))

    assert "No action was open when this meeting began." in response.content.decode()
