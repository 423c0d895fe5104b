"""The scribe's editor: services behind the editing pages, admin and API.

Each function changes rows in one transaction. Saving an edited row goes
through ``save_edit``, which detects that someone else saved the same row since
the editor loaded it and refuses the save, saying what the other person changed,
unless the two edits touched different fields (then both are kept).
"""

from __future__ import annotations

import datetime
import logging
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from meetings.importing.directory import PeopleDirectory
from meetings.models import (
    ActionItem,
    Attendance,
    Meeting,
    Person,
    Section,
)
from meetings.services import StaleVersion, save_versioned

logger = logging.getLogger(__name__)


# Concurrent edits


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


class EditConflict(Exception):
    """Someone else saved the row since the editor loaded it, changing these fields."""

    def __init__(self, current, changes: list[FieldChange]):
        self.current = current
        self.changes = changes
        names = ", ".join(change.label for change in changes) or "it"
        super().__init__(f"Someone else changed {names} since you opened this page.")


def changes_since(instance, version: int, fields: Iterable[str]) -> list[FieldChange]:
    """What differs in ``fields`` between saved ``version`` and the row as it is now.

    The versions are read from the history tables; a version that has no history
    record (rows made before history was kept) counts every field as changed.
    """
    current = type(instance)._default_manager.get(pk=instance.pk)
    then = instance.history.filter(version=version).order_by("-history_id").first()
    changes = []
    for name in fields:
        field = type(instance)._meta.get_field(name)
        after = _display(current, field)
        before = _display(then, field) if then is not None else ""
        if then is None or before != after:
            changes.append(FieldChange(name, str(field.verbose_name), before, after))
    return changes


def _display(row, field) -> str:
    value = getattr(row, field.attname)
    if field.is_relation and value is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return "" if value is None else str(value)


def save_edit(instance, loaded_version: int, fields: Sequence[str]):
    """Save the edited ``fields`` of ``instance`` unless someone else changed them.

    If the row moved on since ``loaded_version`` but the other edits touched
    none of ``fields`` (say, one person renamed a section while another moved
    it), the edit is applied on top of theirs. Otherwise ``EditConflict`` is
    raised and nothing is written.
    """
    try:
        save_versioned(instance, loaded_version)
        return instance
    except StaleVersion as stale:
        changes = changes_since(instance, loaded_version, fields)
        if changes:
            raise EditConflict(stale.instance, changes) from None
        current = type(instance)._default_manager.get(pk=instance.pk)
        for name in fields:
            field = type(instance)._meta.get_field(name)
            setattr(current, field.attname, getattr(instance, field.attname))
        save_versioned(current, current.version)
        instance.version = current.version
        return current


# Meetings


def next_meeting_number(series) -> int:
    top = series.meetings.aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def next_meeting_date(
    recent: list[datetime.date], today: datetime.date
) -> datetime.date:
    """The date to suggest for a new meeting, given the dates of the series'
    last meetings, newest first.

    Today, unless the series already has a meeting today or later (the next
    one was drafted ahead): then one interval after that meeting, the interval
    being the gap between the last two meetings (four weeks when there is
    none), so numbers and dates keep the same order.
    """
    if not recent or recent[0] < today:
        return today
    gap = recent[0] - recent[1] if len(recent) > 1 else datetime.timedelta(0)
    return recent[0] + (gap if gap.days > 0 else datetime.timedelta(weeks=4))


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The meeting of the same series just before this one, by date."""
    earlier = Meeting.objects.filter(series=meeting.series_id).exclude(pk=meeting.pk)
    earlier = earlier.filter(date__lte=meeting.date)
    return earlier.order_by("-date", "-pk").first()


@transaction.atomic
def create_meeting(meeting: Meeting, scribes: Iterable[Person] = ()) -> Meeting:
    """Save a new draft and list the previous meeting's people, not yet marked.

    They start as absent: a scribe marks who came, rather than having to notice
    who did not.
    """
    meeting.status = Meeting.Status.DRAFT
    meeting.save()
    meeting.scribes.set(scribes)
    before = previous_meeting(meeting)
    if before is not None:
        people = before.attendances.values_list("person_id", flat=True)
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, person_id=pk, status=Attendance.Status.ABSENT)
            for pk in people
        )
    logger.info("Meeting %s created", meeting.pk)
    return meeting


@transaction.atomic
def approve_previous_minutes(meeting: Meeting) -> Meeting | None:
    """Record at ``meeting`` that the previous meeting's minutes were approved."""
    before = previous_meeting(meeting)
    if before is None:
        return None
    before.approved_at = meeting
    before.save()
    return before


# Attendance


class AmbiguousName(ValueError):
    def __init__(self, name: str, candidates: list[Person]):
        self.candidates = candidates
        listed = ", ".join(str(person) for person in candidates[:5])
        super().__init__(f"“{name}” could be {listed}; type the full name.")


def resolve_person(name: str, among: Iterable[Person] = ()) -> Person | None:
    """The one person called ``name`` (full name, alias, initials), if any.

    The importer's directory of names decides, so the editor and imports read
    names alike. It is asked first about ``among`` (say, the people already at
    the meeting), since the same initials meant different people over the
    years. Raises ``AmbiguousName`` when several people fit equally well.
    """
    nearby = PeopleDirectory(among).resolve(name)
    if nearby.person is not None:
        return nearby.person
    found = PeopleDirectory.load().resolve(name)
    if found.is_ambiguous:
        raise AmbiguousName(name, found.candidates)
    return found.person


