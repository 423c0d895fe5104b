"""Form errors are tied to their fields for screen readers."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, query",
    [
        ("meetings:meeting-list", {"chair": "Example", "year": "soon"}),
        ("meetings:action-list", {"owner": "Example", "due_before": "tomorrow"}),
        ("meetings:search", {"q": "-landing", "date_from": "2024-02-30"}),
    ],
)
def test_every_field_in_error_points_at_its_message(member_client, url, query):
    PersonFactory(name="Ada Example")
    PersonFactory(name="Bo Example")

    page = BeautifulSoup(member_client.get(reverse(url), query).content, "html.parser")

    invalid = page.find_all(attrs={"aria-invalid": "true"})
    assert len(invalid) == 2
    for field in invalid:
        for target in field["aria-describedby"].split():
            message = page.find(id=target)
            assert message is not None, target
            assert message.get_text(strip=True)
