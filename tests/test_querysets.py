import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import ActionItem, Meeting, Person
from tests.factories import (
    ActionItemFactory,
    ActionUpdateFactory,
    AttendanceFactory,
    MeetingFactory,
    PersonAliasFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 1)


def test_published_leaves_out_drafts():
    published = MeetingFactory()
    MeetingFactory(draft=True)
    assert list(Meeting.objects.published()) == [published]


@pytest.mark.parametrize(
    ("persona", "public", "sees"),
    [
        ("anonymous", False, set()),
        ("anonymous", True, {"published"}),
        ("member", False, {"published"}),
        ("scribe", False, {"published", "draft"}),
        ("chair", False, {"published", "draft"}),
        ("staff", False, {"published", "draft"}),
    ],
)
def test_visible_to_follows_the_roles(request, settings, persona, public, sees):
    settings.MINUTES_PUBLIC = public
    MeetingFactory(title="published")
    MeetingFactory(title="draft", draft=True)
    user = (
        AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    )
    titles = set(Meeting.objects.visible_to(user).values_list("title", flat=True))
    assert titles == sees


def test_open_means_open_or_in_progress():
    ActionItemFactory(status="open", description="a")
    ActionItemFactory(status="in_progress", description="b")
    ActionItemFactory(status="done", description="c")
    ActionItemFactory(status="dropped", description="d")
    assert {a.description for a in ActionItem.objects.open()} == {"a", "b"}
    assert {a.description for a in ActionItem.objects.closed()} == {"c", "d"}


def test_overdue_is_open_and_due_before_the_day():
    late = ActionItemFactory(due_date=DAY - datetime.timedelta(days=1))
    ActionItemFactory(due_date=DAY)
    ActionItemFactory(due_date=None)
    ActionItemFactory(due_date=DAY - datetime.timedelta(days=9), status="done")
    assert list(ActionItem.objects.overdue(on=DAY)) == [late]
    assert late.is_overdue(on=DAY)


def test_owned_by_finds_each_action_once_whatever_the_other_owners():
    ada, bram = PersonFactory(), PersonFactory()
    shared = ActionItemFactory(owners=[ada, bram])
    ActionItemFactory(owners=[bram])
    assert list(ActionItem.objects.owned_by(ada)) == [shared]
    assert ActionItem.objects.owned_by(bram).count() == 2


def test_owned_by_organisation_includes_its_people_and_itself():
    person = PersonFactory()
    through_person = ActionItemFactory(owners=[person])
    direct = ActionItemFactory(owner_organisation=person.organisation)
    ActionItemFactory(owners=[PersonFactory()])
    found = set(ActionItem.objects.owned_by_organisation(person.organisation))
    assert found == {through_person, direct}


def test_status_counts_lists_every_status():
    ActionItemFactory(status="done")
    ActionItemFactory(status="done")
    counts = ActionItem.objects.status_counts()
    assert counts["done"] == 2
    assert counts["open"] == 0
    assert set(counts) == set(ActionItem.Status)


def test_matching_finds_people_by_name_initials_or_alias():
    ada = PersonFactory(name="Ada Example", initials="AE")
    PersonAliasFactory(person=ada, alias="Adie")
    PersonFactory(name="Bram Sample", initials="BS")
    for text in ("ada", "AE", "adie"):
        assert list(Person.objects.matching(text)) == [ada]
    assert not Person.objects.matching("  ").exists()


def build_meeting(sections: int) -> Meeting:
    meeting = MeetingFactory()
    for position in range(sections):
        parent = SectionFactory(meeting=meeting, position=position)
        SectionFactory(meeting=meeting, parent=parent, position=0)
        AttendanceFactory(meeting=meeting)
        action = ActionItemFactory(meeting=meeting, owners=[PersonFactory()])
        ActionUpdateFactory(action=action, meeting=meeting)
    return meeting


def count_queries_for_tree(meeting: Meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        loaded = Meeting.objects.with_tree().get(pk=meeting.pk)
        tree = loaded.section_tree()
        for node in tree:
            [child.section.title for child in node.children]
        for _label, rows in loaded.attendance_by_status():
            [(a.person.name, a.represented) for a in rows]
        for action in loaded.actions_raised.all():
            action.owner_names()
        for update in loaded.action_updates.all():
            update.action.owner_names()
        list(loaded.scribes.all())
    return len(queries)


def test_with_tree_loads_a_meeting_in_a_fixed_number_of_queries():
    small, large = build_meeting(3), build_meeting(30)
    assert count_queries_for_tree(small) == count_queries_for_tree(large)


def test_section_tree_nests_children_under_parents_in_order():
    meeting = MeetingFactory()
    second = SectionFactory(meeting=meeting, position=1, title="Site updates")
    SectionFactory(meeting=meeting, position=0, title="Welcome")
    SectionFactory(meeting=meeting, parent=second, position=1, title="Site B")
    site_a = SectionFactory(meeting=meeting, parent=second, position=0, title="Site A")
    SectionFactory(meeting=meeting, parent=site_a, position=0, title="Detector")
    tree = Meeting.objects.with_tree().get(pk=meeting.pk).section_tree()
    assert [n.section.title for n in tree] == ["Welcome", "Site updates"]
    assert [n.section.title for n in tree[1].children] == ["Site A", "Site B"]
    assert tree[1].children[0].children[0].depth == 3
