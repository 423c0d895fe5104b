"""Minutes as Markdown in the archive's format: YAML front matter, then headings.

An exported file imports back into the same meeting: the importer reads the
front matter, the headings become sections again and the attendance and action
tables are parsed as in any archive file. An imported meeting's section bodies
already hold the text of its attendance and action tables, so those are written
as they are; only what that text does not record (people or actions added on
the site) is written out in extra "Attendance" and "Actions" sections.
"""

from __future__ import annotations

import logging
import re
from pathlib import PurePosixPath

import yaml
from django.utils.text import slugify

from meetings.importing.directory import PeopleDirectory
from meetings.importing.model import MinutesParseError
from meetings.importing.parser import parse_minutes
from meetings.models import (
    ActionItem,
    ActionLink,
    Attendance,
    Meeting,
    PersonAlias,
    SectionNode,
)

logger = logging.getLogger(__name__)

# Characters that would turn a plain heading title into emphasis, a link or
# code, and a closing "#" that CommonMark would drop.
_HEADING_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")
_MAX_HEADING_LEVEL = 6

# How a link between actions is written so that the importer reads it back.
_LINK_WORDS = {
    ActionLink.Kind.SEE: "See {}",
    ActionLink.Kind.SEE_ALSO: "See also {}",
    ActionLink.Kind.SUBSUMED_BY: "Subsumed by {}",
    ActionLink.Kind.FOLLOW_UP: "Follow-up of {}",
    ActionLink.Kind.MENTIONS: "Mentions action {}",
    ActionLink.Kind.CLOSE: "Closes {}",
}


def export_meeting(meeting: Meeting) -> str:
    """The Markdown file for ``meeting``, ending in a newline.

    Pass a meeting loaded through ``Meeting.objects.with_tree()``; exporting it
    then costs two more queries (aliases and action links) whatever its size.
    """
    text = _join(_front_matter(meeting), meeting.notes, *_sections(meeting))
    people, references = _recorded_in(text, meeting)
    extra_attendance = [
        a for a in meeting.attendances.all() if a.person_id not in people
    ]
    extra_actions = [
        row
        for row in _action_rows(meeting)
        if row[0] not in references and _plain(row[1]) not in references
    ]
    return _join(
        text,
        _attendance_section(extra_attendance),
        _actions_section(extra_actions),
    )


def export_path(meeting: Meeting) -> str:
    """Where the meeting's file goes, relative to an export folder.

    An imported meeting goes back where it came from, so that a site built
    from the archive's folders keeps its addresses; others go under their
    series, named by date and title.
    """
    source = PurePosixPath(meeting.source.replace("\\", "/"))
    if meeting.source and not source.is_absolute() and ".." not in source.parts:
        return str(source.with_suffix(".md"))
    name = slugify(meeting.title)[:60] or "meeting"
    return f"{meeting.series.slug}/{meeting.date:%Y-%m-%d}-{name}.md"


# Front matter and sections ------------------------------------------------------


def _front_matter(meeting: Meeting) -> str:
    data: dict[str, object] = {"title": meeting.title, "date": meeting.date}
    if meeting.start_time:
        data["time"] = meeting.start_time.strftime("%H:%M")
    if meeting.number is not None:
        data["number"] = meeting.number
    data["series"] = meeting.series.slug
    if meeting.chair:
        data["chair"] = meeting.chair.name
    scribes = [person.name for person in meeting.scribes.all()]
    if scribes:
        data["scribe"] = ", ".join(scribes)
    for key in ("location", "video_url", "timezone"):
        if getattr(meeting, key):
            data[key] = getattr(meeting, key)
    dumped = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )
    return f"---\n{dumped}---"


def _sections(meeting: Meeting) -> list[str]:
    parts: list[str] = []

    def walk(nodes: list[SectionNode]) -> None:
        for node in nodes:
            level = min(node.depth + 1, _MAX_HEADING_LEVEL)
            parts.append(f"{'#' * level} {_heading_text(node.section.title)}")
            parts.append(node.section.body)
            walk(node.children)

    walk(meeting.section_tree())
    return parts


def _heading_text(title: str) -> str:
    """A title as heading text, with Markdown's special characters escaped."""
    return _HEADING_SPECIAL.sub(r"\\\1", " ".join(title.split()))


def _join(*parts: str) -> str:
    return "\n\n".join(part.strip("\n") for part in parts if part and part.strip()) + (
        "\n"
    )


# What the text already records --------------------------------------------------


