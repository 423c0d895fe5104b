"""Resolving written names to people (``meetings.importing.directory``)."""

import pytest

from meetings.importing.directory import PeopleDirectory, looks_like_initials
from tests.factories import PersonFactory


@pytest.fixture
def directory(directory_people):
    PersonFactory(name="Ada Otherwise", initials="AO")
    return PeopleDirectory.load()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Ada Example", "Ada Example"),
        ("  ada   EXAMPLE. ", "Ada Example"),
        ("Ada E.", "Ada Example"),
        ("AE", "Ada Example"),
        ("Carlita", "Carla Placeholder"),
        ("Bram", "Bram Sample"),
    ],
)
def test_names_initials_aliases_and_unique_first_names_resolve(
    directory, written, expected
):
    assert directory.resolve(written).person.name == expected


def test_a_first_name_two_people_share_is_ambiguous(directory):
    found = directory.resolve("Ada")

    assert found.is_ambiguous
    assert sorted(p.name for p in found.candidates) == ["Ada Example", "Ada Otherwise"]


def test_initials_written_next_to_a_misspelt_name_settle_it(directory):
    found = directory.resolve("Ada Exmaple", initials="AE")

    assert found.person.name == "Ada Example"
    assert found.guess == "by the initials AE"


def test_an_unknown_name_resolves_to_nobody(directory):
    found = directory.resolve("Zed Unknown")

    assert (found.person, found.is_ambiguous) == (None, False)


@pytest.mark.parametrize(
    ("text", "expected"), [("AE", True), ("JES", True), ("All", False), ("Ada", False)]
)
def test_initials_are_told_from_names(text, expected):
    assert looks_like_initials(text) is expected
