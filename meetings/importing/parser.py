"""Parse minutes written as Markdown with YAML front matter into plain data.

The public entry points are ``parse_minutes`` (text) and
``parse_minutes_bytes`` (raw file content); both return a ``ParsedMinutes``
or raise ``MinutesParseError`` for input that cannot be imported
meaningfully. Nothing here touches a database.
"""

# En dashes are data here: minutes use them as separators.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .actions import ActionContext, actions_from_table, prose_actions
from .attendance import (
    attendance_from_table,
    label_status,
    labelled_segments,
    people_from_items,
    people_from_prose,
    split_names,
)
from .dates import (
    ImpossibleDate,
    date_from_filename,
    find_date,
    find_time,
    number_from_filename,
    number_from_title,
    parse_date_value,
    parse_time_value,
    series_from_path,
)
from .frontmatter import FrontMatter, json_safe, split_front_matter
from .model import (
    MinutesParseError,
    ParsedAction,
    ParsedAttendee,
    ParsedMinutes,
    ParsedSection,
    ParseWarning,
)
from .tables import looks_like_table, read_table
from .text import collapse_ws, decode_bytes, inline_to_plain, normalise_text

__all__ = [
    "MinutesParseError",
    "ParseWarning",
    "ParsedAction",
    "ParsedAttendee",
    "ParsedMinutes",
    "ParsedSection",
    "parse_minutes",
    "parse_minutes_bytes",
    "series_from_path",
]

_KNOWN_KEYS = frozenset(
    {"title", "date", "time", "number", "chair", "scribe", "series"}
)
_SERIES_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_PEOPLE_SPLIT = re.compile(r"\s*(?:/|,|;|&|\band\b)\s*")
# "11.1 – Ada Example – 19 November 2010": document version, author, date.
_VERSION_LINE = re.compile(
    r"^\d+\.\d+\s*[–—-]\s*(?P<name>[^–—\d][^–—]*?)\s*[–—-]\s*\d{1,2}\s+[A-Za-z]+"
)
_MAX_NAME_WORDS = 6

_MD = MarkdownIt("commonmark").enable("table")


def parse_minutes_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    series: str | None = None,
    default_date: datetime.date | None = None,
) -> ParsedMinutes:
    """Decode a file's bytes (UTF-8, BOM optional) and parse them.

    Raises ``MinutesParseError`` with the byte offset for invalid UTF-8.
    """
    return parse_minutes(
        decode_bytes(data), filename=filename, series=series, default_date=default_date
    )


def parse_minutes(
    text: str,
    *,
    filename: str | None = None,
    series: str | None = None,
    default_date: datetime.date | None = None,
) -> ParsedMinutes:
    """Parse the text of one minutes file.

    ``filename`` (a path or a corpus name with ``__`` for ``/``) contributes a
    date, a meeting number and the series; ``series`` overrides the latter and
    ``default_date`` is used when no date is written anywhere.
    """
    text = normalise_text(text)
    if not text.strip():
        raise MinutesParseError("the file is empty", None)
    front = split_front_matter(text)
    body = _Body.parse(front.body, front.body_line)
    meta = _Metadata.read(front, body, filename, default_date)
    people, people_warnings = body.attendance()
    actions = body.actions()
    chair = meta.people("chair") or _chair_from_notes(people)
    warnings = meta.warnings + people_warnings
    warnings += _action_warnings(actions, meta.number)
    return ParsedMinutes(
        title=meta.title,
        date=meta.date,
        time=meta.time,
        number=meta.number,
        series=_series(series, front.data, filename),
        chair=chair,
        scribe=meta.people("scribe") or body.scribe_from_version_line(),
        attendance=people,
        sections=body.sections,
        actions=actions,
        preamble=body.preamble,
        extra={k: json_safe(v) for k, v in front.data.items() if k not in _KNOWN_KEYS},
        warnings=warnings,
    )


def _series(
    series: str | None, data: dict[str, Any], filename: str | None
) -> str | None:
    if series:
        return series
    # Exported files name their series by slug, which may be any series of
    # the site, not only one of the archive's folders.
    written = data.get("series")
    if isinstance(written, str) and _SERIES_SLUG.match(written.strip().lower()):
        return written.strip().lower()
    return series_from_path(filename) if filename else None