@transaction.atomic
def add_attendee(
    meeting: Meeting, name: str, status: str, note: str = ""
) -> tuple[Attendance, bool]:
    """Add the person called ``name`` to the meeting, creating them if unknown.

    Returns the attendance row and whether a new person was created. A person
    already listed keeps one row, updated to ``status``.
    """
    listed = [a.person for a in meeting.attendances.select_related("person")]
    person = resolve_person(name, among=listed)
    created = person is None
    if created:
        person = Person.objects.create(name=" ".join(name.split()))
        logger.info("Person %s created from the editor", person.pk)
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting, person=person, defaults={"status": status, "note": note}
    )
    return attendance, created


# Sections


def _siblings(section: Section):
    return Section.objects.filter(
        meeting=section.meeting_id, parent=section.parent_id
    ).order_by("position", "pk")


def _place_last(section: Section) -> None:
    top = _siblings(section).exclude(pk=section.pk).aggregate(top=Max("position"))
    section.position = (top["top"] + 1) if top["top"] is not None else 0


@transaction.atomic
def add_section(meeting: Meeting, title: str, parent: Section | None = None) -> Section:
    section = Section(meeting=meeting, parent=parent, title=title)
    _place_last(section)
    section.full_clean()
    section.save()
    return section


def _renumber(ordered: Sequence[Section]) -> None:
    """Give ``ordered`` siblings positions 0, 1, 2... without breaking uniqueness.

    Positions are unique among siblings, so they are first moved out of the way
    in one statement (not recorded in history) and then saved one by one.
    """
    pks = [section.pk for section in ordered]
    Section.objects.filter(pk__in=pks).update(position=F("position") + 100_000)
    for position, section in enumerate(ordered):
        section.position = position
        section.save()


class MoveRefused(ValueError):
    pass


@transaction.atomic
def move_section(section: Section, how: str) -> Section:
    """Move a section ``up``, ``down``, ``in`` (under the sibling above) or ``out``."""
    section = Section.objects.select_for_update().get(pk=section.pk)
    siblings = list(_siblings(section))
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    if how in ("up", "down"):
        other = index - 1 if how == "up" else index + 1
        if not 0 <= other < len(siblings):
            where = "first" if how == "up" else "last"
            raise MoveRefused(f"“{section}” is already {where} in its list.")
        siblings[index], siblings[other] = siblings[other], siblings[index]
        _renumber(siblings)
    elif how == "in":
        if index == 0:
            raise MoveRefused(f"“{section}” has no section above it to go into.")
        _reparent(section, siblings[index - 1], siblings)
    elif how == "out":
        if section.parent_id is None:
            raise MoveRefused(f"“{section}” is already at the top level.")
        _reparent(section, section.parent.parent, siblings)
    else:
        raise MoveRefused(f"Unknown move “{how}”.")
    return section


def _reparent(section: Section, parent: Section | None, old_siblings) -> None:
    section.parent = parent
    _place_last(section)
    section.full_clean()
    section.save()
    _renumber([s for s in old_siblings if s.pk != section.pk])


@transaction.atomic
def delete_section(section: Section) -> None:
    """Remove a section that has no subsections; its actions stay, unplaced."""
    if section.children.exists():
        raise MoveRefused(f"“{section}” has subsections: move or remove them first.")
    siblings = [s for s in _siblings(section) if s.pk != section.pk]
    section.delete()
    _renumber(siblings)


@transaction.atomic
def copy_previous_agenda(meeting: Meeting) -> int:
    """Copy the section titles (not bodies) of the previous meeting of the series.

    Only into a meeting that has no sections yet; returns how many were made.
    """
    if meeting.sections.exists():
        raise MoveRefused("This meeting already has sections.")
    before = previous_meeting(meeting)
    if before is None:
        return 0
    copies: dict[int, Section] = {}
    originals = before.sections.order_by("parent_id", "position", "pk")
    # Parents first: a section's parent is always copied before the section.
    pending = list(originals)
    while pending:
        later = []
        for original in pending:
            if original.parent_id and original.parent_id not in copies:
                later.append(original)
                continue
            copies[original.pk] = Section.objects.create(
                meeting=meeting,
                parent=copies.get(original.parent_id),
                position=original.position,
                title=original.title,
            )
        pending = later
    return len(copies)


@transaction.atomic
def restore_section(section: Section, record, loaded_version: int) -> Section:
    """Put back the title, body and presenter a section had in history ``record``."""
    section.title = record.title
    section.body = record.body
    section.presenter_id = record.presenter_id
    return save_edit(section, loaded_version, ["title", "body", "presenter"])


# Actions


_REFERENCE_TAIL = re.compile(r"\.(\d+)$")


def next_action_reference(meeting: Meeting) -> str:
    """The next free reference at this meeting: "61.03" after "61.01" and "61.02"."""
    stem = str(meeting.number) if meeting.number else f"{meeting.date:%Y%m%d}"
    taken = ActionItem.objects.filter(
        series=meeting.series_id, reference__startswith=f"{stem}."
    ).values_list("reference", flat=True)
    numbers = [int(m.group(1)) for ref in taken if (m := _REFERENCE_TAIL.search(ref))]
    return f"{stem}.{max(numbers, default=0) + 1:02d}"


def today_in(tz_name: str | None) -> datetime.date:
    if not tz_name:
        return timezone.localdate()
    return timezone.now().astimezone(zoneinfo.ZoneInfo(tz_name)).date()
