"""Write the action rows of one imported meeting: new actions and updates.

An action table in the archive lists the actions raised at the meeting and,
usually, the earlier actions still being followed. Actions are keyed by their
reference within the series, so a row either raises an action (the first, i.e.
earliest, meeting that lists it) or records what a later meeting said about it
(an ``ActionUpdate``). Files may be imported in any order: when an earlier
meeting arrives after a later one, the action moves to the earlier meeting and
the later listing becomes an update.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from meetings.models import (
    ActionItem,
    ActionLink,
    ActionUpdate,
    Meeting,
    Organisation,
    Section,
)

from .actions import only_xrefs
from .directory import PeopleDirectory, name_key
from .model import ParsedAction, ParseWarning

logger = logging.getLogger(__name__)

IMPORT_REASON = "import"

Status = ActionItem.Status
CLOSED_STATUSES = (Status.DONE, Status.DROPPED, Status.SUPERSEDED)

# Checked in order: negations ("not done", "will not be done") before the
# words they contain.
_STATUS_WORDS: tuple[tuple[str, str], ...] = (
    (
        Status.DROPPED,
        r"will not be done|won'?t be done|no action|cancell?ed|drop(?:ped)?"
        r"|withdrawn|obsolete|abandoned",
    ),
    (Status.SUPERSEDED, r"superseded|subsumed"),
    (
        Status.OPEN,
        r"not done|no progress|not started|pending|waiting|awaiting|deferred|new"
        r"|open|to do|todo",
    ),
    (
        Status.IN_PROGRESS,
        r"in progress|on-?going|on going|started|i/p|under ?way|progressing",
    ),
    (Status.DONE, r"done|completed?|closed|finished|ok|resolved"),
)
_STATUS_PATTERNS = [
    (status, re.compile(rf"\b(?:{words})\b", re.IGNORECASE))
    for status, words in _STATUS_WORDS
]
# Dots and dashes around a status word ("Done.", "- done -") say nothing more.
_CELL_PUNCTUATION = " .!-\N{EN DASH}\N{EM DASH}"
_REFERENCE_MAX = ActionItem._meta.get_field("reference").max_length
_OWNERS_TEXT_MAX = ActionItem._meta.get_field("owners_text").max_length


def read_status(written: str | None) -> tuple[str, bool]:
    """Map a status cell as written to ``ActionItem.Status``.

    Returns the status and whether the cell said nothing more than that (so
    that free text such as "Done by Ada, see wiki" can be kept as a comment).
    An empty cell or unknown text means the action is still open.
    """
    text = (written or "").strip()
    if not text:
        return Status.OPEN, True
    bare = text.strip(_CELL_PUNCTUATION).strip()
    for status, pattern in _STATUS_PATTERNS:
        match = pattern.search(text)
        if match:
            return status, pattern.fullmatch(bare) is not None
    return Status.OPEN, False


@dataclass(frozen=True)
class PendingLink:
    """A cross reference whose target was not in the database when its row was
    written; ``resolve_links`` tries again once every file of a run is in.

    ``status`` is what the listing row said, needed to settle the action again
    when the link turns out to be a "subsumed by".
    """

    action_id: int
    series_id: int
    reference: str
    target: str
    kind: str
    line: int
    status: str

    def __str__(self) -> str:
        return (
            f"line {self.line}: action {self.reference} refers to {self.target}, "
            "which no imported meeting raises; link left out"
        )


@dataclass
class _Row:
    """One parsed action row, interpreted."""

    parsed: ParsedAction
    reference: str
    status: str
    comment: str
    section: Section | None


class ActionWriter:
    """Writes the action rows of ``meeting``; collects warnings as it goes."""

    def __init__(
        self,
        meeting: Meeting,
        sections: list[Section | None],
        directory: PeopleDirectory,
        organisations: dict[str, Organisation],
    ) -> None:
        self.meeting = meeting
        self.sections = sections
        self.directory = directory
        self.organisations = organisations
        self.warnings: list[ParseWarning] = []
        # What this meeting said each action's status was, by action id.
        self.listed_status: dict[int, str] = {}
        self.counts = {"actions raised": 0, "action updates": 0, "action links": 0}
        self.pending_links: list[PendingLink] = []

    def write(self, parsed_actions: list[ParsedAction]) -> None:
        """Raise, update and link the actions listed at this meeting."""
        rows = self._rows(parsed_actions)
        existing = {
            action.reference: action
            for action in ActionItem.objects.filter(
                series=self.meeting.series_id,
                reference__in=[row.reference for row in rows],
            ).select_related("meeting")
        }
        self._retire_unlisted({row.reference for row in rows})

        touched = []
        for row in rows:
            action = existing.get(row.reference)
            touched.append(self._write_row(row, action))
        for row, action in zip(rows, touched, strict=True):
            self._link(row, action)
        for action in touched:
            settle_status(action, self.listed_status.get(action.pk))

    # Rows -------------------------------------------------------------------

    def _rows(self, parsed_actions: list[ParsedAction]) -> list[_Row]:
        written = []
        seen: dict[tuple[str, str], int] = {}
        for parsed in parsed_actions:
            if not parsed.description.strip():
                self._warn(parsed.line, "action row without a description skipped")
                continue
            # Minutes often list an action twice (in the review and again in
            # the summary table); the same reference and wording is one action.
            key = ((parsed.ref or "").strip(), _plain(parsed.description))
            if key[0] and key in seen:
                self._warn(
                    parsed.line,
                    f"action {key[0]} is listed again (first on line "
                    f"{seen[key]}); this row is left out",
                )
                continue
            seen[key] = parsed.line
            written.append(parsed)
        references = self._references(written)

        rows: list[_Row] = []
        for parsed, reference in zip(written, references, strict=True):
            status, clean = read_status(parsed.status)
            comment = parsed.comment or ""
            if not clean:
                # The status cell said more than a status: keep its words.
                comment = "; ".join(filter(None, [f"Status: {parsed.status}", comment]))
            section = None
            if parsed.section_index is not None:
                section = self.sections[parsed.section_index]
            rows.append(_Row(parsed, reference, status, comment, section))
        return rows

    def _references(self, parsed_actions: list[ParsedAction]) -> list[str]:
        """References as written, and numbers for the rows that have none.

        Written ones are settled first so that numbering the others gives the
        same result each time the file is imported.
        """
        written: list[str | None] = []
        for parsed in parsed_actions:
            reference = (parsed.ref or "").strip()
            if len(reference) > _REFERENCE_MAX:
                self._warn(
                    parsed.line,
                    f"action reference {reference!r} is longer than "
                    f"{_REFERENCE_MAX} characters; numbered automatically instead",
                )
                reference = ""
            elif reference and reference in written:
                self._warn(
                    parsed.line,
                    f"action {reference} is listed twice; the second one is "
                    "numbered automatically",
                )
                reference = ""
            written.append(reference or None)

        taken = self._taken_elsewhere() | {r for r in written if r}
        numbered = []
        for reference in written:
            if reference is None:
                reference = self._next_free(taken)
                taken.add(reference)
            numbered.append(reference)
        return numbered

    def _prefix(self) -> str:
        """The start of automatic numbers: the meeting number, else its date."""
        meeting = self.meeting
        return f"{meeting.number or f'{meeting.date:%Y%m%d}'}."

    def _taken_elsewhere(self) -> set[str]:
        # Numbers this meeting gave out before are free again: a re-import
        # hands them out in the same order.
        taken = ActionItem.objects.filter(
            series=self.meeting.series_id, reference__startswith=self._prefix()
        ).exclude(meeting=self.meeting)
        return set(taken.values_list("reference", flat=True))

    def _next_free(self, taken: set[str]) -> str:
        number = 1
        while f"{self._prefix()}{number:02d}" in taken:
            number += 1
        return f"{self._prefix()}{number:02d}"

    # Writing ----------------------------------------------------------------

    def _write_row(self, row: _Row, action: ActionItem | None) -> ActionItem:
        if action is None:
            return self._raise(row)
        if action.meeting_id == self.meeting.pk:
            self._set_raising_fields(action, row)
            self._record_raising_comment(action, row)
            return action
        if _is_earlier(self.meeting, action.meeting):
            return self._move_to_this_meeting(action, row)
        self._record_update(action, row.status, row.comment)
        self.listed_status[action.pk] = row.status
        if row.parsed.due and not action.due_date:
            action.due_date = row.parsed.due
            _save(action)
        return action

    def _raise(self, row: _Row) -> ActionItem:
        action = ActionItem(
            meeting=self.meeting, series_id=self.meeting.series_id, status=row.status
        )
        if row.status in CLOSED_STATUSES:
            # What ``settle_status`` would decide, so it need not save again.
            action.closed_at, action.closed_on = self.meeting, self.meeting.date
        self._set_raising_fields(action, row)
        self.counts["actions raised"] += 1
        self._record_raising_comment(action, row)
        return action

    def _set_raising_fields(self, action: ActionItem, row: _Row) -> None:
        """What the raising meeting decides: wording, owners, due date, section."""
        action.reference = row.reference
        action.description = row.parsed.description.strip()
        action.due_date = row.parsed.due
        action.section = row.section
        people, organisation, text = self._owners(row.parsed)
        action.owner_organisation = organisation
        action.owners_text = text
        if action.pk is None:
            action.status = row.status
        _save(action)
        action.owners.set(people)
        self.listed_status[action.pk] = row.status

    def _record_raising_comment(self, action: ActionItem, row: _Row) -> None:
        # The raising meeting's comment has nowhere else to live than an
        # update, unless it only names other actions: the links record that.
        if row.comment and not only_xrefs(row.comment):
            self._record_update(action, row.status, row.comment)

    def _move_to_this_meeting(self, action: ActionItem, row: _Row) -> ActionItem:
        later = action.meeting
        if not action.updates.filter(meeting=later).exists():
            self._record_update(action, action.status, "", meeting=later)
        self._warn(
            row.parsed.line,
            f"action {action.reference} was first imported from a later meeting "
            f"({later}); it now belongs to this one",
        )
        action.meeting = self.meeting
        self._set_raising_fields(action, row)
        self._record_raising_comment(action, row)
        return action

    def _record_update(
        self,
        action: ActionItem,
        status: str,
        comment: str,
        meeting: Meeting | None = None,
    ) -> None:
        meeting = meeting or self.meeting
        ActionUpdate.objects.update_or_create(
            action=action,
            meeting=meeting,
            defaults={"status": status, "comment": comment},
        )
        # A comment at the raising meeting is part of raising the action.
        if meeting.pk != action.meeting_id:
            self.counts["action updates"] += 1

    def _retire_unlisted(self, listed: set[str]) -> None:
        """Actions raised here by an earlier import that this file no longer lists.

        An action another meeting also listed moves there; one no meeting
        mentions any more is deleted.
        """
        gone = ActionItem.objects.filter(meeting=self.meeting).exclude(
            reference__in=listed
        )
        for action in gone:
            update = (
                action.updates.exclude(meeting=self.meeting)
                .select_related("meeting")
                .order_by("meeting__date", "pk")
                .first()
            )
            if update is None:
                logger.info("Deleting action %s: no longer listed", action.reference)
                action.delete()
                continue
            action.meeting = update.meeting
            action.section = None
            update.delete()
            _save(action)

    # Owners and links -------------------------------------------------------

    def _owners(self, parsed: ParsedAction):
        """People, one organisation, and the rest as text, from the owners cell."""
        people, organisation, rest = [], None, []
        for written in parsed.owners:
            org = self.organisations.get(name_key(written))
            if org is not None and organisation is None:
                organisation = org
                continue
            found = self.directory.resolve(written)
            if found.person is not None and found.person.pk:
                people.append(found.person)
                if found.guess:
                    self._warn(
                        parsed.line,
                        f"owner {written!r} read as {found.person.name} {found.guess}",
                    )
                continue
            if found.is_ambiguous:
                names = ", ".join(p.name for p in found.candidates)
                self._warn(
                    parsed.line,
                    f"owner {written!r} could be any of {names}; kept as text",
                )
            rest.append(written)
        text = ", ".join(rest)
        if len(text) > _OWNERS_TEXT_MAX:
            self._warn(parsed.line, "owners text shortened to fit")
            text = text[: _OWNERS_TEXT_MAX - 1] + "…"
        return list(dict.fromkeys(people)), organisation, text

    def _link(self, row: _Row, action: ActionItem) -> None:
        for xref in row.parsed.xrefs:
            target = ActionItem.objects.filter(
                series=self.meeting.series_id, reference=xref["ref"]
            ).first()
            if target is None:
                # Often raised by a later meeting: the caller retries once the
                # other files are written (see ``resolve_links``).
                self.pending_links.append(
                    PendingLink(
                        action.pk,
                        self.meeting.series_id,
                        row.reference,
                        xref["ref"],
                        xref["kind"],
                        row.parsed.line,
                        row.status,
                    )
                )
            elif target.pk != action.pk:
                _make_link(action, target, xref["kind"])
                self.counts["action links"] += 1

    def _warn(self, line: int | None, message: str) -> None:
        self.warnings.append(ParseWarning(line, message))


def _make_link(action: ActionItem, target: ActionItem, kind: str) -> None:
    ActionLink.objects.get_or_create(source=action, target=target, kind=kind)
    if kind == ActionLink.Kind.SUBSUMED_BY and not action.superseded_by_id:
        action.superseded_by = target
        _save(action)


def resolve_links(pending: list[PendingLink]) -> list[PendingLink]:
    """Make the links that could not be made while their files were written.

    Run after every file of an import is in, so that a reference to an action
    raised by a later file is found; returns the links whose target is still
    unknown. Call it inside a transaction.
    """
    unresolved = []
    for link in pending:
        target = ActionItem.objects.filter(
            series=link.series_id, reference=link.target
        ).first()
        action = ActionItem.objects.filter(pk=link.action_id).first()
        if action is None or target is None:
            unresolved.append(link)
            continue
        if target.pk == action.pk:
            continue
        _make_link(action, target, link.kind)
        if link.kind == ActionLink.Kind.SUBSUMED_BY:
            settle_status(action, link.status)
    return unresolved


def settle_status(action: ActionItem, raising_status: str | None = None) -> None:
    """Set an action's status from the latest meeting that listed it.

    ``raising_status`` is what the raising meeting said, which counts when no
    later meeting said anything. Also records where the action was closed, and
    falls back from "superseded" to "dropped" when no successor is known (the
    database requires one).
    """
    action.refresh_from_db()
    before = _settled_fields(action)
    updates = list(
        action.updates.select_related("meeting").order_by("meeting__date", "pk")
    )
    later = [u for u in updates if not _is_earlier(u.meeting, action.meeting)]
    if later and later[-1].meeting_id != action.meeting_id:
        action.status = later[-1].status
    elif raising_status:
        action.status = raising_status
    if action.status == Status.SUPERSEDED and not action.superseded_by_id:
        action.status = Status.DROPPED

    closing = [u for u in later if u.status in CLOSED_STATUSES]
    if action.status in CLOSED_STATUSES:
        closed_at = closing[0].meeting if closing else action.meeting
        action.closed_at, action.closed_on = closed_at, closed_at.date
    else:
        action.closed_at, action.closed_on = None, None
    # Saving only what changed keeps the history (and the import) lean.
    if _settled_fields(action) != before:
        _save(action)


def _settled_fields(action: ActionItem) -> tuple:
    return (action.status, action.closed_at_id, action.closed_on)


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_earlier(meeting: Meeting, other: Meeting) -> bool:
    return (meeting.date, meeting.pk or 0) < (other.date, other.pk or 0)


def _save(action: ActionItem) -> None:
    # Marked so that the "edited on the site since the import" check can tell
    # the importer's own changes from people's.
    action._change_reason = IMPORT_REASON
    if action.status == Status.SUPERSEDED and not action.superseded_by_id:
        # The successor may be linked only later in this import;
        # ``settle_status`` restores "superseded" once it is known.
        action.status = Status.DROPPED
    action.save()
