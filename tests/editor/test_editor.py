"""The scribe's editor: who may use it, and each flow from click to page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, Meeting, Person, Section
from tests.conftest import PERSONAS
from tests.factories import (
    ActionItemFactory,
    AttendanceFactory,
    MeetingFactory,
    PersonAliasFactory,
    PersonFactory,
    SectionFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = MeetingFactory(number=61, title="Collaboration meeting 61", draft=True)
    SectionFactory(meeting=meeting, title="Welcome", position=0)
    return meeting


def editor_requests(meeting) -> list[tuple[str, str, dict]]:
    section = meeting.sections.first()
    action = ActionItemFactory(meeting=meeting, reference="61.01")
    record = section.history.first()
    return [
        ("get", reverse("meetings:meeting-create"), {}),
        ("get", reverse("meetings:meeting-edit", args=[meeting.pk]), {}),
        ("get", reverse("meetings:meeting-attendance", args=[meeting.pk]), {}),
        ("get", reverse("meetings:meeting-history", args=[meeting.pk]), {}),
        ("get", reverse("meetings:section-edit", args=[section.pk]), {}),
        ("get", reverse("meetings:action-add", args=[meeting.pk]), {}),
        ("get", reverse("meetings:action-edit", args=[action.pk]), {}),
        ("post", reverse("meetings:section-add", args=[meeting.pk]), {"title": "x"}),
        ("post", reverse("meetings:section-move", args=[section.pk]), {"how": "down"}),
        ("post", reverse("meetings:section-copy-previous", args=[meeting.pk]), {}),
        ("post", reverse("meetings:meeting-approve-previous", args=[meeting.pk]), {}),
        ("post", reverse("meetings:markdown-preview"), {"body": "*x*"}),
        (
            "post",
            reverse("meetings:section-restore", args=[section.pk, record.history_id]),
            {},
        ),
    ]


EXPECTED = {"anonymous": {302}, "member": {403}}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_scribes_chairs_and_staff_may_use_the_editor(
    persona_client, meeting, persona
):
    client = persona_client(persona)
    for method, url, data in editor_requests(meeting):
        response = getattr(client, method)(url, data)
        allowed = EXPECTED.get(persona, {200, 302})
        assert response.status_code in allowed, (persona, method, url)
        if persona == "anonymous":
            assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("member", 403), ("scribe", 403), ("chair", 302)],
)
def test_only_chairs_publish(persona_client, meeting, persona, status):
    url = reverse("meetings:meeting-publish", args=[meeting.pk])
    assert persona_client(persona).post(url).status_code == status
    meeting.refresh_from_db()
    assert meeting.is_published is (persona == "chair")


def test_scribe_may_publish_when_the_role_is_given_that_permission(
    persona_client, meeting, scribe
):
    from django.contrib.auth.models import Permission

    scribe.user_permissions.add(Permission.objects.get(codename="publish_meeting"))
    url = reverse("meetings:meeting-publish", args=[meeting.pk])
    assert persona_client("scribe").post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.published_by == scribe


def test_editor_is_csrf_protected(scribe, meeting):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(scribe)
    url = reverse("meetings:section-add", args=[meeting.pk])
    assert client.post(url, {"title": "Sneaky"}).status_code == 403
    assert not meeting.sections.filter(title="Sneaky").exists()


# Creating a meeting


def test_new_meeting_suggests_the_next_number_and_today(scribe_client):
    series = SeriesFactory(name="Collaboration meeting", slug="collab")
    MeetingFactory(series=series, number=60)
    response = scribe_client.get(reverse("meetings:meeting-create") + "?series=collab")
    form = response.context["form"]
    assert form.initial["number"] == 61
    assert form.initial["title"] == "Collaboration meeting 61"
    assert form.initial["date"] == timezone.localdate()


@pytest.mark.parametrize(
    ("days", "suggested"),
    [
        ((-60, -30), 0),  # the last meeting is past: today
        ((-30, 0), 30),  # today's meeting exists: the one after it
        ((-30, 5), 5 + 35),  # the next one was drafted ahead: one gap after it
        ((5,), 5 + 28),  # only that one: four weeks after it
        ((5, 5), 5 + 28),  # two on one day give no gap: four weeks
    ],
)
def test_a_new_meeting_is_dated_after_meetings_drafted_ahead(
    scribe_client, days, suggested
):
    series = SeriesFactory(slug="collab")
    today = timezone.localdate()
    for number, offset in enumerate(days, start=1):
        MeetingFactory(
            series=series, number=number, date=today + datetime.timedelta(offset)
        )

    response = scribe_client.get(reverse("meetings:meeting-create") + "?series=collab")

    form = response.context["form"]
    assert form.initial["number"] == len(days) + 1
    assert form.initial["date"] == today + datetime.timedelta(suggested)


def meeting_data(series, **overrides) -> dict:
    data = {
        "series": series.pk,
        "number": 62,
        "title": "Collaboration meeting 62",
        "date": "2024-06-13",
        "start_time": "14:00",
        "timezone": "Europe/Paris",
        "location": "",
        "video_url": "https://video.example.org/room",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_creating_a_meeting_lists_the_previous_meetings_people(scribe_client):
    series = SeriesFactory()
    before = MeetingFactory(series=series, number=61, date=datetime.date(2024, 5, 1))
    ada = AttendanceFactory(meeting=before, status="present").person
    bram = AttendanceFactory(meeting=before, status="apologies").person
    response = scribe_client.post(
        reverse("meetings:meeting-create"), meeting_data(series)
    )
    meeting = Meeting.objects.get(number=62)
    assert response.status_code == 302
    assert response.url == reverse("meetings:meeting-edit", args=[meeting.pk])
    assert meeting.status == "draft"
    listed = dict(meeting.attendances.values_list("person", "status"))
    assert listed == {ada.pk: "absent", bram.pk: "absent"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "required"),
        ({"date": "2023-02-30"}, "date", "valid date"),
        ({"date": "1066-10-14"}, "date", "between"),
        ({"start_time": "25:00"}, "start_time", "valid time"),
        (
            {"date": "2024-03-31", "start_time": "02:30"},
            "start_time",
            "does not exist",
        ),
        ({"date": "2024-10-27", "start_time": "02:30"}, "start_time", "happens twice"),
        ({"timezone": "Mars/Olympus"}, "timezone", "valid choice"),
        ({"notes": "x" * 100_001}, "notes", "limit"),
        ({"number": "61"}, "__all__", "already exists"),
        ({"video_url": "javascript:alert(1)"}, "video_url", "valid URL"),
    ],
)
def test_bad_meeting_details_give_a_field_error(scribe_client, changes, field, message):
    series = SeriesFactory()
    MeetingFactory(series=series, number=61)
    response = scribe_client.post(
        reverse("meetings:meeting-create"), meeting_data(series, **changes)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field, [])), errors
    assert not Meeting.objects.filter(number=62).exists()


def test_editing_details_saves_and_bumps_the_version(scribe_client, meeting):
    url = reverse("meetings:meeting-edit", args=[meeting.pk])
    data = meeting_data(meeting.series, number=61, title="Renamed", loaded_version=1)
    assert scribe_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.version) == ("Renamed", 2)


# Attendance


def test_attendance_statuses_are_set_in_one_save(scribe_client, meeting):
    rows = [AttendanceFactory(meeting=meeting, status="absent") for _ in range(3)]
    data = {
        "attendance-TOTAL_FORMS": 3,
        "attendance-INITIAL_FORMS": 3,
        "attendance-MIN_NUM_FORMS": 0,
        "attendance-MAX_NUM_FORMS": 1000,
    }
    ordered = sorted(rows, key=lambda a: (a.person.name, a.pk))
    statuses = ["present", "remote", "apologies"]
    for i, (row, status) in enumerate(zip(ordered, statuses, strict=True)):
        data |= {f"attendance-{i}-id": row.pk, f"attendance-{i}-status": status}
    data["attendance-0-note"] = "joined 20 minutes late"
    url = reverse("meetings:meeting-attendance", args=[meeting.pk])
    assert scribe_client.post(url, data).status_code == 302
    saved = {a.pk: (a.status, a.note) for a in meeting.attendances.all()}
    assert saved[ordered[0].pk] == ("present", "joined 20 minutes late")
    assert saved[ordered[1].pk][0] == "remote"
    assert saved[ordered[2].pk][0] == "apologies"


def test_adding_a_person_finds_them_by_alias_or_initials(scribe_client, meeting):
    ada = PersonFactory(name="Ada Example", initials="AE")
    PersonAliasFactory(person=ada, alias="Adie")
    url = reverse("meetings:meeting-attendance", args=[meeting.pk])
    for typed in ("Adie", "ae", "ada example"):
        scribe_client.post(url, {"add": 1, "name": typed, "status": "remote"})
    assert list(meeting.attendances.values_list("person", "status")) == [
        (ada.pk, "remote")
    ]
    assert Person.objects.count() == 1


def test_adding_an_unknown_name_creates_a_person(scribe_client, meeting):
    url = reverse("meetings:meeting-attendance", args=[meeting.pk])
    response = scribe_client.post(
        url, {"add": 1, "name": "  Nova   Newcomer ", "status": "present"}, follow=True
    )
    assert "Nova Newcomer added (a new person)" in response.text
    assert meeting.attendances.get().person.name == "Nova Newcomer"


def test_ambiguous_initials_ask_for_the_full_name(scribe_client, meeting):
    PersonFactory(name="Ada Example", initials="AE")
    PersonFactory(name="Abe Exemplar", initials="AE")
    url = reverse("meetings:meeting-attendance", args=[meeting.pk])
    response = scribe_client.post(url, {"add": 1, "name": "AE", "status": "present"})
    assert "type the full name" in response.context["add_form"].errors["name"][0]
    assert not meeting.attendances.exists()


def test_initials_prefer_the_person_already_at_the_meeting(scribe_client, meeting):
    PersonFactory(name="Ada Example", initials="AE")
    here = AttendanceFactory(
        meeting=meeting, person=PersonFactory(name="Abe Exemplar", initials="AE")
    )
    url = reverse("meetings:meeting-attendance", args=[meeting.pk])
    scribe_client.post(url, {"add": 1, "name": "AE", "status": "apologies"})
    here.refresh_from_db()
    assert here.status == "apologies"
    assert meeting.attendances.count() == 1


# Sections


def outline(meeting) -> list[tuple[str, str | None, int]]:
    rows = Section.objects.filter(meeting=meeting).select_related("parent")
    return sorted(
        (s.title, s.parent.title if s.parent else None, s.position) for s in rows
    )


def test_sections_are_added_nested_reordered_and_removed(scribe_client, meeting):
    add = reverse("meetings:section-add", args=[meeting.pk])
    scribe_client.post(add, {"title": "Site updates"})
    scribe_client.post(add, {"title": "Site A"})
    scribe_client.post(add, {"title": "Site B"})
    site_a = meeting.sections.get(title="Site A")
    site_b = meeting.sections.get(title="Site B")

    def move(section, how):
        url = reverse("meetings:section-move", args=[section.pk])
        return scribe_client.post(url, {"how": how}, follow=True)

    move(site_a, "in")
    move(site_b, "in")
    move(site_b, "up")
    assert outline(meeting) == [
        ("Site A", "Site updates", 1),
        ("Site B", "Site updates", 0),
        ("Site updates", None, 1),
        ("Welcome", None, 0),
    ]
    move(site_b, "out")
    assert ("Site B", None, 2) in outline(meeting)
    refused = move(meeting.sections.get(title="Welcome"), "up")
    assert "already first" in refused.text

    updates = meeting.sections.get(title="Site updates")
    delete = reverse("meetings:section-delete", args=[updates.pk])
    response = scribe_client.post(delete, follow=True)
    assert "has subsections" in response.text
    scribe_client.post(reverse("meetings:section-delete", args=[site_a.pk]))
    scribe_client.post(delete)
    assert outline(meeting) == [("Site B", None, 1), ("Welcome", None, 0)]


def test_a_blank_section_title_is_refused(scribe_client, meeting):
    url = reverse("meetings:section-add", args=[meeting.pk])
    response = scribe_client.post(url, {"title": " \t "}, follow=True)
    assert "Section not added" in response.text
    assert meeting.sections.count() == 1


def test_previous_agenda_is_copied_with_its_nesting(scribe_client, meeting):
    before = MeetingFactory(series=meeting.series, date=meeting.date)
    before.date = meeting.date - datetime.timedelta(days=30)
    before.save()
    sites = SectionFactory(meeting=before, title="Site updates", position=0)
    SectionFactory(meeting=before, parent=sites, title="Site A", body="Old news")
    empty = MeetingFactory(series=meeting.series, draft=True)
    empty.date = meeting.date + datetime.timedelta(days=1)
    empty.save()
    # "meeting" is now the previous one for "empty"; give it the agenda to copy.
    Section.objects.filter(meeting=meeting, title="Welcome").delete()
    Section.objects.filter(meeting=before).update(meeting=meeting)
    url = reverse("meetings:section-copy-previous", args=[empty.pk])
    scribe_client.post(url)
    copied = {
        (s.title, s.parent.title if s.parent else None, s.body)
        for s in empty.sections.all()
    }
    assert copied == {("Site updates", None, ""), ("Site A", "Site updates", "")}


def test_section_body_preview_uses_the_page_sanitiser(scribe_client, meeting):
    section = meeting.sections.first()
    url = reverse("meetings:section-edit", args=[section.pk])
    response = scribe_client.post(
        url,
        {
            "title": "Welcome",
            "body": "**hi** <script>alert(1)</script>",
            "loaded_version": section.version,
            "preview": "1",
        },
    )
    assert "<strong>hi</strong>" in str(response.context["preview"])
    assert "<script>alert(1)" not in response.text
    section.refresh_from_db()
    assert section.body == "Some *notes*."  # a preview saves nothing
    live = scribe_client.post(reverse("meetings:markdown-preview"), {"body": "*x*"})
    assert live.text.strip() == "<p><em>x</em></p>"


def test_an_oversized_body_is_refused_with_a_field_error(scribe_client, meeting):
    section = meeting.sections.first()
    url = reverse("meetings:section-edit", args=[section.pk])
    response = scribe_client.post(
        url, {"title": "Welcome", "body": "y" * 100_001, "loaded_version": 1}
    )
    assert "the limit is 100,000" in response.context["form"].errors["body"][0]


def test_a_section_cannot_be_moved_under_its_own_child(scribe_client, meeting):
    parent = meeting.sections.first()
    child = SectionFactory(meeting=meeting, parent=parent)
    url = reverse("meetings:section-edit", args=[parent.pk])
    response = scribe_client.post(
        url, {"title": "Welcome", "parent": child.pk, "loaded_version": 1}
    )
    assert "parent" in response.context["form"].errors


# Actions


def test_action_references_are_numbered_from_the_meeting(scribe_client, meeting):
    ActionItemFactory(meeting=meeting, reference="61.01")
    ActionItemFactory(meeting=meeting, reference="61.02")
    response = scribe_client.get(reverse("meetings:action-add", args=[meeting.pk]))
    assert response.context["form"].initial["reference"] == "61.03"


def test_an_action_is_added_within_a_section_with_owners(scribe_client, meeting):
    section = meeting.sections.first()
    ada = PersonFactory()
    url = reverse("meetings:action-add", args=[meeting.pk])
    data = {
        "reference": "61.01",
        "section": section.pk,
        "description": "Send the slides",
        "owners": [ada.pk],
        "status": "open",
        "due_date": "2024-07-01",
    }
    assert scribe_client.post(url, data).status_code == 302
    action = ActionItem.objects.get(reference="61.01")
    assert (action.section, list(action.owners.all())) == (section, [ada])
    assert action.series == meeting.series


def test_an_action_needs_an_owner_and_a_unique_reference(scribe_client, meeting):
    ActionItemFactory(meeting=meeting, reference="61.01")
    url = reverse("meetings:action-add", args=[meeting.pk])
    response = scribe_client.post(
        url, {"reference": "61.01", "description": "x", "status": "open"}
    )
    errors = response.context["form"].errors
    assert "Name at least one owner" in errors["owners"][0]
    assert "already used in this series" in errors["reference"][0]


def test_closing_an_action_records_when(scribe_client, meeting):
    action = ActionItemFactory(meeting=meeting, owners_text="All")
    url = reverse("meetings:action-edit", args=[action.pk])
    data = {
        "reference": action.reference,
        "description": action.description,
        "owners_text": "All",
        "status": "done",
        "loaded_version": action.version,
    }
    scribe_client.post(url, data)
    action.refresh_from_db()
    # Closed today, after its meeting: at no meeting in particular.
    assert (action.status, action.closed_at, action.closed_on) == (
        "done",
        None,
        timezone.localdate(),
    )


# Publishing and approval


def test_published_minutes_show_who_published_them(chair_client, chair, meeting):
    chair_client.post(reverse("meetings:meeting-publish", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.published_by == chair
    text = chair_client.get(meeting.get_absolute_url()).text
    assert "by chair" in text


def test_a_later_meeting_records_the_previous_minutes_as_approved(
    scribe_client, meeting
):
    later = MeetingFactory(series=meeting.series, draft=True)
    later.date = meeting.date + datetime.timedelta(days=28)
    later.save()
    scribe_client.post(reverse("meetings:meeting-approve-previous", args=[later.pk]))
    meeting.refresh_from_db()
    assert meeting.approved_at == later


def test_edits_after_publishing_are_allowed_and_recorded(chair_client, meeting):
    chair_client.post(reverse("meetings:meeting-publish", args=[meeting.pk]))
    section = meeting.sections.first()
    url = reverse("meetings:section-edit", args=[section.pk])
    data = {"title": "Welcome", "body": "Corrected", "loaded_version": 1}
    assert chair_client.post(url, data).status_code == 302
    history = chair_client.get(reverse("meetings:meeting-history", args=[meeting.pk]))
    assert "Corrected" in history.text and "by chair" in history.text