def _chair_from_notes(people: list[ParsedAttendee]) -> list[str] | None:
    """Whoever the attendance notes as chair ("Ada (STFC/chair)")."""
    chairs = [
        p.name
        for p in people
        if re.search(r"\bchair", f"{p.note} {p.organisation}", re.IGNORECASE)
    ]
    return chairs or None


def _action_warnings(
    actions: list[ParsedAction], number: int | None
) -> list[ParseWarning]:
    """Flag action tables whose refs never mention this meeting's number."""
    prefixes = {
        int(a.ref.split(".")[0]) for a in actions if a.ref and re.match(r"\d+\.", a.ref)
    }
    # Carried-over actions from earlier meetings are normal; refs numbered
    # after this meeting (and none of its own) suggest misnumbering.
    if number is None or number in prefixes or max(prefixes, default=0) <= number:
        return []
    if not any(a.source.startswith("table") for a in actions):
        return []
    listed = ", ".join(map(str, sorted(prefixes)))
    return [
        ParseWarning(
            min(a.line for a in actions),
            f"no action ref starts with this meeting's number {number} "
            f"(refs start with {listed}); kept as written",
        )
    ]


@dataclass
class _Metadata:
    """Title, date, time and number, reconciled across their sources."""

    title: str | None
    date: datetime.date | None
    time: datetime.time | None
    number: int | None
    front: FrontMatter
    warnings: list[ParseWarning] = field(default_factory=list)

    @classmethod
    def read(
        cls,
        front: FrontMatter,
        body: _Body,
        filename: str | None,
        default_date: datetime.date | None,
    ) -> _Metadata:
        """Read and cross-check the metadata of one file."""
        title = _title(front.data.get("title"), body)
        meta = cls(title, None, None, None, front)
        meta.date = meta._reconcile_date(body, filename, default_date)
        meta.time = meta._time()
        meta.number = meta._number(filename)
        return meta

    def people(self, key: str) -> list[str] | None:
        """Chair or scribe from the front matter, split into names."""
        value = self.front.data.get(key)
        if value is None or value == "":
            return None
        items = value if isinstance(value, list) else [value]
        names = [n for item in items for n in _PEOPLE_SPLIT.split(str(item))]
        return [collapse_ws(n) for n in names if n.strip()] or None

    def _line(self, key: str) -> int | None:
        return self.front.key_lines.get(key)

    def _front_date(self) -> datetime.date | None:
        try:
            return parse_date_value(self.front.data.get("date"))
        except ImpossibleDate as exc:
            raise MinutesParseError(
                f"impossible date in front matter: {exc}", self._line("date")
            ) from exc
        except ValueError as exc:
            raise MinutesParseError(
                f"front matter date is not a date: {exc}", self._line("date")
            ) from exc

    def _reconcile_date(
        self, body: _Body, filename: str | None, default_date: datetime.date | None
    ) -> datetime.date | None:
        """Majority of front matter, title and file name; ties go to the title,
        then the front matter."""
        candidates: list[tuple[str, datetime.date]] = []
        for source, found in (
            ("title", self._guard(lambda: find_date(self.title or ""), "title")),
            ("front matter", self._front_date()),
            ("file name", date_from_filename(filename) if filename else None),
        ):
            if found is not None:
                candidates.append((source, found))
        if not candidates:
            found = body.first_written_date()
            if found is not None:
                self.warnings.append(
                    ParseWarning(found[1], f"date {found[0]} taken from the text")
                )
                return found[0]
            return default_date
        return self._majority(candidates)

    def _guard(self, find: Any, where: str) -> datetime.date | None:
        try:
            return find()
        except ImpossibleDate as exc:
            self.warnings.append(ParseWarning(self._line("title"), f"{where}: {exc}"))
            return None

    def _majority(self, candidates: list[tuple[str, datetime.date]]) -> datetime.date:
        counts = Counter(d for _, d in candidates)
        best = max(counts.values())
        chosen = next(d for _, d in candidates if counts[d] == best)
        if len(counts) > 1:
            listed = ", ".join(f"{s} says {d.isoformat()}" for s, d in candidates)
            self.warnings.append(
                ParseWarning(
                    self._line("date"),
                    f"dates disagree ({listed}); using {chosen.isoformat()}",
                )
            )
        return chosen

    def _time(self) -> datetime.time | None:
        """From a ``time`` key, else from a date written with a time."""
        try:
            written = parse_time_value(self.front.data.get("time"))
        except ValueError as exc:
            raise MinutesParseError(
                f"front matter time is not a time: {exc}", self._line("time")
            ) from exc
        date = self.front.data.get("date")
        if written is None and isinstance(date, str) and ":" in date:
            return find_time(date)
        return written

    def _number(self, filename: str | None) -> int | None:
        written = str(self.front.data.get("number") or "").strip()
        from_front = int(written) if written.isdigit() else None
        from_title = number_from_title(self.title) if self.title else None
        number = from_title if from_title is not None else from_front
        from_file = number_from_filename(filename) if filename else None
        others = [("front matter", from_front), ("file name", from_file)]
        for source, other in others:
            if number is not None and other is not None and other != number:
                self.warnings.append(
                    ParseWarning(
                        self._line("title"),
                        f"meeting number {number} disagrees with {source} ({other})",
                    )
                )
        return number


