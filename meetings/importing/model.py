"""Plain data produced by the minutes parser.

Nothing here knows about Django: the database writer and the exporter consume
these dataclasses. ``to_expected_dict`` renders a parse result in the shape of
the hand-checked extractions used to score the parser.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

ATTENDANCE_STATUSES = ("present", "apologies", "absent")


class MinutesParseError(ValueError):
    """Input that cannot be imported meaningfully.

    ``line`` is the 1-based line of the file the problem was found on (``None``
    when it concerns the file as a whole) and ``message`` says what is wrong.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ParseWarning:
    """Something doubtful that did not stop the import."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedAttendee:
    """One person in the attendance, with the status they were recorded with."""

    name: str
    status: str
    organisation: str | None = None
    initials: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ParsedSection:
    """A Markdown heading and the Markdown between it and the next heading.

    ``body`` is kept verbatim (tables included) so that exporting and
    re-importing a meeting is faithful.
    """

    level: int
    title: str
    parent_index: int | None
    body: str
    line: int


@dataclass(frozen=True)
class ParsedAction:
    """An action item from an action table or an explicitly marked prose line.

    ``xrefs`` holds ``{"kind": ..., "ref": ...}`` dicts, where kind is one of
    ``see``, ``see_also``, ``subsumed_by``, ``follow_up``, ``close`` and
    ``mentions``.
    """

    ref: str | None
    description: str
    owners: list[str]
    status: str | None
    comment: str | None
    xrefs: list[dict[str, str]]
    due: datetime.date | None
    section_index: int | None
    line: int
    source: str


@dataclass(frozen=True)
class ParsedMinutes:
    """Everything the parser extracted from one minutes file."""

    title: str | None
    date: datetime.date | None
    time: datetime.time | None
    number: int | None
    series: str | None
    chair: list[str] | None
    scribe: list[str] | None
    attendance: list[ParsedAttendee] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)
    preamble: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)

    def names_with_status(self, status: str) -> list[str]:
        """Names of the attendees recorded with ``status``, in file order."""
        return [a.name for a in self.attendance if a.status == status]

    def to_expected_dict(self) -> dict[str, Any]:
        """Render in the shape of the hand-checked ``expected/*.json`` files."""
        return {
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "number": self.number,
            "series": self.series,
            "chair": list(self.chair) if self.chair is not None else None,
            "scribe": list(self.scribe) if self.scribe is not None else None,
            "attendees": self.names_with_status("present"),
            "apologies": self.names_with_status("apologies"),
            "absent": self.names_with_status("absent"),
            "sections": [self._section_dict(s) for s in self.sections],
            "actions": [_action_dict(a) for a in self.actions],
        }

    def _section_dict(self, section: ParsedSection) -> dict[str, Any]:
        parent = section.parent_index
        return {
            "level": section.level,
            "title": section.title,
            "parent": self.sections[parent].title if parent is not None else None,
        }


def _action_dict(action: ParsedAction) -> dict[str, Any]:
    # The expected files name the cross-reference kind "type".
    return {
        "ref": action.ref,
        "description": action.description,
        "owners": list(action.owners),
        "status": action.status,
        "comment": action.comment,
        "xrefs": [{"type": x["kind"], "ref": x["ref"]} for x in action.xrefs],
        "due": action.due.isoformat() if action.due else None,
        "source": action.source,
    }
