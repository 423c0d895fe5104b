"""Minutes to search: a published archive and one draft, with accented names.

A pytest plugin (``pytest_plugins`` in ``tests/conftest.py``), so the search
service's tests and the API's search tests read the same archive.
"""

import datetime

import pytest

from tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    SectionFactory,
    SeriesFactory,
)


@pytest.fixture
def steering(db):
    return SeriesFactory(name="Steering group", slug="steering")


@pytest.fixture
def archive(db, steering):
    """Three published meetings in two series and a draft one, made up.

    Shared with the API's search tests (``tests/api/test_search.py``).
    """
    monthly = SeriesFactory(name="Collaboration meeting", slug="collaboration")
    spring = MeetingFactory(
        series=monthly, number=6, title="Spring call", date=datetime.date(2024, 3, 12)
    )
    summer = MeetingFactory(
        series=monthly, number=7, title="Summer call", date=datetime.date(2024, 6, 11)
    )
    autumn = MeetingFactory(
        series=steering,
        number=None,
        title="Autumn steering",
        date=datetime.date(2024, 10, 2),
    )
    draft = MeetingFactory(
        series=monthly, title="Winter call", date=datetime.date(2024, 12, 3), draft=True
    )
    sections = {
        "policy": SectionFactory(
            meeting=spring,
            title="Data policy",
            body="JG: The data policy draft was circulated to all sites.",
        ),
        "landing": SectionFactory(
            meeting=summer,
            title="Persistent identifiers",
            body="AE: Every DOI now resolves to a landing page with the abstract.",
        ),
        "doi": SectionFactory(
            meeting=autumn,
            title="Catalogue",
            body="Jörg Götz asked whether each DOI names a dataset or a run.",
        ),
        "secret": SectionFactory(
            meeting=draft,
            title="Budget",
            body="The embargoed calibration figures stay confidential for now.",
        ),
    }
    actions = {
        "mint": ActionItemFactory(
            meeting=summer,
            reference="7.01",
            description="Mint a DOI for the commissioning data of beamline B2.",
        ),
    }
    return {
        "meetings": {
            "spring": spring,
            "summer": summer,
            "autumn": autumn,
            "draft": draft,
        },
        "sections": sections,
        "actions": actions,
    }
