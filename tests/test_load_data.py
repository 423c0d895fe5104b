"""``generate_load_data``: the made-up archive the benchmarks and load test use."""

import hashlib
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from meetings.management.commands.generate_load_data import TOPICS
from meetings.models import (
    ActionItem,
    ActionUpdate,
    Meeting,
    Organisation,
    Person,
    Section,
    Series,
)

pytestmark = pytest.mark.django_db


def generate(meetings: int, seed: int = 3) -> str:
    out = StringIO()
    call_command("generate_load_data", meetings=meetings, seed=seed, stdout=out)
    return out.getvalue()


def fingerprint() -> str:
    """What the archive says, without the ids and dates a run may shift."""
    digest = hashlib.sha256()
    for meeting in Meeting.objects.order_by("date", "pk").with_tree():
        digest.update(
            f"{meeting.series.slug} {meeting.number} {meeting.title}".encode()
        )
        for section in meeting.sections.all():
            digest.update(section.title.encode() + section.body.encode())
        for action in meeting.actions_raised.all():
            digest.update(f"{action.reference} {action.description}".encode())
            digest.update(action.status.encode())
    return digest.hexdigest()


def empty_archive() -> None:
    Meeting.objects.all().delete()
    Series.objects.all().delete()
    Person.objects.all().delete()
    Organisation.objects.all().delete()


def test_the_same_seed_makes_the_same_archive_and_another_seed_another():
    generate(12)
    first = fingerprint()
    empty_archive()
    generate(12)
    assert fingerprint() == first

    empty_archive()
    generate(12, seed=4)
    assert fingerprint() != first


def test_the_archive_is_shaped_like_real_minutes():
    summary = generate(40)
    assert "Made 40 meetings" in summary
    assert Meeting.objects.count() == 40
    assert Meeting.objects.values("series").distinct().count() > 1
    assert Person.objects.filter(organisation__isnull=False).count() == 160

    per_meeting = Meeting.objects.annotate(n=Count("sections")).values_list(
        "n", flat=True
    )
    assert 10 <= sum(per_meeting) / len(per_meeting) <= 30
    assert Section.objects.filter(parent__parent__isnull=False).exists()
    assert Section.objects.filter(body__contains="- ").exists()  # Markdown lists

    assert 3 <= ActionItem.objects.count() / 40 <= 7
    # Updates are recorded at later meetings of the action's own series.
    updates = ActionUpdate.objects.select_related("action__meeting", "meeting")
    assert updates.exists()
    for update in updates:
        assert update.meeting.series_id == update.action.series_id
        assert update.meeting.date > update.action.meeting.date
    closed = ActionItem.objects.filter(status__in=["done", "dropped"])
    assert closed.exists()
    assert not closed.filter(closed_on__isnull=True).exists()
    assert not Section.objects.filter(title="").exists()


def test_topics_fall_off_like_words_in_real_minutes():
    generate(60)
    bodies = list(Section.objects.values_list("body", flat=True))
    mentions = Counter(
        topic for body in bodies for topic in TOPICS if topic in body.lower()
    )
    commonest, rare = TOPICS[0], TOPICS[-1]
    assert mentions[commonest] > 5 * mentions[rare]
    # Even the commonest topic is in a minority of the sections.
    assert mentions[commonest] < len(bodies) / 2


def test_it_refuses_a_database_that_has_meetings_unless_told_to_skip():
    generate(3)
    with pytest.raises(CommandError, match="has meetings already"):
        generate(3)
    out = StringIO()
    call_command("generate_load_data", meetings=3, if_empty=True, stdout=out)
    assert "nothing done" in out.getvalue()
    assert Meeting.objects.count() == 3


def test_it_refuses_fewer_than_one_meeting():
    with pytest.raises(CommandError, match="at least 1"):
        generate(0)
