"""Minutes to search: a published archive and one draft, with accented names."""

import datetime

import pytest
from django.db import connection

from tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    SectionFactory,
    SeriesFactory,
)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="stemming and the GIN-indexed search vector exist on PostgreSQL only",
)
on_fallback = pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the scanning fallback runs on SQLite only",
)


@pytest.fixture
def steering(db):
    return SeriesFactory(name="Steering group", slug="steering")


@pytest.fixture
def archive(db, steering):
    """Three published meetings in two series and a draft one, made up."""
    monthly = SeriesFactory(name="Collaboration meeting", slug="collaboration")
    spring = MeetingFactory(
        series=monthly, title="Spring call", date=datetime.date(2024, 3, 12)
    )
    summer = MeetingFactory(
        series=monthly, title="Summer call", date=datetime.date(2024, 6, 11)
    )
    autumn = MeetingFactory(
        series=steering, title="Autumn steering", date=datetime.date(2024, 10, 2)
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
