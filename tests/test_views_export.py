"""The Markdown download of a meeting (``meetings.views.export``)."""

import pytest
from django.urls import reverse

from tests.factories import AttendanceFactory, MeetingFactory, PersonFactory


@pytest.fixture
def published(db):
    meeting = MeetingFactory(title="Meeting 4")
    person = PersonFactory(name="Ada Example", email="ada@example.org")
    AttendanceFactory(meeting=meeting, person=person)
    return meeting


@pytest.fixture
def draft(db):
    return MeetingFactory(draft=True, title="Draft meeting")


@pytest.mark.parametrize(
    ("persona", "published_status", "draft_status"),
    [
        ("anonymous", 302, 302),
        ("member", 200, 404),
        ("scribe", 200, 200),
        ("chair", 200, 200),
        ("staff", 200, 200),
    ],
)
def test_who_may_download_which_minutes(
    persona_client, published, draft, persona, published_status, draft_status
):
    client = persona_client(persona)

    for meeting, status in ((published, published_status), (draft, draft_status)):
        url = reverse("meetings:meeting-markdown", args=[meeting.pk])
        assert client.get(url).status_code == status


def test_public_site_lets_anonymous_visitors_download_published_minutes(
    client, published, draft, settings
):
    settings.MINUTES_PUBLIC = True

    ok = client.get(reverse("meetings:meeting-markdown", args=[published.pk]))
    hidden = client.get(reverse("meetings:meeting-markdown", args=[draft.pk]))

    assert (ok.status_code, hidden.status_code) == (200, 404)


def test_download_is_a_markdown_file_without_emails(staff_client, published):
    response = staff_client.get(
        reverse("meetings:meeting-markdown", args=[published.pk])
    )
    text = response.content.decode()

    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{published.date:%Y-%m-%d}-meeting-4.md"'
    )
    assert text.startswith("---\ntitle: Meeting 4\n")
    assert "Present: Ada Example" in text
    assert "@" not in text


def test_meeting_page_links_to_the_download(member_client, published):
    page = member_client.get(published.get_absolute_url())

    assert (
        reverse("meetings:meeting-markdown", args=[published.pk])
        in page.content.decode()
    )
