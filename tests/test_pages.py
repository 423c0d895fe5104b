"""Every read-only page: who may see it, what it shows, how many queries it costs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
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


@pytest.fixture
def minutes(db):
    """A small published meeting with everything a page can show, and a draft."""
    organisation = OrganisationFactory(short_name="NLS")
    ada = PersonFactory(
        name="Ada Example", organisation=organisation, email="ada@example.org"
    )
    bram = PersonFactory(name="Bram Sample", organisation=organisation)
    meeting = MeetingFactory(title="Collaboration meeting 7", chair=ada)
    meeting.scribes.add(bram)
    AttendanceFactory(meeting=meeting, person=ada, note="joined late")
    AttendanceFactory(meeting=meeting, person=bram, status="apologies")
    updates = SectionFactory(meeting=meeting, title="Site updates", body="")
    SectionFactory(
        meeting=meeting,
        parent=updates,
        title="NLS report",
        body="Ada: the **detector** is back.",
    )
    action = ActionItemFactory(
        meeting=meeting, reference="7.01", description="Write the plan", owners=[ada]
    )
    draft = MeetingFactory(
        series=meeting.series, title="Secret draft", draft=True, number=8
    )
    return {
        "meeting": meeting,
        "ada": ada,
        "organisation": organisation,
        "action": action,
        "draft": draft,
    }


def page_urls(minutes) -> dict[str, str]:
    return {
        "home": reverse("meetings:home"),
        "meeting list": reverse("meetings:meeting-list"),
        "meeting": minutes["meeting"].get_absolute_url(),
        "person": minutes["ada"].get_absolute_url(),
        "organisation": minutes["organisation"].get_absolute_url(),
        "action": minutes["action"].get_absolute_url(),
    }


PAGES = ["home", "meeting list", "meeting", "person", "organisation", "action"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_read_pages_need_a_login_unless_minutes_are_public(
    persona_client, minutes, persona, page
):
    response = persona_client(persona).get(page_urls(minutes)[page])
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_public_setting_opens_published_minutes_to_everyone(
    client, settings, minutes, page
):
    settings.MINUTES_PUBLIC = True
    assert client.get(page_urls(minutes)[page]).status_code == 200


@pytest.mark.parametrize(("persona", "status"), [("member", 404), ("scribe", 200)])
def test_drafts_are_hidden_from_members(persona_client, minutes, persona, status):
    client = persona_client(persona)
    assert client.get(minutes["draft"].get_absolute_url()).status_code == status
    listed = "Secret draft" in client.get(reverse("meetings:meeting-list")).text
    assert listed is (status == 200)


def test_home_shows_latest_and_next_meetings_and_action_counts(member_client):
    today = timezone.localdate()
    MeetingFactory(title="Last month", date=today - datetime.timedelta(days=30))
    MeetingFactory(title="Next month", date=today + datetime.timedelta(days=30))
    ActionItemFactory(due_date=today - datetime.timedelta(days=1))
    ActionItemFactory()
    ActionItemFactory(status="done")
    response = member_client.get(reverse("meetings:home"))
    assert response.context["open_count"] == 3 - 1
    assert response.context["overdue_count"] == 1
    assert [m.title for m in response.context["next_meetings"]] == ["Next month"]
    assert "Last month" in response.text
    counts = " ".join(response.text.split())
    assert '"figure">2</span> open actions' in counts
    assert '"figure">1</span> overdue action<' in counts


def test_meeting_page_shows_attendance_sections_and_actions(member_client, minutes):
    response = member_client.get(minutes["meeting"].get_absolute_url())
    text = response.text
    assert "Collaboration meeting 7" in text
    assert "Present (1)" in text and "Apologies (1)" in text
    assert "joined late" in text and "(NLS)" in text
    assert "<strong>detector</strong>" in text
    assert "Site updates" in text and "NLS report" in text
    assert "7.01" in text and "Write the plan" in text
    assert "Bram Sample" in text  # the scribe


def test_meeting_page_links_previous_and_next_meeting_of_the_series(member_client):
    series = SeriesFactory()
    first, second, third = (
        MeetingFactory(series=series, date=datetime.date(2024, month, 1))
        for month in (1, 2, 3)
    )
    MeetingFactory(date=datetime.date(2024, 2, 15))  # another series
    context = member_client.get(second.get_absolute_url()).context
    assert context["previous_meeting"] == first
    assert context["next_meeting"] == third


def test_meeting_page_shows_actions_reviewed_there(member_client, minutes):
    later = MeetingFactory(series=minutes["meeting"].series)
    ActionUpdateFactory(
        action=minutes["action"], meeting=later, status="done", comment="Finished."
    )
    text = member_client.get(later.get_absolute_url()).text
    assert "Actions reviewed" in text and "Finished." in text


def test_email_is_shown_to_staff_only(member_client, staff_client, minutes):
    url = minutes["ada"].get_absolute_url()
    assert "ada@example.org" not in member_client.get(url).text
    assert "ada@example.org" in staff_client.get(url).text


def test_person_page_lists_attendance_and_owned_actions(member_client, minutes):
    text = member_client.get(minutes["ada"].get_absolute_url()).text
    assert "Collaboration meeting 7" in text
    assert "Write the plan" in text
    assert "Secret draft" not in text


def test_organisation_page_lists_members_and_their_actions(member_client, minutes):
    text = member_client.get(minutes["organisation"].get_absolute_url()).text
    assert "Ada Example" in text and "Bram Sample" in text
    assert "Write the plan" in text


def test_action_page_shows_its_history(member_client, minutes):
    later = MeetingFactory(series=minutes["meeting"].series, title="Meeting after")
    ActionUpdateFactory(action=minutes["action"], meeting=later, comment="Half way")
    text = member_client.get(minutes["action"].get_absolute_url()).text
    assert "Meeting after" in text and "Half way" in text


def test_actions_of_drafts_are_hidden_from_members(member_client, minutes):
    hidden = ActionItemFactory(meeting=minutes["draft"])
    assert member_client.get(hidden.get_absolute_url()).status_code == 404


def test_markdown_is_sanitised_on_the_meeting_page(member_client, minutes):
    SectionFactory(
        meeting=minutes["meeting"],
        title="Unsafe",
        body=(
            "<script>alert(1)</script> [x](javascript:alert(2))\n\n"
            '<a href="javascript:alert(4)">y</a> <img src=x onerror="alert(3)">'
        ),
    )
    text = member_client.get(minutes["meeting"].get_absolute_url()).text
    assert "<script>alert(1)" not in text
    assert 'href="javascript' not in text
    assert "onerror" not in text


# Filters


def titles(response) -> set[str]:
    return {meeting.title for meeting in response.context["page_obj"].object_list}


def test_meeting_list_filters_by_series_year_dates_chair_attendee_organisation(
    member_client,
):
    series = SeriesFactory(slug="steering")
    ada = PersonFactory()
    MeetingFactory(title="A", series=series, date=datetime.date(2023, 3, 1), chair=ada)
    b = MeetingFactory(title="B", date=datetime.date(2024, 3, 1))
    AttendanceFactory(meeting=b, person=ada)
    AttendanceFactory(meeting=b, status="apologies")  # apologies do not count
    MeetingFactory(title="C trip", date=datetime.date(2024, 9, 1))
    url = reverse("meetings:meeting-list")
    cases = {
        "series=steering": {"A"},
        "year=2024": {"B", "C trip"},
        "date_from=2024-01-01&date_to=2024-06-30": {"B"},
        f"chair={ada.pk}": {"A"},
        f"attendee={ada.pk}": {"B"},
        f"organisation={ada.organisation_id}": {"B"},
        "q=trip": {"C trip"},
        "ordering=title": {"A", "B", "C trip"},
    }
    for query, expected in cases.items():
        assert titles(member_client.get(f"{url}?{query}")) == expected, query


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_from=2013-02-30", "date_from"),
        ("date_to=yesterday", "date_to"),
        ("chair=abc", "chair"),
        ("chair=99999999999999999999999", "chair"),
        ("attendee=-1", "attendee"),
        ("series=no-such-series", "series"),
        ("status=archived", "status"),
        ("year=abc", "year"),
        ("year=99999999999", "year"),
        ("ordering=password", "ordering"),
    ],
)
def test_bad_filter_values_give_a_form_error_not_a_server_error(
    member_client, query, field
):
    MeetingFactory()
    response = member_client.get(f"{reverse('meetings:meeting-list')}?{query}")
    assert response.status_code == 200
    assert field in response.context["filter"].form.errors
    assert "Some filters are not valid" in response.text


def test_a_bad_page_number_shows_a_page_instead_of_failing(member_client):
    MeetingFactory()
    url = reverse("meetings:meeting-list")
    for page in ("abc", "999", "-1"):
        assert member_client.get(f"{url}?page={page}").status_code == 200


def test_pagination_is_stable_when_dates_are_equal(member_client, settings):
    day = datetime.date(2024, 1, 1)
    made = {MeetingFactory(date=day).title for _ in range(30)}
    url = reverse("meetings:meeting-list")
    seen = titles(member_client.get(url)) | titles(member_client.get(f"{url}?page=2"))
    assert seen == made


# Query counts


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_meeting_list_costs_the_same_queries_for_3_and_30_meetings(member_client):
    url = reverse("meetings:meeting-list")
    for _ in range(3):
        meeting = MeetingFactory(chair=PersonFactory())
        AttendanceFactory(meeting=meeting)
    few = count_queries(member_client, url)
    for _ in range(27):
        meeting = MeetingFactory(chair=PersonFactory())
        AttendanceFactory(meeting=meeting)
        ActionItemFactory(meeting=meeting)
    assert count_queries(member_client, url) == few


def fill_meeting(meeting: Meeting, sections: int) -> None:
    for position in range(sections):
        parent = SectionFactory(meeting=meeting, position=position, presenter=None)
        SectionFactory(meeting=meeting, parent=parent, presenter=PersonFactory())
        AttendanceFactory(meeting=meeting)
        ActionItemFactory(meeting=meeting, owners=[PersonFactory()])
    meeting.scribes.add(PersonFactory(), PersonFactory())


def test_meeting_page_costs_the_same_queries_for_3_and_30_sections(member_client):
    small, large = MeetingFactory(), MeetingFactory()
    fill_meeting(small, 3)
    fill_meeting(large, 30)
    small_count = count_queries(member_client, small.get_absolute_url())
    assert count_queries(member_client, large.get_absolute_url()) == small_count


def test_person_and_organisation_pages_do_not_grow_with_history(member_client):
    person = PersonFactory()
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, person=person)
    ActionItemFactory(meeting=meeting, owners=[person])
    urls = [person.get_absolute_url(), person.organisation.get_absolute_url()]
    few = [count_queries(member_client, url) for url in urls]
    for _ in range(20):
        meeting = MeetingFactory()
        AttendanceFactory(meeting=meeting, person=person)
        ActionItemFactory(meeting=meeting, owners=[person, PersonFactory()])
    assert [count_queries(member_client, url) for url in urls] == few


def test_action_page_hides_links_to_actions_of_drafts(member_client, minutes):
    from meetings.models import ActionLink

    secret = ActionItemFactory(
        meeting=minutes["draft"], reference="8.01", description="Secret plan"
    )
    action = minutes["action"]
    ActionLink.objects.create(source=action, target=secret, kind="see")
    ActionLink.objects.create(source=secret, target=action, kind="mentions")
    action.status, action.superseded_by, action.closed_at = (
        "superseded",
        secret,
        minutes["draft"],
    )
    action.save()
    text = member_client.get(action.get_absolute_url()).text
    assert "8.01" not in text and "Secret draft" not in text
