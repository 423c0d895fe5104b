"""List pages read a fixed number of queries however many actions there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import ActionItem, ActionUpdate
from tests.factories import MeetingFactory, PersonFactory


def add_actions(meeting, numbers, people):
    """Actions numbered ``numbers``, two owners each."""
    actions = ActionItem.objects.bulk_create(
        ActionItem(
            meeting=meeting,
            series=meeting.series,
            reference=f"{meeting.number}.{n:03d}",
            description=f"Sample bulk task {n}",
            due_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 90),
        )
        for n in numbers
    )
    through = ActionItem.owners.through
    through.objects.bulk_create(
        through(actionitem=action, person=people[(i + k) % len(people)])
        for i, action in enumerate(actions)
        for k in (0, 1)
    )
    return actions


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # Shown with ``pytest -s``: the figures quoted in the README.
    print(f"{url}: {len(captured)} queries")
    return len(captured), response


@pytest.fixture
def people(db):
    return [PersonFactory() for _ in range(5)]


@pytest.fixture
def first(series):
    return MeetingFactory(series=series, number=1, date=datetime.date(2024, 1, 1))


def test_the_register_reads_as_many_queries_for_500_actions_as_for_10(
    member_client, first, people
):
    url = reverse("meetings:action-list") + "?status=open&ordering=due_date"
    add_actions(first, range(10), people)
    few, _ = count_queries(member_client, url)

    add_actions(first, range(10, 500), people)
    many, response = count_queries(member_client, url)

    assert response.context["paginator"].count == 500
    assert many == few


def test_the_review_page_reads_as_many_queries_for_120_actions_as_for_10(
    chair_client, series, first, people
):
    second = MeetingFactory(series=series, number=2, date=datetime.date(2024, 2, 1))
    url = reverse("meetings:meeting-review", args=[second.pk])

    def add(numbers):
        actions = add_actions(first, numbers, people)
        ActionUpdate.objects.bulk_create(
            ActionUpdate(action=action, meeting=second, status="in_progress")
            for action in actions[::3]
        )

    add(range(10))
    few, _ = count_queries(chair_client, url)

    add(range(10, 120))
    many, response = count_queries(chair_client, url + "?group=organisation")
    last, last_page = count_queries(chair_client, url + "?page=3")

    # Paged: one count and one page of rows, whatever the number of actions.
    assert response.context["paginator"].count == 120
    assert len(response.context["formset"].forms) == 50
    assert len(last_page.context["formset"].forms) == 20
    assert many == few == last
    assert few <= 12


def test_the_summary_reads_as_many_queries_for_500_actions_as_for_10(
    member_client, first, people
):
    url = reverse("meetings:action-summary")
    add_actions(first, range(10), people)
    few, _ = count_queries(member_client, url)

    add_actions(first, range(10, 500), people)
    many, _ = count_queries(member_client, url)

    assert many == few


def test_the_csv_reads_as_many_queries_for_500_actions_as_for_10(
    member_client, first, people
):
    def count():
        with CaptureQueriesContext(connection) as captured:
            response = member_client.get(reverse("meetings:action-csv"))
            b"".join(response.streaming_content)
        return len(captured)

    add_actions(first, range(10), people)
    few = count()

    add_actions(first, range(10, 500), people)

    # Rows stream in chunks of 500, each with its own owners query: flat up to
    # 500 rows, then one query more per further 500.
    assert count() == few
