import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from meetings.models import Person, Section
from tests.factories import ActionItemFactory, MeetingFactory, SectionFactory

pytestmark = pytest.mark.django_db


def save_body(client, section, body, title=None):
    section.refresh_from_db()
    url = reverse("meetings:section-edit", args=[section.pk])
    data = {"title": title or section.title, "body": body}
    data["loaded_version"] = section.version
    return client.post(url, data)


def test_history_lists_who_changed_what_with_old_and_new_text(scribe_client, scribe):
    section = SectionFactory(title="Budget", body="First draft")
    save_body(scribe_client, section, "Second draft")
    response = scribe_client.get(
        reverse("meetings:meeting-history", args=[section.meeting_id])
    )
    entries = response.context["entries"]
    newest = entries[0]
    assert newest.label == "Section “Budget”"
    assert newest.record.history_user == scribe
    body = next(c for c in newest.changes if c.label == "body")
    assert (body.before, body.after) == ("First draft", "Second draft")
    assert "First draft" in response.text and "Second draft" in response.text


def test_history_covers_attendance_and_actions(scribe_client):
    meeting = MeetingFactory(draft=True)
    url = reverse("meetings:meeting-attendance", args=[meeting.pk])
    scribe_client.post(url, {"add": 1, "name": "Nova Newcomer", "status": "present"})
    ActionItemFactory(meeting=meeting, reference="9.01")
    labels = [
        e.label
        for e in scribe_client.get(
            reverse("meetings:meeting-history", args=[meeting.pk])
        ).context["entries"]
    ]
    assert "Attendance of Nova Newcomer" in labels
    assert "Action 9.01" in labels


def test_a_section_is_restored_to_an_earlier_version(scribe_client):
    section = SectionFactory(body="Good text")
    save_body(scribe_client, section, "Accidentally deleted most of it")
    original = section.history.order_by("history_id").first()
    url = reverse("meetings:section-restore", args=[section.pk, original.history_id])
    assert scribe_client.post(url).status_code == 302
    section.refresh_from_db()
    assert section.body == "Good text"
    # The restore is itself a change in the history, so it can be undone too.
    assert section.history.count() == 3


def test_history_page_query_count_does_not_grow_with_changes(
    scribe_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    section = SectionFactory(body="v0")
    url = reverse("meetings:meeting-history", args=[section.meeting_id])
    save_body(scribe_client, section, "v1")
    with CaptureQueriesContext(connection) as few:
        scribe_client.get(url)
    for n in range(2, 15):
        save_body(scribe_client, section, f"v{n}")
        SectionFactory(meeting=section.meeting)
    with CaptureQueriesContext(connection) as many:
        scribe_client.get(url)
    assert len(many) == len(few)


XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<svg onload="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;&#97;vascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '"><script>alert(1)</script>',
    "<iframe src=javascript:alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
]


class _LiveMarkup(HTMLParser):
    """Collects what a browser would execute: tags and attributes, not text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "iframe", "svg", "object", "embed"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag} {name}")
            if name in {"href", "src"} and value.startswith(("javascript:", "data:")):
                self.found.append(f"{tag} {name}={value[:20]}")


def assert_no_live_payload(html: str) -> None:
    parser = _LiveMarkup()
    parser.feed(html)
    # The page's own script tag for htmx is the only script allowed.
    live = [f for f in parser.found if f != "<script>"]
    assert live == [], live
    assert "alert(" not in _script_bodies(html)


def _script_bodies(html: str) -> str:
    return " ".join(re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_entered_in_the_editor_never_reach_a_page_unescaped(
    scribe_client, persona_client, payload
):
    meeting = MeetingFactory(title="Safe title")
    section = SectionFactory(meeting=meeting, title="Notes")
    save_body(scribe_client, section, payload, title=f"Title {payload}")
    url = reverse("meetings:meeting-attendance", args=[meeting.pk])
    scribe_client.post(url, {"add": 1, "name": f"Name {payload}", "status": "present"})
    action_url = reverse("meetings:action-add", args=[meeting.pk])
    scribe_client.post(
        action_url,
        {
            "reference": "1.01",
            "description": f"Do {payload}",
            "owners_text": "All",
            "status": "open",
        },
    )
    assert Section.objects.get(pk=section.pk).body == payload  # kept as typed
    person = Person.objects.get(name__startswith="Name ")
    member = persona_client("member")
    pages = [
        meeting.get_absolute_url(),
        person.get_absolute_url(),
        reverse("meetings:meeting-list"),
        reverse("meetings:meeting-history", args=[meeting.pk]),
        reverse("meetings:meeting-edit", args=[meeting.pk]),
        reverse("meetings:meeting-attendance", args=[meeting.pk]),
    ]
    for url in pages[:3]:
        assert_no_live_payload(member.get(url).text)
    for url in pages[3:]:
        assert_no_live_payload(scribe_client.get(url).text)
    preview = scribe_client.post(
        reverse("meetings:markdown-preview"), {"body": payload}
    )
    assert_no_live_payload(preview.text)
