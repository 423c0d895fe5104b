"""The OpenAPI schema: valid, offline docs, and true to what the API answers."""

import pytest
import schemathesis
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from minutes_site.wsgi import application

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 6


@pytest.fixture
def keep_test_connection():
    """Keep the database connection open across requests to the WSGI app.

    The real handler closes connections when a request ends, which would end
    the test's transaction on PostgreSQL; Django's test client avoids this the
    same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_schema_validates_without_warnings(capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_swagger_ui_loads_its_files_from_this_site(member_client):
    page = BeautifulSoup(member_client.get("/api/docs/").content, "html.parser")

    # Every file the page loads, not its text: the CSRF token it carries is
    # random and once spelled "cdn".
    loaded = [tag.get("src") or tag.get("href") for tag in page(["script", "link"])]
    loaded = [address for address in loaded if address]
    assert loaded
    assert all(address.startswith("/static/") for address in loaded), loaded
    assert any("/drf_spectacular_sidecar/swagger-ui-dist/" in a for a in loaded)
    text = str(page).lower()  # nor an address of another site in a script
    assert not any(host in text for host in ("//cdn", "unpkg.com", "jsdelivr"))


def test_schema_documents_the_error_shape_and_version_headers(member_client):
    schema = member_client.get("/api/schema/?format=json").json()
    put = schema["paths"]["/api/meetings/{id}/"]["put"]

    assert {"400", "401", "403", "404", "409", "412"} <= set(put["responses"])
    assert "If-Match" in [p["name"] for p in put["parameters"]]
    assert "ETag" in put["responses"]["200"]["headers"]
    assert schema["components"]["schemas"]["Error"]["required"] == ["status", "errors"]


@pytest.mark.parametrize("persona", ["member", "staff"])
def test_generated_requests_find_no_server_error_and_no_answer_outside_the_schema(
    persona, minutes, request, capsys, keep_test_connection
):
    token, _ = Token.objects.get_or_create(user=request.getfixturevalue(persona))
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    sent = 0

    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            nonlocal sent
            sent += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

        exercise()

    with capsys.disabled():
        print(f"\nschemathesis sent {sent} requests as {persona}")
    assert sent > 0
