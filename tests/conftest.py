"""Personas and shared fixtures. Each fixture builds on the ones before it."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from meetings.permissions import CHAIR_GROUP, SCRIBE_GROUP
from tests.factories import (
    OrganisationFactory,
    PersonAliasFactory,
    PersonFactory,
    SeriesFactory,
    UserFactory,
)

PERSONAS = ["anonymous", "member", "scribe", "chair", "staff"]

# ``archive`` and ``steering``: the minutes the search and API search tests read.
pytest_plugins = ["tests.search.fixtures"]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    # Real password hashing is slow on purpose; tests do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member(db):
    return UserFactory(username="member")


@pytest.fixture
def scribe(db):
    user = UserFactory(username="scribe")
    user.groups.add(Group.objects.get(name=SCRIBE_GROUP))
    return user


@pytest.fixture
def chair(db):
    user = UserFactory(username="chair")
    user.groups.add(Group.objects.get(name=CHAIR_GROUP))
    return user


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def persona_client(request, db):
    """A client logged in as the persona named by ``request.param``."""

    def make(persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        return client

    return make


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(member):
    return _logged_in(member)


@pytest.fixture
def scribe_client(scribe):
    return _logged_in(scribe)


@pytest.fixture
def chair_client(chair):
    return _logged_in(chair)


@pytest.fixture
def staff_client(staff):
    return _logged_in(staff)


@pytest.fixture
def monthly(db):
    """The series imported monthly minutes go to (the parser's "monthly")."""
    return SeriesFactory(name="Collaboration meeting", slug="monthly")


@pytest.fixture
def directory_people(db):
    """Made-up people with initials and aliases, as an admin would keep them."""
    nls = OrganisationFactory(short_name="NLS")
    people = {
        "ada": PersonFactory(name="Ada Example", initials="AE", organisation=nls),
        "bram": PersonFactory(name="Bram Sample", initials="BS", organisation=nls),
        "carla": PersonFactory(name="Carla Placeholder", initials="CP"),
    }
    PersonAliasFactory(person=people["ada"], alias="Ada E.")
    PersonAliasFactory(person=people["carla"], alias="Carlita")
    return people
