"""A chair reviews actions in a real browser, and the register shows the result.

Runs Debian's headless Chromium through Playwright; skipped where it is absent.
"""

import pathlib

import pytest
from django.db import connections

from meetings.models import ActionItem, ActionUpdate

CHROMIUM = pathlib.Path("/usr/bin/chromium")
PASSWORD = "correct horse battery staple"  # as set by UserFactory

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows, so this test runs outside a
    # transaction; another such test may have flushed the rows that migrations
    # made (the Scribe and Chair groups), which this restores first.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


@pytest.fixture
def page(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # test makes meanwhile are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
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
        context = browser.new_context()
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        # While Playwright runs, the test's queries get a connection of their
        # own; left open, it stops PostgreSQL from dropping the test database.
        connections.close_all()
        browser.close()


def test_a_chair_closes_an_action_in_the_review_and_the_register_shows_it(
    live_server, page, chair, meetings, raised
):
    second = meetings[1]
    review_path = f"/meetings/{second.pk}/review/"

    page.goto(f"{live_server.url}/accounts/login/?next={review_path}")
    page.get_by_label("Username").fill(chair.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{review_path}")

    rows = page.locator("tr[data-reference]")
    assert rows.count() == 3
    page.get_by_label("Status of 1.01").select_option("done")
    page.get_by_label("Comment on 1.01").fill("Delivered, with thanks")
    page.get_by_label("Comment on 1.02").fill("Still waiting; next month")
    page.get_by_role("button", name="Save the review").click()
    page.wait_for_url(f"**{review_path}?group=owner")
    assert "Recorded 2 update(s)" in page.locator(".messages").inner_text()

    page.goto(f"{live_server.url}/actions/?status=done")
    table = page.locator("table").inner_text()
    assert "1.01" in table
    assert "1.02" not in table

    closed = ActionItem.objects.get(reference="1.01")
    assert (closed.status, closed.closed_at) == ("done", second)
    assert ActionUpdate.objects.filter(meeting=second).count() == 2
