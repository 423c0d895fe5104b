"""Uploading or pasting minutes to create a draft (``meetings.views.importing``)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from meetings.models import ActionItem, Meeting, Person
from tests.factories import MeetingFactory

URL = reverse("meetings:meeting-import")

MINUTES = """\
---
title: Meeting 21 - 4 May 2022
chair: Ada Example
---

Present: Ada Example, Bram Sample, Newt Fabricated

Apologies: Carlita

## Reports

### Site one

Nothing new.

## Actions

| Ref | Description | Owners | Status | Comment |
| --- | --- | --- | --- | --- |
| 21.01 | Order the spare disks | AE | In progress | quote received |
| 21.02 | Write to the vendor | BS | | See 9.99 |
"""


@pytest.fixture
def scribe_client(persona_client, scribe, directory_people, monthly):
    return persona_client("scribe")


def preview(client, **data):
    return client.post(URL, {"step": "preview", **data})


def create(client, text, series, date="", filename=""):
    return client.post(
        URL,
        {
            "step": "create",
            "text": text,
            "series": series.pk,
            "date": date,
            "filename": filename,
        },
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("scribe", 200),
        ("chair", 200),
        ("staff", 200),
    ],
)
def test_who_may_import_minutes(persona_client, monthly, persona, status):
    client = persona_client(persona)

    get = client.get(URL)
    post = preview(client, text=MINUTES, series=monthly.pk)

    assert (get.status_code, post.status_code) == (status, status)
    if persona == "anonymous":
        assert get["Location"].startswith(reverse("login"))
    assert not Meeting.objects.exists()


def test_editors_find_the_page_in_the_navigation(persona_client, scribe, member):
    scribe_page = persona_client("scribe").get(reverse("meetings:meeting-list"))
    member_page = persona_client("member").get(reverse("meetings:meeting-list"))

    assert f'href="{URL}"' in scribe_page.content.decode()
    assert f'href="{URL}"' not in member_page.content.decode()


def test_pasted_text_is_shown_as_parsed_before_anything_is_saved(
    scribe_client, monthly
):
    response = preview(scribe_client, text=MINUTES, series=monthly.pk)
    page = response.content.decode()

    assert "Meeting 21 - 4 May 2022" in page
    assert "Wednesday 4 May 2022" in page
    assert (
        "<strong>Present (3):</strong> Ada Example, Bram Sample, Newt Fabricated"
        in (page)
    )
    assert "<strong>Apologies (1):</strong> Carlita" in page
    assert "Site one" in page
    assert "Order the spare disks" in page
    assert 'name="step" value="create"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert not Meeting.objects.exists()
    assert not Person.objects.filter(name="Newt Fabricated").exists()


def test_creating_the_draft_writes_it_and_shows_the_meeting(scribe_client, monthly):
    response = create(scribe_client, MINUTES, monthly)

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.series == monthly
    assert meeting.source.startswith("upload:")
    assert meeting.attendances.count() == 4
    assert ActionItem.objects.get(reference="21.01").status == "in_progress"
    page = scribe_client.get(response["Location"]).content.decode()
    assert "Draft “Meeting 21 - 4 May 2022” created." in page
    assert "refers to 9.99, which no imported meeting raises" in page


def test_an_uploaded_file_and_the_same_text_pasted_are_one_meeting(
    scribe_client, monthly
):
    upload = SimpleUploadedFile("meeting-21.md", MINUTES.replace("\n", "\r\n").encode())
    first = preview(scribe_client, file=upload, series=monthly.pk)
    assert "Meeting 21 - 4 May 2022" in first.content.decode()
    create(scribe_client, MINUTES, monthly, filename="meeting-21.md")

    again = create(scribe_client, MINUTES, monthly)

    assert Meeting.objects.count() == 1
    page = scribe_client.get(again["Location"]).content.decode()
    assert "These minutes were uploaded before" in page


def test_preview_says_when_the_text_was_uploaded_before(scribe_client, monthly):
    create(scribe_client, MINUTES, monthly)

    page = preview(scribe_client, text=MINUTES, series=monthly.pk).content.decode()

    assert "This text was uploaded before" in page


def test_a_date_given_in_the_form_is_used_when_the_minutes_state_none(
    scribe_client, monthly
):
    text = "# Steering notes\n\nNo date in here.\n"

    refused = preview(scribe_client, text=text, series=monthly.pk)
    create(scribe_client, text, monthly, date="2024-05-02")

    assert "no date found" in refused.content.decode()
    assert "give the meeting&#x27;s date here" in refused.content.decode()
    assert str(Meeting.objects.get().date) == "2024-05-02"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "Upload a file or paste the minutes."),
        (
            {"text": "---\ntitle: [broken\ndate: 2022-05-04\n---\n"},
            "Line 3: front matter is not valid YAML",
        ),
        (
            {"file": SimpleUploadedFile("m.md", b"# Notes\n\nCaf\xe9 2022-05-04\n")},
            "m.md: line 3: not valid UTF-8",
        ),
        ({"file": SimpleUploadedFile("m.md", b"")}, "The submitted file is empty."),
        (
            {"text": "---\ntitle: T\ndate: 2022-02-30\n---\n"},
            "Line 3: impossible date in front matter",
        ),
        (
            {"text": "x" * 1_000_001},
            "The minutes are 1,000,001 bytes long; at most 1,000,000 are accepted.",
        ),
        (
            {"text": "# A\n", "file": SimpleUploadedFile("m.md", b"# B\n")},
            "Upload a file or paste the text, not both.",
        ),
    ],
)
def test_bad_input_is_a_form_error_saying_what_and_where(
    scribe_client, monthly, data, message
):
    response = preview(scribe_client, series=monthly.pk, **data)

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Meeting.objects.exists()


def test_a_refused_write_is_shown_on_the_preview_and_writes_nothing(
    scribe_client, monthly
):
    MeetingFactory(series=monthly, number=21, title="Typed in by hand")

    response = create(scribe_client, MINUTES, monthly)

    assert response.status_code == 200
    assert "meeting number 21 is already used" in response.content.decode()
    assert Meeting.objects.count() == 1
    assert not Person.objects.filter(name="Newt Fabricated").exists()


def test_the_form_is_protected_against_cross_site_posts(scribe, monthly):
    client = Client(enforce_csrf_checks=True)
    client.force_login(scribe)

    response = client.post(URL, {"step": "preview", "text": MINUTES})

    assert response.status_code == 403