def _title(written: object, body: _Body) -> str | None:
    if written is not None and str(written).strip():
        return str(written).strip()
    first_h1 = next((s.title for s in body.sections if s.level == 1), None)
    return first_h1 or next((s.title for s in body.sections), None)


@dataclass
class _Block:
    """A paragraph or list seen while walking the document."""

    kind: str  # "paragraph", "list", "table", "heading"
    line: int  # 1-based file line
    section_index: int | None
    content: str = ""
    items: list[str] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)


class _Body:
    """The Markdown after the front matter: sections and a flat block list."""

    def __init__(self, lines: list[str], first_line: int) -> None:
        self.lines = lines
        self.first_line = first_line
        self.sections: list[ParsedSection] = []
        self.blocks: list[_Block] = []
        self.preamble = ""

    @classmethod
    def parse(cls, text: str, first_line: int) -> _Body:
        """Parse the Markdown body; ``first_line`` is its line in the file."""
        body = cls(text.split("\n"), first_line)
        tokens = _MD.parse(text)
        body._read_sections(tokens)
        body._read_blocks(tokens)
        return body

    # Sections -------------------------------------------------------------

    def _read_sections(self, tokens: list[Token]) -> None:
        spans: list[tuple[int, int, int, str]] = []  # start, end, level, title
        for index, token in enumerate(tokens):
            if token.type == "heading_open" and token.map:
                title = heading_title(tokens[index + 1].content)
                spans.append((token.map[0], token.map[1], int(token.tag[1]), title))
        stack: list[int] = []
        for number, (start, end, level, title) in enumerate(spans):
            while stack and self.sections[stack[-1]].level >= level:
                stack.pop()
            following = (
                spans[number + 1][0] if number + 1 < len(spans) else len(self.lines)
            )
            self.sections.append(
                ParsedSection(
                    level=level,
                    title=title,
                    parent_index=stack[-1] if stack else None,
                    body=_verbatim(self.lines[end:following]),
                    line=start + self.first_line,
                )
            )
            stack.append(number)
        first = spans[0][0] if spans else len(self.lines)
        self.preamble = _verbatim(self.lines[:first])

    def section_at(self, line: int) -> int | None:
        """Index of the section a file line belongs to."""
        current = None
        for index, section in enumerate(self.sections):
            if section.line > line:
                break
            current = index
        return current

    # Blocks ---------------------------------------------------------------

    def _read_blocks(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            index += 1
            if not token.map:
                continue
            line = token.map[0] + self.first_line
            section = self.section_at(line)
            raw = self.lines[token.map[0] : token.map[1]]
            if token.type == "heading_open":
                self.blocks.append(
                    _Block("heading", line, section, tokens[index].content)
                )
            elif token.type == "table_open" or (
                token.type == "paragraph_open"
                and token.level == 0
                and looks_like_table(raw)
            ):
                self.blocks.append(_Block("table", line, section, source_lines=raw))
            elif token.type == "paragraph_open":
                # Paragraphs inside list items only matter for prose actions.
                kind = "paragraph" if token.level == 0 else "item_paragraph"
                self.blocks.append(_Block(kind, line, section, tokens[index].content))
            elif (
                token.type in ("bullet_list_open", "ordered_list_open")
                and token.level == 0
            ):
                items = _list_items(tokens, index)
                self.blocks.append(
                    _Block("list", line, section, items=items, source_lines=raw)
                )

    def _context(self, section: int | None) -> ActionContext:
        title = self.sections[section].title if section is not None else None
        return ActionContext(section, title)

    def actions(self) -> list[ParsedAction]:
        """Action-table rows and marked prose actions, in document order."""
        found: list[ParsedAction] = []
        for block in self.blocks:
            context = self._context(block.section_index)
            if block.kind == "table":
                table = read_table(block.source_lines, block.line)
                found.extend(actions_from_table(table, context) or [])
            elif block.kind in ("paragraph", "item_paragraph"):
                found.extend(self._prose_actions(block, context))
        return found

    def _prose_actions(
        self, block: _Block, context: ActionContext
    ) -> list[ParsedAction]:
        text = block.content

        def line_of(offset: int) -> int:
            return block.line + text.count("\n", 0, offset)

        return prose_actions(text, block.line, context, line_of)

    def attendance(self) -> tuple[list[ParsedAttendee], list[ParseWarning]]:
        """Everyone in the attendance, from tables, labels and headings."""
        people: list[ParsedAttendee] = []
        warnings: list[ParseWarning] = []
        pending: str | None = None
        for block in self.blocks:
            if block.kind == "heading":
                pending = label_status(block.content)
            elif block.kind == "table":
                found = attendance_from_table(
                    read_table(block.source_lines, block.line)
                )
                if found:
                    people.extend(found[0])
                    warnings.extend(found[1])
                pending = None
            elif block.kind == "paragraph":
                pending = self._paragraph_people(block, pending, people)
            elif block.kind == "list" and pending:
                if _plausible_names([i.split(",")[0] for i in block.items]):
                    people.extend(people_from_items(block.items, pending))
                pending = None
        return people, warnings

    def _paragraph_people(
        self, block: _Block, pending: str | None, people: list[ParsedAttendee]
    ) -> str | None:
        """Read names from a paragraph; return the status a trailing bare
        label leaves pending for the next block."""
        segments = labelled_segments(block.content.split("\n"))
        if segments:
            for number, (status, text, _) in enumerate(segments):
                if not text.strip() and number == len(segments) - 1:
                    return status
                people.extend(people_from_prose(text, status))
            return None
        bare = label_status(block.content)
        if bare:
            return bare
        if pending and _plausible_names(split_names(block.content)):
            people.extend(people_from_prose(block.content, pending))
        return None

    # Other facts ----------------------------------------------------------

    def scribe_from_version_line(self) -> list[str] | None:
        """The author in an "11.1 – Ada Example – 19 November 2010" line."""
        for block in self.blocks:
            if block.kind != "paragraph" or block.section_index is not None:
                continue
            for line in block.content.split("\n"):
                match = _VERSION_LINE.match(collapse_ws(line))
                if match:
                    names = _PEOPLE_SPLIT.split(match["name"])
                    return [collapse_ws(n) for n in names if n.strip()]
        return None

    def first_written_date(self) -> tuple[datetime.date, int] | None:
        """A date in the first heading or paragraphs, for files that have no
        date in their front matter, title or name."""
        for block in self.blocks[:4]:
            if block.kind not in ("heading", "paragraph"):
                continue
            try:
                found = find_date(inline_to_plain(block.content))
            except ImpossibleDate:
                continue
            if found:
                return found, block.line
        return None


def _list_items(tokens: list[Token], start: int) -> list[str]:
    """The inline text of each top-level item of the list opened before
    ``tokens[start]``."""
    depth = tokens[start - 1].level
    items: list[str] = []
    for token in tokens[start:]:
        if token.level == depth and token.type.endswith("_list_close"):
            break
        if token.type == "list_item_open" and token.level == depth + 1:
            items.append("")
        elif token.type == "inline" and items and token.level == depth + 3:
            items[-1] = f"{items[-1]} {token.content}".strip()
    return items


def _plausible_names(names: list[str]) -> bool:
    """Whether strings look like a list of names rather than sentences."""
    cleaned = [collapse_ws(inline_to_plain(re.sub(r"\([^)]*\)", "", n))) for n in names]
    cleaned = [n for n in cleaned if n]
    return bool(cleaned) and all(len(n.split()) <= _MAX_NAME_WORDS for n in cleaned)


def heading_title(content: str) -> str:
    """A heading's title as plain text, emphasis and stray markers removed."""
    return inline_to_plain(content)


def _verbatim(lines: list[str]) -> str:
    """Lines joined back, without leading and trailing blank lines."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])
