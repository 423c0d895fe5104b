"""A scribe writes minutes and a chair publishes them, in a real browser.

Drives Debian's Chromium through Playwright. Screenshots go to
``test-artifacts/`` (or ``$TEST_ARTIFACTS``); any JavaScript error on any page
fails the test.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connections

from meetings.models import Meeting
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    PersonFactory,
    SeriesFactory,
    UserFactory,
)

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery staple"
ARTIFACTS = Path(
    os.environ.get(
        "TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"
    )
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed"
    ),
]


@pytest.fixture
def browser_page(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the live server has its own
    # thread, and the test only touches the database between browser steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda message: (
                errors.append(message.text) if message.type == "error" else None
            ),
        )
        yield page, errors
        # Queries made while Playwright runs use a connection of their own; left
        # open, it would stop PostgreSQL from dropping the test database.
        connections.close_all()
        browser.close()
    assert errors == [], f"JavaScript errors: {errors}"


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scribe_writes_minutes_and_chair_publishes_them(live_server, browser_page):
    page, _errors = browser_page
    scribe = UserFactory(username="sam-scribe")
    scribe.groups.add(Group.objects.get(name="Scribe"))
    chair = UserFactory(username="cat-chair")
    chair.groups.add(Group.objects.get(name="Chair"))
    series = SeriesFactory(name="Collaboration meeting", slug="collab")
    before = MeetingFactory(series=series, number=60, title="Collaboration meeting 60")
    ada = PersonFactory(name="Ada Example", initials="AE")
    AttendanceFactory(meeting=before, person=ada)
    PersonFactory(name="Bram Sample", initials="BS")
    base = live_server.url

    log_in(page, base, "sam-scribe")
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Series").select_option(label="Collaboration meeting")
    page.get_by_label("Number").fill("61")
    page.get_by_label("Title").fill("Collaboration meeting 61")
    page.get_by_label("Date").fill("2026-11-26")
    page.get_by_role("button", name="Create draft").click()
    page.get_by_text("Draft “Collaboration meeting 61” created.").wait_for()

    # Attendance: the previous meeting's people are listed; mark and add.
    page.get_by_role("link", name="Edit attendance").click()
    page.get_by_role("row", name="Ada Example").get_by_label("Present").check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_role("link", name="Edit attendance").click()
    page.get_by_label("Add a person").fill("BS")
    page.locator("#id_status").select_option("apologies")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Bram Sample added.").wait_for()
    page.get_by_role("link", name="← Back to the editor").click()

    # A nested section with a body, then an action in it.
    page.get_by_label("New section").fill("Site updates")
    page.get_by_role("button", name="Add section").click()
    page.get_by_role("link", name="← Back to Collaboration meeting 61").click()
    page.get_by_label("New section").fill("NLS")
    page.locator("#id_parent").select_option(label="Site updates")
    page.get_by_role("button", name="Add section").click()
    page.get_by_label("Body").fill("AE: the **detector** is back.\n\n- tested")
    page.get_by_role("button", name="Preview").click()
    page.locator("#live-preview strong", has_text="detector").wait_for()
    page.screenshot(path=ARTIFACTS / "editor-section.png", full_page=True)
    page.get_by_role("button", name="Save section").click()
    page.get_by_role("link", name="Add action in NLS").click()
    page.get_by_label("Description").fill("Send the detector report")
    page.get_by_label("Owners").select_option(label="Ada Example")
    page.get_by_role("button", name="Save action").click()
    page.get_by_text("Action 61.01 saved.").wait_for()
    page.screenshot(path=ARTIFACTS / "editor-meeting.png", full_page=True)
    page.get_by_role("button", name="Log out sam-scribe").click()

    # The chair publishes.
    log_in(page, base, "cat-chair")
    meeting = Meeting.objects.get(number=61)
    page.goto(f"{base}/meetings/{meeting.pk}/edit/")
    page.get_by_role("button", name="Publish these minutes").click()
    page.get_by_text("is published").wait_for()
    page.screenshot(path=ARTIFACTS / "published-meeting.png", full_page=True)

    meeting.refresh_from_db()
    assert meeting.is_published and meeting.published_by == chair
    text = page.locator("main").inner_text()
    assert "Ada Example" in text and "Bram Sample" in text
    assert "61.01" in text and "Send the detector report" in text
    nls = meeting.sections.get(title="NLS")
    assert page.locator(f"#section-{nls.pk} strong").inner_text() == "detector"
