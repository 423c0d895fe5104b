"""Attendance in the forms the archive uses: tables with marks per column,
"Present:" / "Apologies:" prose, and lists under an attendance heading or
label."""

# En dashes are data here: minutes use them as separators.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import re

from .model import ParsedAttendee, ParseWarning
from .tables import Table, column_name
from .text import collapse_ws, inline_to_plain, is_placeholder

_LABELS = {
    "present": "present",
    "attendees": "present",
    "attendance": "present",
    "attending": "present",
    "participants": "present",
    "in attendance": "present",
    "apologies": "apologies",
    "apologizes": "apologies",
    "apologises": "apologies",
    "apologies received": "apologies",
    "regrets": "apologies",
    "excused": "apologies",
    "absent": "absent",
    "not present": "absent",
}
_LABEL_WORDS = "|".join(sorted((re.escape(k) for k in _LABELS), key=len, reverse=True))
# A label at the start of a line: "Present:", "**Present** :", "**Apologies:**".
_LABEL = re.compile(
    rf"^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*(?P<label>{_LABEL_WORDS})\s*(?:\*\*|__)?\s*:"
    r"\s*(?:\*\*|__)?",
    re.IGNORECASE,
)
# A paragraph or heading that is nothing but a label ("0\. Attendance").
_BARE_LABEL = re.compile(
    rf"^(?:\d+\s*[.)]\s*)?(?P<label>{_LABEL_WORDS})(?:\s+\d+)?\s*:?$", re.IGNORECASE
)
_NOBODY = frozenset({"none", "nobody", "no one", "n/a", "nil", "-", "–"})
# Facility and organisation acronyms that could pass for someone's initials.
_KNOWN_ORGANISATIONS = frozenset(
    {
        "ILL",
        "ESRF",
        "DLS",
        "ISIS",
        "STFC",
        "HZB",
        "PSI",
        "ESS",
        "DESY",
        "ALBA",
        "SESAME",
        "ELETTRA",
        "CCFE",
        "SNS",
        "ORNL",
        "SOLEIL",
        "CLF",
        "SCD",
        "RAL",
    }
)
_PARTICLES = frozenset(
    {
        "de",
        "di",
        "da",
        "del",
        "della",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "du",
        "dos",
        "das",
        "y",
        "ten",
        "ter",
        "bin",
        "al",
    }
)
# A period ending a name, unless it ends an initial such as "Brenna R.".
_NAME_PERIOD = re.compile(r"(?<![\s.][A-Z])\.(?=\s|$)")
_DASH_ORG = re.compile(r"\s+[–—-]\s+|(?<=[a-z])[–—-]\s+")
_LEADING_INITIALS = re.compile(r"^(?P<initials>[A-Z]{2,4})\s+(?P<rest>[A-Z].*)$")
_TRAILING_ORG = re.compile(r"^(?P<rest>.+?\s\S+)\s+(?P<org>[A-Z]{3,})$")


def label_status(text: str) -> str | None:
    """The status a bare label stands for ("Attendance" -> present)."""
    match = _BARE_LABEL.match(collapse_ws(inline_to_plain(text)))
    return _LABELS[match["label"].lower()] if match else None


def labelled_segments(lines: list[str]) -> list[tuple[str, str, int]]:
    """``(status, text, line index)`` for each labelled run of lines.

    A label starts a segment; following unlabelled lines continue it (names
    wrapped over several lines). Lines before the first label are ignored.
    """
    segments: list[tuple[str, str, int]] = []
    for index, line in enumerate(lines):
        match = _LABEL.match(line)
        if match:
            rest = line[match.end() :]
            # "Present:Present: ..." happens; drop the repeated label.
            again = _LABEL.match(rest)
            if again and again["label"].lower() == match["label"].lower():
                rest = rest[again.end() :]
            segments.append((_LABELS[match["label"].lower()], rest, index))
        elif segments:
            status, text, first = segments[-1]
            segments[-1] = (status, f"{text}\n{line}", first)
    return segments


