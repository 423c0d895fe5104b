"""Settings, sample data and the local admin account: what `make run` relies on."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from meetings.models import ActionItem, ActionUpdate, Attendance, Meeting, Section
from meetings.search import search

ROOT = Path(__file__).resolve().parents[1]


def import_settings(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import minutes_site.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_mode_refuses_to_start_without_a_real_secret_key():
    missing = import_settings(DEBUG="0", SECRET_KEY="")
    short = import_settings(DEBUG="0", SECRET_KEY="too-short")
    assert missing.returncode != 0 and "SECRET_KEY" in missing.stderr
    assert short.returncode != 0 and "SECRET_KEY" in short.stderr
    assert import_settings(DEBUG="0", SECRET_KEY="k" * 50).returncode == 0


def test_a_malformed_boolean_setting_is_an_error_not_a_guess():
    result = import_settings(DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.parametrize("value", ["many", "0", "100000", ""])
def test_a_review_page_size_out_of_range_is_an_error(value):
    result = import_settings(MINUTES_REVIEW_PAGE_SIZE=value)
    assert result.returncode != 0
    assert "MINUTES_REVIEW_PAGE_SIZE" in result.stderr
    assert "from 5 to 500" in result.stderr


def test_the_review_page_size_is_read_from_the_environment():
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import minutes_site.settings as s; print(s.MINUTES_REVIEW_PAGE_SIZE)",
        ],
        cwd=ROOT,
        env={**os.environ, "MINUTES_REVIEW_PAGE_SIZE": " 20 "},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "20"


@pytest.mark.django_db
def test_sample_data_has_every_thing_the_pages_show():
    call_command("load_sample_data", stdout=io.StringIO())
    assert Meeting.objects.values("series").distinct().count() == 3
    assert Meeting.objects.published().count() == 6
    assert Meeting.objects.drafts().count() == 1
    assert set(ActionItem.objects.values_list("status", flat=True)) == set(
        ActionItem.Status
    )
    assert ActionUpdate.objects.values("action").distinct().count() >= 4
    assert Attendance.objects.filter(status="apologies").exists()
    assert Section.objects.filter(parent__parent__isnull=False).exists()
    assert Section.objects.filter(body__regex=r"(?m)^[A-Z]{2}: ").exists()


@pytest.mark.parametrize(
    "query, title",
    [
        # The README's examples: an accent left out, a phrase, an exclusion.
        ("mustermann", "Roadmap"),
        ("MUSTERMÄNN", "Roadmap"),
        ('"data policy"', "Action 42.02"),
        ("ingest -daemon", "Action 41.02"),
    ],
)
def test_the_readme_search_examples_find_the_sample(staff, query, title):
    call_command("load_sample_data", stdout=io.StringIO())

    titles = [hit.title for hit in search(staff, query)[:50]]

    assert title in titles
    if query.startswith("ingest"):
        assert "HXF" not in titles  # its report mentions the ingest daemon


@pytest.mark.django_db
def test_sample_data_is_only_loaded_into_an_empty_site():
    call_command("load_sample_data", stdout=io.StringIO())
    with pytest.raises(CommandError, match="already has meetings"):
        call_command("load_sample_data")
    call_command("load_sample_data", "--if-empty", stdout=io.StringIO())
    assert Meeting.objects.count() == 7


@pytest.mark.django_db
def test_local_admin_password_is_kept_and_printed_again(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    settings.DEBUG = True  # pytest-django turns it off; the command needs it on
    call_command("ensure_local_admin")
    first = capsys.readouterr().out
    call_command("ensure_local_admin")
    second = capsys.readouterr().out
    password = (tmp_path / "admin-password.txt").read_text().strip()
    assert f"password '{password}'" in first and f"password '{password}'" in second
    assert "(new)" in first and "(existing)" in second
    from django.contrib.auth import authenticate

    assert authenticate(username="admin", password=password).is_superuser


@pytest.mark.django_db
def test_local_admin_is_refused_in_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("ensure_local_admin")


@pytest.mark.django_db
def test_login_and_logout_pages_work(client, member):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(
        reverse("login"),
        {"username": "member", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.get(reverse("meetings:home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("meetings:home")).status_code == 302


def test_the_browser_icon_is_found_on_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response.url.endswith("favicon.svg")


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="settings for PostgreSQL only"
)
def test_postgresql_connections_skip_jit_and_server_side_cursors():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
    assert connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True
