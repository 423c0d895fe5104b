"""Write one parsed minutes file into the database, in one transaction.

``write_minutes`` takes what the parser produced (``ParsedMinutes``) and
creates the meeting with its attendance, sections and actions, or replaces
them when the same source was imported before. Re-importing an unchanged file
does nothing; re-importing a file whose meeting was edited on the site since
is refused unless the caller asks to overwrite, so no one's edits vanish
silently. Any error leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import logging
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from meetings.models import (
    ActionItem,
    Attendance,
    Meeting,
    Organisation,
    Person,
    Section,
    Series,
)

from .action_writer import IMPORT_REASON, ActionWriter, PendingLink
from .directory import PeopleDirectory, looks_like_initials, name_key
from .model import ParsedAttendee, ParsedMinutes, ParseWarning

logger = logging.getLogger(__name__)

_TITLE_MAX = Meeting._meta.get_field("title").max_length
_SECTION_TITLE_MAX = Section._meta.get_field("title").max_length
_SOURCE_MAX = Meeting._meta.get_field("source").max_length
_NOTE_MAX = Attendance._meta.get_field("note").max_length
_LOCATION_MAX = Meeting._meta.get_field("location").max_length

# When one person is listed twice, the more engaged status wins.
_ATTENDANCE_RANK = {
    Attendance.Status.PRESENT: 0,
    Attendance.Status.REMOTE: 1,
    Attendance.Status.APOLOGIES: 2,
    Attendance.Status.ABSENT: 3,
}
_REMOTE_NOTES = {"remote", "remotely", "by video", "video", "online", "by phone"}


class MinutesWriteError(ValueError):
    """Parsed minutes that cannot be written; nothing was written.

    ``line`` is the 1-based line of the file the problem concerns, or ``None``
    when it concerns the file as a whole.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        return (
            self.message if self.line is None else f"line {self.line}: {self.message}"
        )


class MissingDate(MinutesWriteError):
    """The file states no date anywhere; the caller can supply one."""


class EditedSinceImport(MinutesWriteError):
    """The meeting was edited on the site since its import; nothing was written."""


# Names for the series an archive's folders stand for, created when missing.
SERIES_NAMES = {
    "monthly": "Monthly meeting",
    "face-to-face": "Face-to-face meeting",
    "steering-group": "Steering group",
    "other": "Other",
}


@dataclass
class WriteResult:
    """What ``write_minutes`` did: the meeting, whether it was created, updated or
    left unchanged, counts of rows written, people created and warnings.

    ``pending_links`` are cross references to actions not in the database yet;
    pass them to ``action_writer.resolve_links`` once later files are written.
    """

    meeting: Meeting
    outcome: str
    counts: dict[str, int] = field(default_factory=dict)
    created_people: list[Person] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    pending_links: list[PendingLink] = field(default_factory=list)

    def summary(self) -> str:
        counted = ", ".join(f"{n} {what}" for what, n in self.counts.items() if n)
        created = len(self.created_people)
        parts = [f"{self.outcome} {self.meeting} (id {self.meeting.pk})", counted]
        if created:
            parts.append(f"{created} new people")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warnings")
        return "; ".join(p for p in parts if p)


def hash_source(data: bytes) -> str:
    """The fingerprint stored with an import, to skip unchanged files."""
    return hashlib.sha256(data).hexdigest()


def write_minutes(
    parsed: ParsedMinutes,
    *,
    source: str,
    source_hash: str = "",
    series: Series | None = None,
    publish: bool = False,
    overwrite: bool = False,
    directory: PeopleDirectory | None = None,
) -> WriteResult:
    """Create or replace the meeting imported from ``source``.

    ``source`` identifies the file (its path in the archive) and makes
    re-imports idempotent; ``source_hash`` (see ``hash_source``) lets an
    unchanged file be skipped. ``series`` defaults to the series whose slug is
    the parsed one. New meetings are drafts unless ``publish``; a re-import
    keeps the meeting's status. ``overwrite`` replaces a meeting edited on the
    site since its last import. ``directory`` can be shared across the files of
    one run so people created by one file are found by the next.

    Raises ``MinutesWriteError`` and writes nothing when the data cannot be
    stored.
    """
    _check_source(source)
    series = series or _series_for(parsed)
    with transaction.atomic():
        existing = Meeting.objects.select_for_update().filter(source=source).first()
        if existing is not None:
            unchanged = _check_reimport(existing, series, source_hash, overwrite)
            if unchanged:
                return WriteResult(existing, "unchanged")
        writer = _MeetingWriter(parsed, series, directory or PeopleDirectory.load())
        meeting = writer.write(existing, source, source_hash, publish)
        outcome = "updated" if existing else "created"
    result = WriteResult(
        meeting,
        outcome,
        writer.counts,
        writer.created_people,
        writer.warnings,
        writer.pending_links,
    )
    logger.info("Imported %s: %s", source, result.summary())
    return result