def _recorded_in(text: str, meeting: Meeting) -> tuple[set[int], set[str]]:
    """Attendees (person ids) and actions the text already records, read with
    the importer's own parser so that the two agree.

    Actions are known by reference, or by description: the importer numbers
    those written without a reference, or with one used twice for different
    actions, and that number is not in the text.
    """
    try:
        parsed = parse_minutes(text)
    except MinutesParseError as error:
        # Then nothing counts as recorded, and everything is written out.
        logger.warning("Export of meeting %s does not parse: %s", meeting.pk, error)
        return set(), set()

    directory = _directory_of_attendees(meeting)
    people = set()
    for attendee in parsed.attendance:
        found = directory.resolve(attendee.name, attendee.initials)
        if found.person is not None:
            people.add(found.person.pk)
    references = {a.ref for a in parsed.actions if a.ref}
    references |= {_plain(a.description) for a in parsed.actions}
    return people, references


def _plain(description: str) -> str:
    return " ".join(description.split()).casefold()


def _directory_of_attendees(meeting: Meeting) -> PeopleDirectory:
    people = [attendance.person for attendance in meeting.attendances.all()]
    aliases: dict[int, list[str]] = {}
    for person_id, alias in PersonAlias.objects.filter(
        person__in=[p.pk for p in people]
    ).values_list("person", "alias"):
        aliases.setdefault(person_id, []).append(alias)
    directory = PeopleDirectory([])
    for person in people:
        directory.add(person, aliases.get(person.pk, []))
    return directory


# Generated sections -------------------------------------------------------------


def _attendance_section(rows: list[Attendance]) -> str:
    if not rows:
        return ""
    by_label: dict[str, list[str]] = {"Present": [], "Apologies": [], "Absent": []}
    for attendance in rows:
        notes = [attendance.note] if attendance.note else []
        label = "Present"
        if attendance.status == Attendance.Status.REMOTE:
            notes.insert(0, "remote")
        elif attendance.status != Attendance.Status.PRESENT:
            label = attendance.get_status_display()
        # Commas would split one entry into two people on import.
        note = "; ".join(n.replace(",", ";").replace(")", "]") for n in notes)
        entry = attendance.person.name + (f" ({note})" if note else "")
        by_label[label].append(entry)
    lines = [
        f"{label}: {', '.join(names)}" for label, names in by_label.items() if names
    ]
    return "## Attendance\n\n" + "\n\n".join(lines)


def _action_rows(meeting: Meeting) -> list[tuple[str, ...]]:
    """Ref, description, owners, status, comment and due date of every action
    raised or reviewed at ``meeting``, raised ones first."""
    updates = {u.action_id: u for u in meeting.action_updates.all()}
    raised = list(meeting.actions_raised.all())
    links: dict[int, list[str]] = {}
    for link in ActionLink.objects.filter(source__in=raised).select_related("target"):
        words = _LINK_WORDS[link.kind].format(link.target.reference)
        links.setdefault(link.source_id, []).append(words)

    rows = []
    for action in raised:
        update = updates.pop(action.pk, None)
        comment = update.comment if update else ""
        missing = [w for w in links.get(action.pk, []) if w not in comment]
        comment = "; ".join(filter(None, [comment, *missing]))
        status = update.get_status_display() if update else action.get_status_display()
        rows.append(_row(action, status, comment))
    for update in updates.values():
        rows.append(_row(update.action, update.get_status_display(), update.comment))
    return rows


def _row(action: ActionItem, status: str, comment: str) -> tuple[str, ...]:
    due = action.due_date.isoformat() if action.due_date else ""
    # Full names: initials are often shared, which would make them ambiguous.
    owners = [p.name for p in action.owners.all()]
    if action.owner_organisation_id:
        owners.append(action.owner_organisation.short_name)
    if action.owners_text:
        owners.append(action.owners_text)
    return (
        action.reference,
        action.description,
        ", ".join(owners),
        status,
        comment,
        due,
    )


def _actions_section(rows: list[tuple[str, ...]]) -> str:
    if not rows:
        return ""
    header = ("Ref", "Description", "Owners", "Status", "Comment", "Due")
    lines = [_table_line(header), _table_line(("---",) * len(header))]
    lines += [_table_line(row) for row in rows]
    return "## Actions\n\n" + "\n".join(lines)


def _table_line(cells: tuple[str, ...]) -> str:
    escaped = (" ".join(cell.split()).replace("|", "\\|") for cell in cells)
    return "| " + " | ".join(escaped) + " |"
