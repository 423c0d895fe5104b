"""Action items: action tables in any column order, and prose lines that are
explicitly marked as actions."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from .dates import MONTHS, ImpossibleDate, find_date
from .model import ParsedAction
from .tables import Table, column_name, is_blank_row
from .text import clean_cell, collapse_ws, inline_to_plain, is_placeholder

REF = r"\d{1,3}\.\d{1,2}(?!\.?\d)"
_REF_CELL = re.compile(rf"^\s*(?:action\s+)?{REF}\s*$", re.IGNORECASE)

# Column names as written in the archive and the role each one plays.
_ROLES: dict[str, tuple[str, ...]] = {
    "ref": (
        "item",
        "new",
        "id",
        "no",
        "nr",
        "num",
        "number",
        "ref",
        "reference",
        "updates",
        "completed",
        "action no",
        "action id",
        "old",
        "open",
    ),
    "description": (
        "description",
        "detail",
        "details",
        "action",
        "actions",
        "task",
        "text",
    ),
    "owners": (
        "res",
        "resp",
        "responsible",
        "assigned",
        "assigned to",
        "assignee",
        "owner",
        "owners",
        "by",
        "person",
        "who",
        "lead",
        "actionee",
    ),
    "status": ("status", "state", "progress", "done", "tgt"),
    "comment": ("comment", "comments", "notes", "note", "remarks", "remark"),
    "see_also": ("see also", "see", "related", "previous"),
    "due": ("due", "due date", "deadline", "target", "target date", "when", "date"),
}
_POSITIONAL = ("ref", "description", "owners", "status", "comment")

_OWNER_SPLIT = re.compile(r"\s*(?:/|,|;|&|\+|\band\b|\bor\b)\s*", re.IGNORECASE)

# Cross references, most specific first; each match consumes its text so a
# "See action 45.03" is not counted again as a mention. A keyword may govern
# a list of refs ("Close actions 66.04 and 64.02").
_REFS = rf"(?P<refs>{REF}(?:\s*(?:,|and|&|or)\s*{REF})*)"
_ACT = r"(?:(?:action|item)s?\s+)?"
_XREF_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("subsumed_by", rf"\bsubsumed\s+(?:by|into|in)\s+{_ACT}{_REFS}"),
        ("see_also", rf"\bsee\s+also\s+{_ACT}{_REFS}"),
        ("see", rf"\bsee\s+{_ACT}{_REFS}"),
        (
            "follow_up",
            rf"\bfollow(?:ed)?[\s-]*up\s+(?:on|of|to|from|in|by|as)?\s*{_ACT}{_REFS}",
        ),
        ("close", rf"\bclos(?:e|es|ed|ing)\s+{_ACT}{_REFS}"),
        ("mentions", rf"\b(?:action|item)s?\s+{_REFS}"),
    )
)

# Due dates written as "03/2011" or "End Jan 2011" in a comment or target
# column; both mean the end of that month.
_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})/(\d{4})\s*$")
_NAMED_MONTH_YEAR = re.compile(
    r"^\s*(?:(?:by\s+)?(?:the\s+)?end\s+(?:of\s+)?|by\s+)?([a-z]+)\.?,?\s+(\d{4})\s*$",
    re.IGNORECASE,
)


@dataclass
class ActionContext:
    """Where an action came from, for ``section_index`` and ``source``."""

    section_index: int | None
    section_title: str | None


def classify_columns(header: list[str]) -> dict[str, int]:
    """Map roles (ref, description, owners...) to column indexes."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = column_name(cell)
        for role, names in _ROLES.items():
            if name in names and role not in roles:
                roles[role] = index
                break
    return roles


def is_action_header(roles: dict[str, int]) -> bool:
    """An action table names a description and a ref or owner column."""
    return "description" in roles and ("ref" in roles or "owners" in roles)


def _looks_like_headerless_actions(table: Table) -> bool:
    """Tables without any header whose first column holds action refs."""
    rows = [table.header, *table.rows]
    refs = [r for r in rows if r and _REF_CELL.match(clean_cell(r[0]) or "")]
    return (
        len(rows[0]) >= 3
        and bool(refs)
        and _REF_CELL.match(clean_cell(rows[0][0]) or "") is not None
    )


def action_columns(
    table: Table,
) -> tuple[dict[str, int], list[list[str]], list[int]] | None:
    """Column roles plus data rows and lines, or ``None`` if not an action table."""
    roles = classify_columns(table.header)
    if is_action_header(roles):
        return roles, table.rows, table.row_lines
    if _looks_like_headerless_actions(table):
        # No header at all: the conventional column order applies.
        width = len(table.header)
        positional = {role: i for i, role in enumerate(_POSITIONAL[:width])}
        rows = [table.header, *table.rows]
        return positional, rows, [table.header_line, *table.row_lines]
    return None


def split_owners(text: str | None) -> list[str]:
    """Owners from a cell: split on / , ; & + "and" "or", placeholders dropped."""
    if is_placeholder(text):
        return []
    parts = _OWNER_SPLIT.split(text or "")
    return [p.strip() for p in parts if p and not is_placeholder(p)]