def check_importable(parsed: ParsedMinutes) -> None:
    """Raise the ``MinutesWriteError`` that writing ``parsed`` would certainly
    meet, without touching the database: no date, or no title."""
    if parsed.date is None:
        raise MissingDate(
            "no date found in the front matter, the title, the file name or the text"
        )
    if not " ".join((parsed.title or "").split()):
        raise MinutesWriteError("the minutes have no title and no heading")


def ensure_series(slug: str) -> tuple[Series, bool]:
    """The series with ``slug``, created (and ``True`` returned) when missing.

    The archive's folders get readable names (``SERIES_NAMES``); another slug
    is named after itself. Call it inside the transaction that imports a file,
    so a file that fails leaves no series behind.
    """
    found = Series.objects.filter(slug=slug).first()
    if found is not None:
        return found, False
    name = SERIES_NAMES.get(slug) or slug.replace("-", " ").capitalize()
    if Series.objects.filter(name=name).exists():
        # Names are unique too; an admin may have used this one for another slug.
        name = f"{name} ({slug})"
    return Series.objects.create(slug=slug, name=name), True


def _check_source(source: str) -> None:
    if not source.strip():
        raise MinutesWriteError("the source (where the minutes come from) is empty")
    if len(source) > _SOURCE_MAX:
        raise MinutesWriteError(
            f"the source name is {len(source)} characters long; at most "
            f"{_SOURCE_MAX} fit"
        )


def _series_for(parsed: ParsedMinutes) -> Series:
    if not parsed.series:
        raise MinutesWriteError(
            "the file does not say which series it belongs to; choose one"
        )
    found = Series.objects.filter(slug=parsed.series).first()
    if found is None:
        raise MinutesWriteError(
            f"there is no series with the slug {parsed.series!r}; create it in the "
            "admin or choose another series"
        )
    return found


def _check_reimport(
    meeting: Meeting, series: Series, source_hash: str, overwrite: bool
) -> bool:
    """Whether a re-import can be skipped; raises when it must be refused."""
    if meeting.series_id != series.pk:
        raise MinutesWriteError(
            f"this file was imported into the series {meeting.series} before; "
            f"importing it into {series} would renumber its actions"
        )
    if source_hash and meeting.source_hash == source_hash:
        return True
    if not overwrite and edited_since_import(meeting):
        raise EditedSinceImport(
            f"{meeting} (id {meeting.pk}) was edited on the site after it was "
            "imported; re-importing would lose those edits (force the import to "
            "replace them)"
        )
    return False


def edited_since_import(meeting: Meeting) -> bool:
    """Whether people changed the meeting, its sections, attendance or actions
    after its last import (the importer's own changes do not count)."""
    if meeting.imported_version is None or meeting.imported_at is None:
        return True
    if meeting.version != meeting.imported_version:
        return True
    since = meeting.imported_at
    histories = (
        Section.history.filter(meeting_id=meeting.pk),
        Attendance.history.filter(meeting_id=meeting.pk),
        ActionItem.history.filter(meeting_id=meeting.pk).exclude(
            history_change_reason=IMPORT_REASON
        ),
    )
    return any(h.filter(history_date__gt=since).exists() for h in histories)


