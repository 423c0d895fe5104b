"""My actions, the summaries per owner, and the action page with its history."""

import datetime

from django.urls import reverse
from django.utils import timezone

from meetings import reviewing
from meetings.models import ActionItem
from meetings.reviewing import ReviewChange
from tests.factories import ActionItemFactory, ActionUpdateFactory, MeetingFactory

Status = ActionItem.Status


def test_my_actions_lists_the_open_actions_of_the_linked_person(
    member, member_client, raised, owners
):
    owners["ada"].user = member
    owners["ada"].save()

    response = member_client.get(reverse("meetings:my-actions"))

    assert [a.reference for a in response.context["open_actions"]] == ["1.01", "1.02"]
    assert response.context["overdue_count"] == 2
    assert reverse("meetings:person-actions-ics", args=[owners["ada"].pk]) in (
        response.content.decode()
    )


def test_my_actions_explains_kindly_when_the_account_has_no_person(
    member_client, raised
):
    response = member_client.get(reverse("meetings:my-actions"))

    assert response.status_code == 200
    assert "not linked to anyone in the people directory" in response.content.decode()


def test_the_summary_counts_open_overdue_and_done_per_person_and_organisation(
    member_client, meetings, owners
):
    today = timezone.localdate()
    ada, bo = owners["ada"], owners["bo"]
    ActionItemFactory(
        meeting=meetings[0], owners=[ada], due_date=datetime.date(1999, 1, 1)
    )
    ActionItemFactory(meeting=meetings[0], owners=[ada, bo])
    ActionItemFactory(
        meeting=meetings[0],
        owners=[bo],
        status=Status.DONE,
        closed_on=today - datetime.timedelta(days=30),
    )
    ActionItemFactory(
        meeting=meetings[0],
        owners=[bo],
        status=Status.DONE,
        closed_on=today - datetime.timedelta(days=400),
    )
    ActionItemFactory(meeting=meetings[0], owner_organisation=bo.organisation)

    response = member_client.get(reverse("meetings:action-summary"))

    people = {
        p.name: (p.open_count, p.overdue_count, p.done_count)
        for p in response.context["people"]
    }
    assert people == {"Ada Example": (2, 1, 0), "Bo Placeholder": (1, 0, 1)}
    organisations = {
        o.short_name: (o.open_count, o.overdue_count, o.done_count)
        for o in response.context["organisations"]
    }
    assert organisations == {"NORTHLAB": (2, 1, 0), "SOUTHLAB": (2, 0, 1)}


def test_the_summary_ignores_actions_the_reader_may_not_see(member_client, owners):
    ActionItemFactory(meeting=MeetingFactory(draft=True), owners=[owners["ada"]])

    response = member_client.get(reverse("meetings:action-summary"))

    assert list(response.context["people"]) == []


def test_the_action_page_shows_its_history_meeting_by_meeting(
    member_client, meetings, raised, chair
):
    action = raised[0]
    ActionUpdateFactory(
        action=action, meeting=meetings[1], status=Status.IN_PROGRESS, comment="Begun"
    )
    reviewing.record_review(
        meetings[2],
        [ReviewChange(action.pk, action.version, Status.DONE, "Delivered")],
        chair,
    )

    response = member_client.get(action.get_absolute_url())

    history = [
        (u.meeting.title, u.status, u.comment) for u in response.context["updates"]
    ]
    assert history == [
        ("Sample call 2", Status.IN_PROGRESS, "Begun"),
        ("Sample call 3", Status.DONE, "Delivered"),
    ]
    page = response.content.decode()
    assert "Closed at" in page and "Sample call 3" in page
    assert "Ada Example" in page
