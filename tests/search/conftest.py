"""Markers for the search tests; their archive is in ``tests/search/fixtures.py``."""

import pytest
from django.db import connection

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="stemming and the GIN-indexed search vector exist on PostgreSQL only",
)
on_fallback = pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the scanning fallback runs on SQLite only",
)