def find_xrefs(*texts: str | None) -> list[dict[str, str]]:
    """Cross references ("See 12.05", "Subsumed by 12.05") in cell texts."""
    found: list[dict[str, str]] = []
    for text in texts:
        if not text:
            continue
        remaining = text
        hits: list[tuple[int, str, str]] = []
        for kind, pattern in _XREF_PATTERNS:
            for match in pattern.finditer(remaining):
                for ref in re.finditer(REF, match["refs"]):
                    hits.append((match.start("refs") + ref.start(), kind, ref.group()))
            remaining = pattern.sub(lambda m: " " * len(m.group(0)), remaining)
        found.extend({"kind": kind, "ref": ref} for _, kind, ref in sorted(hits))
    return found


def only_xrefs(text: str | None) -> bool:
    """Whether ``text`` says nothing beyond cross references ("See 12.05;
    Subsumed by 12.06"), which the links between actions record already."""
    if not text or not text.strip():
        return False
    remaining = text
    for _, pattern in _XREF_PATTERNS:
        remaining = pattern.sub(" ", remaining)
    return not remaining.strip(" .,;:-")


def due_from(*texts: str | None) -> datetime.date | None:
    """A due date written in a comment or target cell ("03/2011" = end of March)."""
    for text in texts:
        if not text:
            continue
        end = _end_of_month(text)
        if end is not None:
            return end
        try:
            found = find_date(text)
        except ImpossibleDate:
            continue
        if found is not None:
            return found
    return None


def _end_of_month(text: str) -> datetime.date | None:
    month: int | None = None
    if match := _MONTH_YEAR.match(text):
        month = int(match.group(1))
    elif match := _NAMED_MONTH_YEAR.match(text):
        month = MONTHS.get(match.group(1).lower())
    if match is None or month is None or not 1 <= month <= 12:
        return None
    year = int(match.group(2))
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _cell(row: list[str], roles: dict[str, int], role: str) -> str | None:
    index = roles.get(role)
    if index is None or index >= len(row):
        return None
    return clean_cell(row[index])


def table_source(table: Table, context: ActionContext) -> str:
    """A human-readable note of where the table was."""
    if context.section_title:
        return f'table under "{context.section_title}"'
    return f'table (no heading; header row "{table.header_text()}")'


def actions_from_table(
    table: Table, context: ActionContext
) -> list[ParsedAction] | None:
    """Every row of an action table as a ``ParsedAction`` (``None`` if the
    table is not an action table)."""
    found = action_columns(table)
    if found is None:
        return None
    roles, rows, lines = found
    source = table_source(table, context)
    actions = []
    for row, line in zip(rows, lines, strict=True):
        if is_blank_row(row):
            continue
        actions.append(_row_action(row, roles, line, source, context))
    return actions


def _row_action(
    row: list[str], roles: dict[str, int], line: int, source: str, ctx: ActionContext
) -> ParsedAction:
    description = _cell(row, roles, "description") or ""
    status = _cell(row, roles, "status")
    comment = _cell(row, roles, "comment")
    see_also = _cell(row, roles, "see_also")
    xrefs = find_xrefs(status, comment)
    if see_also:
        xrefs += [{"kind": "see_also", "ref": r} for r in re.findall(REF, see_also)]
    xrefs += find_xrefs(description)
    due_cell = _cell(row, roles, "due")
    return ParsedAction(
        ref=_cell(row, roles, "ref"),
        description=description,
        owners=split_owners(_cell(row, roles, "owners")),
        status=status,
        comment=comment,
        xrefs=xrefs,
        due=due_from(due_cell, comment),
        section_index=ctx.section_index,
        line=line,
        source=source,
    )


# "ACTION: ...", "**ACTION**: ...", "ACTION (All): ...", "**Action 5.1:** ...".
_PROSE_MARK = re.compile(
    r"(?:(?<=\s)|^)(?P<mark>(?:\*\*|__)?\s*(?:ACTION(?:\s+(?P<uref>"
    + REF
    + r"))?|(?<=\*\*)Action\s+(?P<bref>"
    + REF
    + r"))\s*(?:\((?P<who>[^)]*)\))?\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:|:))"
)
_LEADING_OWNER = re.compile(
    r"^\(?(?P<who>[A-Z][\w.'-]*(?:\s*(?:/|,|&|\band\b)\s*[A-Z][\w.'-]*){0,4})\)?\s+"
    r"(?:to|will|should|must|is to|are to)\b"
)


def prose_actions(
    paragraph: str, line: int, context: ActionContext, line_of: Callable[[int], int]
) -> list[ParsedAction]:
    """Explicitly marked actions in a paragraph's Markdown source.

    The description runs from the marker to the next marker or the end of the
    paragraph. ``line_of`` maps a character offset to a file line.
    """
    marks = list(_PROSE_MARK.finditer(paragraph))
    actions = []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(paragraph)
        description = inline_to_plain(paragraph[mark.end() : end])
        if not description:
            continue
        ref = mark.group("uref") or mark.group("bref")
        who = mark.group("who")
        owners = split_owners(who) if who else _owners_from_sentence(description)
        where = f' under "{context.section_title}"' if context.section_title else ""
        actions.append(
            ParsedAction(
                ref=ref,
                description=description,
                owners=owners,
                status=None,
                comment=None,
                xrefs=[],
                due=None,
                section_index=context.section_index,
                line=line_of(mark.start()),
                source=f'prose "{collapse_ws(mark.group("mark"))}"{where}',
            )
        )
    return actions


def _owners_from_sentence(description: str) -> list[str]:
    """Owners named at the start of "SP to send ..." or "(LD) to look ..."."""
    match = _LEADING_OWNER.match(description)
    return split_owners(match.group("who")) if match else []
