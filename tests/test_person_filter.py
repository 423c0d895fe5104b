"""People in filters: typed by name, with suggestions, not a list of everyone."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from meetings.filters import MeetingFilter
from meetings.models import Meeting, Person
from tests.factories import (
    ActionItemFactory,
    AttendanceFactory,
    MeetingFactory,
    PersonAliasFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
SUGGEST = reverse("meetings:person-suggest")
MEETINGS = reverse("meetings:meeting-list")


@pytest.fixture
def people(db):
    ada = PersonFactory(name="Ada Ashgrove", initials="AA", email="ada@example.org")
    PersonAliasFactory(person=ada, alias="Addie")
    return {
        "ada": ada,
        "adam": PersonFactory(name="Adam Dunmore", initials="AD"),
        "bram": PersonFactory(name="Bram Quayle", initials="BQ"),
        "bram2": PersonFactory(name="Bram Quayle-Szabó", initials="BS"),
    }


def chaired(query: str) -> tuple[set[str], dict]:
    filterset = MeetingFilter({"chair": query}, queryset=Meeting.objects.all())
    if not filterset.is_valid():
        return set(), filterset.errors
    return {meeting.title for meeting in filterset.qs}, {}


@pytest.fixture
def meetings(people):
    MeetingFactory(title="Chaired by Ada", chair=people["ada"])
    MeetingFactory(title="Chaired by Bram", chair=people["bram"])


@pytest.mark.parametrize(
    "typed",
    ["Ada Ashgrove", "ada ashgrove", "  Ada   Ashgrove ", "AA", "addie", "grove"],
)
def test_a_person_is_found_by_name_initials_alias_or_a_unique_fragment(meetings, typed):
    assert chaired(typed) == ({"Chaired by Ada"}, {})


@pytest.mark.parametrize(
    "typed", ["Jorg Mustermann", "JÖRG MUSTERMÄNN", "jörg mustermänn", "mustermann"]
)
def test_capitals_and_accents_do_not_matter_in_names(db, typed):
    jorg = PersonFactory(name="Jörg Mustermänn", initials="JM")
    MeetingFactory(title="Chaired by Jörg", chair=jorg)

    assert chaired(typed) == ({"Chaired by Jörg"}, {})


def test_initials_are_compared_whole_and_folded(db):
    asa = PersonFactory(name="Åsa Lind", initials="ÅB")
    MeetingFactory(title="Chaired by Åsa", chair=asa)

    assert chaired("ab") == ({"Chaired by Åsa"}, {})
    assert list(Person.objects.matching("b")) == []  # never a piece of initials


def test_capitals_and_accents_do_not_matter_in_aliases(people, meetings):
    assert chaired("bram")[1]  # two people called Bram: type more
    PersonAliasFactory(person=people["bram"], alias="Brâm")

    # Now one of them has it as a whole alias, however it is typed.
    assert chaired("BRAM") == ({"Chaired by Bram"}, {})
    assert chaired("bräm") == ({"Chaired by Bram"}, {})


def test_an_id_still_works_as_in_the_api(people, meetings):
    assert chaired(str(people["bram"].pk)) == ({"Chaired by Bram"}, {})


def test_an_exact_name_wins_over_longer_names_containing_it(meetings):
    assert chaired("Bram Quayle") == ({"Chaired by Bram"}, {})


@pytest.mark.parametrize(
    "typed, message",
    [
        ("Qu", "type at least three letters"),  # too short to guess from
        ("Zed Nobody", "Nobody is called"),
        ("Quayle", "fits several people (Bram Quayle, Bram Quayle-Szabó)"),
        ("999999", "There is no person with id 999999."),
        ("9" * 40, "There is no person with id"),
    ],
)
def test_what_fits_nobody_or_several_people_is_a_form_error(meetings, typed, message):
    rows, errors = chaired(typed)
    assert rows == set()
    assert message in errors["chair"][0]


def test_the_page_shows_the_error_beside_the_box(member_client, meetings):
    response = member_client.get(MEETINGS, {"chair": "Quayle"})

    assert response.status_code == 200
    errors = BeautifulSoup(response.content, "html.parser").find(id="id_chair_error")
    # Named by the filter's label, as on the register.
    assert errors.get_text().startswith("Chair: “Quayle” fits several people")
    assert "type more of the name" in errors.get_text()


def test_the_box_shows_the_name_for_an_id_and_asks_for_suggestions(
    member_client, people, meetings
):
    response = member_client.get(MEETINGS, {"chair": people["ada"].pk})
    page = BeautifulSoup(response.content, "html.parser")

    box = page.find("input", attrs={"name": "chair"})
    assert box["value"] == "Ada Ashgrove"
    assert box["hx-get"] == f"{SUGGEST}?for=chair"
    assert page.find("datalist", id=box["list"]) is not None
    assert page.find("script", src=lambda src: src and "htmx" in src) is not None
    assert [cell.get_text(strip=True) for cell in page.select("tbody tr td a")][:1] == [
        "Chaired by Ada"
    ]


def test_attendee_and_owner_take_names_too(member_client, people):
    meeting = MeetingFactory(title="Attended by Bram", date=datetime.date(2024, 5, 1))
    AttendanceFactory(meeting=meeting, person=people["bram"])
    MeetingFactory(title="Nobody we know")
    ActionItemFactory(meeting=meeting, description="Tape count", owners=[people["ada"]])
    ActionItemFactory(meeting=meeting, description="Other work")

    listed = member_client.get(MEETINGS, {"attendee": "BQ"}).content.decode()
    register = member_client.get(
        reverse("meetings:action-list"), {"owner": "Ada Ashgrove"}
    ).content.decode()

    assert "Attended by Bram" in listed and "Nobody we know" not in listed
    assert "Tape count" in register and "Other work" not in register


def test_suggestions_list_matching_names_without_personal_data(member_client, people):
    response = member_client.get(SUGGEST, {"for": "chair", "chair": "ada"})
    options = BeautifulSoup(response.content, "html.parser").find_all("option")

    assert [option["value"] for option in options] == ["Ada Ashgrove", "Adam Dunmore"]
    assert "example.org" not in response.content.decode()


def test_suggestions_fold_capitals_and_accents(member_client, people):
    response = member_client.get(SUGGEST, {"for": "chair", "chair": "SZABO"})
    options = BeautifulSoup(response.content, "html.parser").find_all("option")

    assert [option["value"] for option in options] == ["Bram Quayle-Szabó"]


def test_suggestions_put_active_people_first_and_stop_at_ten(member_client):
    PersonFactory(name="Quinn Inactive", is_active=False)
    for n in range(12):
        PersonFactory(name=f"Quinn Active {n:02d}")

    response = member_client.get(SUGGEST, {"for": "q", "q": "quinn"})
    values = [
        option["value"]
        for option in BeautifulSoup(response.content, "html.parser").find_all("option")
    ]

    assert len(values) == 10
    assert values[0] == "Quinn Active 00"
    assert "Quinn Inactive" not in values


@pytest.mark.parametrize(
    "query", [{}, {"for": "chair"}, {"for": "chair", "chair": "a"}]
)
def test_too_little_typed_suggests_nothing(member_client, people, query):
    response = member_client.get(SUGGEST, query)

    assert response.status_code == 200
    assert "<option" not in response.content.decode()


@override_settings(MINUTES_PUBLIC=False)
def test_suggestions_are_for_readers_only(people):
    response = Client().get(SUGGEST, {"for": "q", "q": "ada"})

    assert response.status_code == 302
    assert "Ada" not in response.content.decode()


def test_the_meeting_list_costs_the_same_queries_for_few_and_many_people(
    member_client,
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert member_client.get(MEETINGS).status_code == 200
        return len(captured)

    MeetingFactory()
    few = queries()
    for n in range(60):
        PersonFactory(name=f"Extra person {n}")

    assert queries() == few
    assert "Extra person" not in member_client.get(MEETINGS).content.decode()
