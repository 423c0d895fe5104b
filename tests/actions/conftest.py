"""Fixtures for the action register, the review of a meeting and the exports."""

import datetime

import pytest

from tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
    SeriesFactory,
)


@pytest.fixture
def series(db):
    return SeriesFactory(name="Sample collaboration call", slug="sample-call")


@pytest.fixture
def meetings(series):
    """Three monthly meetings of ``series``: the 1st, 2nd and 3rd."""
    return [
        MeetingFactory(
            series=series,
            number=number,
            title=f"Sample call {number}",
            date=datetime.date(2024, 1 + number, 10),
        )
        for number in (1, 2, 3)
    ]


@pytest.fixture
def owners(db):
    """Two made-up owners at two made-up organisations."""
    north = OrganisationFactory(short_name="NORTHLAB", name="Northern Sample Lab")
    south = OrganisationFactory(short_name="SOUTHLAB", name="Southern Sample Lab")
    return {
        "ada": PersonFactory(name="Ada Example", organisation=north),
        "bo": PersonFactory(name="Bo Placeholder", organisation=south),
    }


@pytest.fixture
def raised(meetings, owners):
    """Three open actions raised at the first meeting."""
    first = meetings[0]
    return [
        ActionItemFactory(
            meeting=first,
            reference=f"1.0{n}",
            description=f"Sample task {n}",
            owners=[owners["ada"] if n < 3 else owners["bo"]],
            due_date=datetime.date(2024, 3, n),
        )
        for n in (1, 2, 3)
    ]


@pytest.fixture
def outbox(db, mailoutbox):
    """Django's test outbox, taken once the database is set up.

    Requested before the database, ``mailoutbox`` can hand out a list that
    the test environment replaces afterwards, and then stays empty.
    """
    return mailoutbox