def split_names(text: str) -> list[str]:
    """Split a prose list of names on , ; & "and" and sentence periods,
    never inside brackets."""
    # A period followed by a wide gap separates names even after an initial.
    text = re.sub(r"\.\s{2,}(?=\S)", "., ", text.replace("\\\n", " "))
    text = collapse_ws(inline_to_plain(text))
    pieces: list[str] = []
    depth = 0
    current = ""
    for char in text:
        depth += char == "("
        depth -= char == ")" and depth > 0
        current += char
        if depth == 0 and char in ",;&":
            pieces.append(current[:-1])
            current = ""
    pieces.append(current)
    names: list[str] = []
    for piece in pieces:
        for part in _split_outside_brackets(piece):
            names.extend(p for p in _NAME_PERIOD.split(part) if p.strip())
    return _attach_stray_brackets([n.strip() for n in names if n.strip()])


def _split_outside_brackets(piece: str) -> list[str]:
    """Split on " and " outside brackets."""
    parts = re.split(r"(\([^)]*\))", piece)
    out = [""]
    for part in parts:
        if part.startswith("("):
            out[-1] += part
            continue
        chunks = re.split(r"\s+and\s+", part, flags=re.IGNORECASE)
        out[-1] += chunks[0]
        out.extend(chunks[1:])
    return out


def _attach_stray_brackets(names: list[str]) -> list[str]:
    """ "Signe Rosser, (SR)" -> "Signe Rosser (SR)"."""
    joined: list[str] = []
    for name in names:
        if name.startswith("(") and name.endswith(")") and joined:
            joined[-1] = f"{joined[-1]} {name}"
        else:
            joined.append(name)
    return joined


def people_from_prose(text: str, status: str) -> list[ParsedAttendee]:
    """Attendees from a comma-separated prose list."""
    people = (parse_person(name, status) for name in split_names(text))
    return [p for p in people if p is not None]


def people_from_items(items: list[str], status: str) -> list[ParsedAttendee]:
    """Attendees from list items, one person per item; a comma after the name
    introduces the organisation."""
    people = (parse_person(item, status, one_person=True) for item in items)
    return [p for p in people if p is not None]


def parse_person(
    text: str, status: str, *, one_person: bool = False
) -> ParsedAttendee | None:
    """Name, initials, organisation and note from one entry.

    Handles "Ada Example (AE)", "AE Ada Example – Facility A",
    "Ada Example (ESRF/chair)", "Ada Example (joined late)" and, in list
    items, "Ada Example (AE), STFC, Scientific Computing".
    """
    text = collapse_ws(inline_to_plain(text)).rstrip(",;")
    text = _NAME_PERIOD.sub("", text).strip()
    if not re.search(r"[^\W\d_]", text) or text.lower() in _NOBODY:
        return None
    brackets = re.findall(r"\(([^)]*)\)", text)
    name = collapse_ws(re.sub(r"\([^)]*\)", " ", text))
    organisation = None
    if one_person and "," in name:
        name, organisation = (collapse_ws(p) for p in name.split(",", 1))
    name, organisation = _split_dash_organisation(name, organisation)
    name, initials = _split_leading_initials(name)
    initials, organisation, note = _classify_brackets(
        name, brackets, initials, organisation
    )
    name, organisation = _split_trailing_organisation(name, organisation)
    name, trailing_note = _split_trailing_note(name)
    if not name:
        return None
    note = "; ".join(n for n in (note, trailing_note) if n) or None
    return ParsedAttendee(name, status, organisation or None, initials, note)


def _split_trailing_note(name: str) -> tuple[str, str | None]:
    """Split "Ada on leave" into ("Ada", "on leave"); name particles such as
    "de" stay in the name."""
    words = name.split()
    for index, word in enumerate(words[1:], start=1):
        tail = words[index:]
        if word not in _PARTICLES and word.isalpha() and all(w.islower() for w in tail):
            return " ".join(words[:index]), " ".join(tail)
    return name, None


def _split_dash_organisation(
    name: str, organisation: str | None
) -> tuple[str, str | None]:
    parts = _DASH_ORG.split(name, maxsplit=1)
    if len(parts) == 2 and parts[0].strip():
        return parts[0].strip(), organisation or parts[1].strip() or None
    return name, organisation


def _split_leading_initials(name: str) -> tuple[str, str | None]:
    """Split "AE Ada Example" when the letters fit the name."""
    match = _LEADING_INITIALS.match(name)
    if (
        match
        and match["initials"] not in _KNOWN_ORGANISATIONS
        and match["initials"][0] == match["rest"][0]
    ):
        return match["rest"], match["initials"]
    return name, None


def _split_trailing_organisation(
    name: str, organisation: str | None
) -> tuple[str, str | None]:
    match = _TRAILING_ORG.match(name)
    if match and organisation is None:
        return match["rest"], match["org"]
    return name, organisation


