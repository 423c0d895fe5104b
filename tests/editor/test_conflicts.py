"""Two people editing the same thing: the later save never silently overwrites."""

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Section
from tests.factories import ActionItemFactory, MeetingFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_scribes(scribe, chair):
    first, second = Client(), Client()
    first.force_login(scribe)
    second.force_login(chair)
    return first, second


@pytest.fixture
def section():
    return SectionFactory(title="Site updates", body="Original text")


def edit_section(client, section, body, loaded_version, title="Site updates"):
    url = reverse("meetings:section-edit", args=[section.pk])
    data = {"title": title, "body": body, "loaded_version": loaded_version}
    return client.post(url, data)


def test_stale_section_save_is_refused_and_nothing_is_overwritten(two_scribes, section):
    first, second = two_scribes
    loaded = section.version
    assert (
        edit_section(first, section, "First person's text", loaded).status_code == 302
    )

    refused = edit_section(second, section, "Second person's text", loaded)

    assert refused.status_code == 409
    section.refresh_from_db()
    assert section.body == "First person's text"
    assert "Someone else changed body since you opened this page" in refused.text
    # What the second person typed is still in the form...
    assert refused.context["form"]["body"].value() == "Second person's text"
    # ...and they are shown what the first person saved.
    change = refused.context["form"].conflict_changes[0]
    assert (change.before, change.after) == ("Original text", "First person's text")


def test_after_a_refusal_the_second_person_can_save_deliberately(two_scribes, section):
    first, second = two_scribes
    edit_section(first, section, "First", section.version)
    refused = edit_section(second, section, "Second", 1)
    next_version = refused.context["form"]["loaded_version"].value()
    assert edit_section(second, section, "Second", next_version).status_code == 302
    section.refresh_from_db()
    assert section.body == "Second"


def test_edits_to_different_fields_are_both_kept(two_scribes, section):
    first, second = two_scribes
    sibling = SectionFactory(meeting=section.meeting, position=section.position + 1)
    move = reverse("meetings:section-move", args=[sibling.pk])
    first.post(move, {"how": "up"})  # moves both sections: versions change

    assert edit_section(second, section, "New body", 1).status_code == 302
    section.refresh_from_db()
    assert section.body == "New body"
    assert section.position == 1


def test_stale_meeting_details_are_refused(two_scribes):
    first, second = two_scribes
    meeting = MeetingFactory(title="Meeting 5", number=5, draft=True)
    url = reverse("meetings:meeting-edit", args=[meeting.pk])
    data = {
        "series": meeting.series_id,
        "number": 5,
        "date": meeting.date.isoformat(),
        "loaded_version": 1,
    }
    assert first.post(url, {**data, "title": "Meeting five"}).status_code == 302
    refused = second.post(url, {**data, "title": "Meeting 5 (corrected)"})
    assert refused.status_code == 409
    meeting.refresh_from_db()
    assert meeting.title == "Meeting five"


def test_stale_action_edit_is_refused(two_scribes):
    first, second = two_scribes
    action = ActionItemFactory(owners_text="All", description="Original")
    url = reverse("meetings:action-edit", args=[action.pk])
    data = {
        "reference": action.reference,
        "owners_text": "All",
        "status": "open",
        "loaded_version": 1,
    }
    first.post(url, {**data, "description": "First"})
    refused = second.post(url, {**data, "description": "Second"})
    assert refused.status_code == 409
    action.refresh_from_db()
    assert action.description == "First"


def test_admin_refuses_a_stale_save_and_keeps_the_input(staff_client, section):
    url = reverse("admin:meetings_section_change", args=[section.pk])
    base = {
        "meeting": section.meeting_id,
        "position": section.position,
        "title": "Site updates",
        "loaded_version": 1,
    }
    Section.objects.get(pk=section.pk).save()  # someone else saves: version 2
    section.body = "Saved elsewhere"
    section.version = 2
    section.save()

    refused = staff_client.post(url, {**base, "body": "Typed in the admin"})

    assert refused.status_code == 200
    assert "Someone else saved this since you opened it" in refused.text
    assert "Typed in the admin" in refused.text
    section.refresh_from_db()
    assert section.body == "Saved elsewhere"
    again = refused.context["adminform"].form["loaded_version"].value()
    response = staff_client.post(
        url, {**base, "body": "Typed", "loaded_version": again}
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == "Typed"
