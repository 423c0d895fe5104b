"""Preloading people from a JSON directory (``meetings.importing.people``)."""

import json
import re

import pytest

from meetings.importing.people import PeopleFileError, load_people, read_people_file
from meetings.models import Organisation, Person, PersonAlias
from tests.factories import OrganisationFactory, PersonFactory

PEOPLE = [
    {
        "name": "Ada Example",
        "initials": ["AE", "AdE"],
        "variants": ["Ada Example", "Ada", "Ada Exmaple", "AE"],
        "organisation": "NLS",
        "roles": ["chair"],
    },
    {"name": "Bram Sample", "initials": "BS", "variants": [], "organisation": None},
]


def people_bytes(data) -> bytes:
    return json.dumps(data, indent=1).encode()


def test_people_aliases_and_organisations_are_created(db):
    result = load_people(read_people_file(people_bytes(PEOPLE)))

    ada = Person.objects.get(name="Ada Example")
    assert (ada.initials, ada.organisation.short_name) == ("AE", "NLS")
    assert set(ada.aliases.values_list("alias", flat=True)) == {
        "Ada",
        "Ada Exmaple",
        "AdE",
    }
    assert Person.objects.get(name="Bram Sample").organisation is None
    assert result.people_created == ["Ada Example", "Bram Sample"]
    assert (result.aliases_added, result.organisations_created) == (3, ["NLS"])


def test_loading_the_same_file_twice_changes_nothing(db):
    load_people(read_people_file(people_bytes(PEOPLE)))

    again = load_people(read_people_file(people_bytes(PEOPLE)))

    assert again.summary() == (
        "0 people created, 0 completed, 0 aliases added, 0 organisations created"
    )
    assert Person.objects.count() == 2
    assert PersonAlias.objects.count() == 3


def test_existing_people_keep_what_an_admin_set_and_gain_what_was_blank(db):
    ada = PersonFactory(
        name="ada  example", initials="", organisation=OrganisationFactory()
    )
    admin_organisation = ada.organisation

    result = load_people(read_people_file(people_bytes(PEOPLE[:1])))

    ada.refresh_from_db()
    assert (ada.initials, ada.organisation) == ("AE", admin_organisation)
    assert result.people_created == []
    assert result.people_completed == 1


def test_an_organisation_is_matched_whatever_its_case(db):
    OrganisationFactory(short_name="nls")

    load_people(read_people_file(people_bytes(PEOPLE[:1])))

    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[{"name": "Ada"},\n {"name": }]', "line 2, column 11: not valid JSON"),
        (b"\xff\xfe[]", "not valid UTF-8"),
        (b'{"name": "Ada"}', "expected a list of people, found a dict"),
        (b'["Ada"]', "entry 1: expected an object"),
        (b'[{"name": "Ada"}, {"initials": ["BS"]}]', "entry 2: 'name' must be"),
        (b'[{"name": "Ada", "variants": "Ada E"}]', "entry 1 (Ada): 'variants' must"),
        (b'[{"name": "Ada", "initials": [1]}]', "'initials' must be a list"),
        (b'[{"name": "Ada", "initials": ["ABCDEFGHIJK"]}]', "longer than 10"),
        (b'[{"name": "Ada", "organisation": 3}]', "'organisation' must be a string"),
        (b'[{"name": "Ada"}, {"name": "ADA"}]', "entry 2 (ADA): the same name as"),
    ],
)
def test_a_malformed_file_says_what_is_wrong_and_where(content, message):
    with pytest.raises(PeopleFileError, match=re.escape(message)):
        read_people_file(content)