class _MeetingWriter:
    """The steps of one import, sharing the people directory and warnings."""

    def __init__(
        self, parsed: ParsedMinutes, series: Series, directory: PeopleDirectory
    ) -> None:
        self.parsed = parsed
        self.series = series
        self.directory = directory
        self.organisations = {
            name_key(org.short_name): org for org in Organisation.objects.all()
        }
        self.warnings: list[ParseWarning] = []
        self.created_people: list[Person] = []
        self.counts: dict[str, int] = {}
        self.pending_links: list[PendingLink] = []

    def write(
        self, meeting: Meeting | None, source: str, source_hash: str, publish: bool
    ) -> Meeting:
        meeting = self._save_meeting(meeting, source, source_hash, publish)
        self._write_people(meeting)
        sections = self._write_sections(meeting)

        actions = ActionWriter(meeting, sections, self.directory, self.organisations)
        actions.write(self.parsed.actions)
        self.warnings += actions.warnings
        self.counts.update(actions.counts)
        self.pending_links = actions.pending_links

        # A queryset update, so that recording the import is not itself an edit.
        now = timezone.now()
        Meeting.objects.filter(pk=meeting.pk).update(
            imported_at=now, imported_version=meeting.version
        )
        meeting.imported_at, meeting.imported_version = now, meeting.version
        return meeting

    # The meeting --------------------------------------------------------------

    def _save_meeting(
        self, meeting: Meeting | None, source: str, source_hash: str, publish: bool
    ) -> Meeting:
        parsed = self.parsed
        check_importable(parsed)
        self._check_number(meeting)
        if meeting is None:
            meeting = Meeting(series=self.series, source=source)
            if publish:
                meeting.status = Meeting.Status.PUBLISHED
                meeting.published_at = timezone.now()
        else:
            self._clear(meeting)

        meeting.title = self._title()
        meeting.number = parsed.number
        meeting.date = parsed.date
        meeting.start_time = parsed.time
        meeting.notes = parsed.preamble
        meeting.source_hash = source_hash
        meeting.chair = self._chair()
        self._read_extra(meeting)
        meeting.save()
        return meeting

    def _title(self) -> str:
        title = " ".join((self.parsed.title or "").split())
        if not title:
            raise MinutesWriteError("the minutes have no title and no heading")
        if len(title) > _TITLE_MAX:
            self._warn(None, f"title shortened to {_TITLE_MAX} characters")
            title = title[: _TITLE_MAX - 1] + "…"
        return title

    def _check_number(self, meeting: Meeting | None) -> None:
        number = self.parsed.number
        if number is None:
            return
        clash = Meeting.objects.filter(series=self.series, number=number)
        if meeting is not None:
            clash = clash.exclude(pk=meeting.pk)
        other = clash.first()
        if other is not None:
            where = f", imported from {other.source}" if other.source else ""
            raise MinutesWriteError(
                f"meeting number {number} is already used in {self.series} by "
                f"{other} (id {other.pk}{where})"
            )

    def _read_extra(self, meeting: Meeting) -> None:
        """Location, video link and time zone, which exported files carry in
        their front matter."""
        extra = self.parsed.extra
        meeting.location = str(extra.get("location") or "")[:_LOCATION_MAX]
        meeting.video_url = str(extra.get("video_url") or "")
        zone = str(extra.get("timezone") or "")
        try:
            if zone:
                zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self._warn(None, f"unknown time zone {zone!r} left out")
            zone = ""
        meeting.timezone = zone

    def _clear(self, meeting: Meeting) -> None:
        """Remove what the previous import of this file wrote, except actions,
        which are matched by reference so links from other meetings survive."""
        meeting.sections.all().delete()
        meeting.attendances.all().delete()
        meeting.action_updates.all().delete()
        meeting.scribes.clear()

    # People -------------------------------------------------------------------

    def _write_people(self, meeting: Meeting) -> None:
        rows: dict[int, Attendance] = {}
        for attendee in self.parsed.attendance:
            person = self._person(attendee.name, attendee.initials, attendee)
            if person is not None:
                self._attend(meeting, rows, person, attendee)
        Attendance.objects.bulk_create(rows.values())
        self.counts["attendance"] = len(rows)

        scribes = [p for p in map(self._person, self.parsed.scribe or []) if p]
        meeting.scribes.set(scribes)

    def _chair(self) -> Person | None:
        chairs = [p for p in map(self._person, self.parsed.chair or []) if p]
        if len(chairs) > 1:
            names = ", ".join(p.name for p in chairs)
            self._warn(None, f"several chairs ({names}); the first is recorded")
        return chairs[0] if chairs else None

    def _attend(
        self,
        meeting: Meeting,
        rows: dict[int, Attendance],
        person: Person,
        attendee: ParsedAttendee,
    ) -> None:
        status, note = attendee.status, (attendee.note or "").strip()
        # "remote" may lead other notes, as the exporter writes it:
        # "(remote; joined late)".
        first, _, rest = note.partition(";")
        if status == Attendance.Status.PRESENT and first.strip().casefold() in (
            _REMOTE_NOTES
        ):
            status, note = Attendance.Status.REMOTE, rest.strip()
        organisation = self.organisations.get(name_key(attendee.organisation or ""))
        if organisation is not None and organisation.pk == person.organisation_id:
            organisation = None
        if len(note) > _NOTE_MAX:
            note = note[: _NOTE_MAX - 1] + "…"

        kept = rows.get(person.pk)
        if kept is None:
            rows[person.pk] = Attendance(
                meeting=meeting,
                person=person,
                status=status,
                note=note,
                organisation=organisation,
            )
            return
        self._warn(None, f"{person.name} is listed more than once in the attendance")
        if _ATTENDANCE_RANK[status] < _ATTENDANCE_RANK[kept.status]:
            kept.status = status
        kept.note = "; ".join(dict.fromkeys(n for n in (kept.note, note) if n))[
            :_NOTE_MAX
        ]

    def _person(
        self,
        name: str,
        initials: str | None = None,
        attendee: ParsedAttendee | None = None,
    ) -> Person | None:
        """The person a written name means, created when nobody matches.

        Ambiguous names and unknown initials are left out with a warning rather
        than guessed or turned into a person called "AE".
        """
        name = " ".join(name.split())
        found = self.directory.resolve(name, initials)
        if found.person is not None:
            if found.guess:
                self._warn(None, f"{name!r} read as {found.person.name} {found.guess}")
            return found.person
        if found.is_ambiguous:
            names = ", ".join(p.name for p in found.candidates)
            self._warn(None, f"{name!r} could be any of {names}; left out")
            return None
        if not name or looks_like_initials(name):
            self._warn(None, f"nobody has the initials {name!r}; left out")
            return None
        return self._create_person(name, initials, attendee)

    def _create_person(
        self, name: str, initials: str | None, attendee: ParsedAttendee | None
    ) -> Person:
        organisation = None
        if attendee is not None and attendee.organisation:
            organisation = self.organisations.get(name_key(attendee.organisation))
        person = Person.objects.create(
            name=name[:200], initials=(initials or "")[:10], organisation=organisation
        )
        self.directory.add(person)
        self.created_people.append(person)
        self._warn(None, f"{name!r} is not in the directory; added as a new person")
        return person

    # Sections -----------------------------------------------------------------

    def _write_sections(self, meeting: Meeting) -> list[Section | None]:
        """One section per heading, nested as the headings are.

        Headings deeper than ``Section.MAX_DEPTH`` are attached at the deepest
        level allowed, so no text is lost.
        """
        written: list[Section] = []
        depths: list[int] = []
        positions: dict[int | None, int] = {}
        for parsed in self.parsed.sections:
            parent_index = parsed.parent_index
            while (
                parent_index is not None and depths[parent_index] >= Section.MAX_DEPTH
            ):
                parent_index = self.parsed.sections[parent_index].parent_index
            if parent_index != parsed.parent_index:
                self._warn(parsed.line, "heading nested too deeply; moved up a level")
            parent = written[parent_index] if parent_index is not None else None
            position = positions.get(parent_index, 0)
            positions[parent_index] = position + 1

            section = Section.objects.create(
                meeting=meeting,
                parent=parent,
                position=position,
                title=self._section_title(parsed.title, parsed.line),
                body=parsed.body,
            )
            written.append(section)
            depths.append(depths[parent_index] + 1 if parent_index is not None else 1)
        self.counts["sections"] = len(written)
        return written

    def _section_title(self, title: str, line: int) -> str:
        title = " ".join(title.split())
        if not title:
            self._warn(line, "empty heading; called 'Untitled section'")
            return "Untitled section"
        if len(title) > _SECTION_TITLE_MAX:
            self._warn(line, f"heading shortened to {_SECTION_TITLE_MAX} characters")
            return title[: _SECTION_TITLE_MAX - 1] + "…"
        return title

    def _warn(self, line: int | None, message: str) -> None:
        self.warnings.append(ParseWarning(line, message))