def _classify_brackets(
    name: str, brackets: list[str], initials: str | None, organisation: str | None
) -> tuple[str | None, str | None, str | None]:
    notes: list[str] = []
    orgs: list[str] = [organisation] if organisation else []
    for bracket in brackets:
        for part in (p.strip() for p in re.split(r"[/,]", bracket)):
            if not part:
                continue
            if initials is None and _looks_like_initials(part, name):
                initials = part
            elif re.search(r"(?:^|\s)[a-z]", part) or re.search(r"\d", part):
                notes.append(part)
            else:
                orgs.append(part)
    return initials, ", ".join(orgs) or None, "; ".join(notes) or None


def _looks_like_initials(part: str, name: str) -> bool:
    """ "SP" for "Selma Paget", "AdM" for "Astrid de Marchetti", "Maren" for
    "Maren"; not "ESRF" for "Esme Example"."""
    words = name.split()
    if not words or part in _KNOWN_ORGANISATIONS:
        return False
    if part == words[0]:
        return True
    if (
        not re.fullmatch(r"[A-Z][A-Za-z]{0,4}", part)
        or sum(c.isupper() for c in part) < len(part) - 1
    ):
        return False
    letters = [c.lower() for c in part if c.isalpha()]
    name_initials = [w[0].lower() for w in words]
    if letters[0] != name_initials[0]:
        return False
    if len(letters) <= 3:
        return True
    return _is_subsequence(letters, name_initials)


def _is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(letter in remaining for letter in needle)


_NAME_COLUMNS = ("name", "names", "person", "participant", "attendee")
_INITIAL_COLUMNS = ("init", "initials", "initial", "id")
_ORG_COLUMNS = (
    "institute",
    "institution",
    "organisation",
    "organization",
    "affiliation",
    "facility",
    "site",
    "lab",
)
_MARK_COLUMNS = {
    "present": "present",
    "attended": "present",
    "apologies": "apologies",
    "apology": "apologies",
    "sent apologies": "apologies",
    "absent": "absent",
}


def _find(header: list[str], names: tuple[str, ...] | dict[str, str]) -> int | None:
    for index, cell in enumerate(header):
        if column_name(cell) in names:
            return index
    return None


def attendance_from_table(
    table: Table,
) -> tuple[list[ParsedAttendee], list[ParseWarning]] | None:
    """Attendees from a table with a name column and marks per status column.

    A person marked in no column is absent. Returns ``None`` for tables that
    are not attendance tables.
    """
    name_col = _find(table.header, _NAME_COLUMNS)
    marks = {
        i: _MARK_COLUMNS[column_name(c)]
        for i, c in enumerate(table.header)
        if column_name(c) in _MARK_COLUMNS
    }
    if name_col is None or "present" not in marks.values():
        return None
    init_col = _find(table.header, _INITIAL_COLUMNS)
    org_col = _find(table.header, _ORG_COLUMNS)
    people = []
    for row in table.rows:
        person = _table_person(row, name_col, init_col, org_col, marks)
        if person is not None:
            people.append(person)
    return people, _table_warnings(table, set(marks.values()))


def _table_person(
    row: list[str],
    name_col: int,
    init_col: int | None,
    org_col: int | None,
    marks: dict[int, str],
) -> ParsedAttendee | None:
    def cell(index: int | None) -> str | None:
        if index is None or index >= len(row):
            return None
        text = inline_to_plain(row[index])
        return None if is_placeholder(text) else text

    name = cell(name_col)
    if not name:
        return None
    status = next(
        (s for i, s in marks.items() if (cell(i) or "").lower() not in ("", "no", "n")),
        "absent",
    )
    parsed = parse_person(name, status)
    if parsed is None:
        return None
    return ParsedAttendee(
        parsed.name,
        status,
        cell(org_col) or parsed.organisation,
        cell(init_col) or parsed.initials,
        parsed.note,
    )


def _table_warnings(table: Table, statuses: set[str]) -> list[ParseWarning]:
    """An unnamed column where "Apologies" should be suggests it was lost."""
    unnamed = [i + 1 for i, c in enumerate(table.header) if not inline_to_plain(c)]
    if not unnamed or "apologies" in statuses:
        return []
    return [
        ParseWarning(
            table.header_line,
            f"attendance table column {unnamed[0]} has no header; people without a "
            "mark are recorded as absent but may have sent apologies",
        )
    ]
