"""Dates, times, meeting numbers and series found in titles, front matter
and file names."""

# En dashes are data here: minutes use them as separators.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import datetime
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
# "30 May 2013", "27th June 2024", "3rd and 4th May 2023" (first day wins).
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>{_DAY}){_ORD}(?:(?:\s+(?:and|&|to)\s+|[-–]){_DAY}{_ORD})?"
    rf"[\s\-/]+{_MONTH}[\s\-/,]+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
# "May 30, 2013", "May 30th 2013".
_MONTH_DAY_YEAR = re.compile(
    rf"\b{_MONTH}\s+(?P<day>{_DAY}){_ORD},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE
)
_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)")
# Day first, as written in Europe: 25/05/2023, 25.05.2023.
_NUMERIC_DMY = re.compile(
    r"(?<![\d/.])(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})\b"
)
_COMPACT = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})(?P<month>\d{2})(?P<day>\d{2})(?!\d)"
)
_TIME = re.compile(r"\b(?P<hour>[01]?\d|2[0-3])[:.h](?P<minute>[0-5]\d)\b")
# "Meeting 60", "Meeting #3", "Meeting 02" but not "Meeting 25/05/2023" or
# "Meeting 30th May 2024".
_NUMBER = re.compile(
    r"\bmeeting\s*(?:no\.?\s*|#\s*)?(?P<number>\d{1,4})(?!\d)(?![/.\-]\d)(?!\s*(?:st|nd|rd|th)\b)",
    re.IGNORECASE,
)
_FILE_NUMBER = re.compile(r"(?:^|[^a-z])meeting-(?P<number>\d{1,4})(?=-|$)")


class ImpossibleDate(ValueError):
    """A date that matched a pattern but does not exist (2013-02-30)."""


def _build(year: str, month: str | int, day: str) -> datetime.date:
    month_number = month if isinstance(month, int) else _month_number(month)
    try:
        return datetime.date(int(year), month_number, int(day))
    except ValueError as exc:
        raise ImpossibleDate(f"{year}-{month}-{day} is not a valid date") from exc


def _month_number(month: str) -> int:
    if month.isdigit():
        return int(month)
    return MONTHS[month.lower().rstrip(".")]


_PATTERNS = (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _NUMERIC_DMY, _COMPACT)


def find_date(text: str) -> datetime.date | None:
    """The first date written in ``text`` in any supported format.

    Raises ``ImpossibleDate`` when the first date-like text is not a real day.
    """
    best: tuple[int, re.Match[str]] | None = None
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match)
    if best is None:
        return None
    match = best[1]
    return _build(match["year"], match["month"], match["day"])


def parse_date_value(value: object) -> datetime.date | None:
    """A front-matter date: a date object, a datetime, a compact int or text.

    Returns ``None`` for empty values; raises ``ValueError`` (or its subclass
    ``ImpossibleDate``) for text that is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    found = find_date(text)
    if found is None:
        raise ValueError(f"{text!r} is not a date")
    return found


def parse_time_value(value: object) -> datetime.time | None:
    """A front-matter time such as ``10:00``, ``10.30`` or ``14h00``.

    An int is what YAML 1.1 makes of ``10:00`` (sexagesimal 600); it is read
    back as minutes after midnight.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1440:
        return datetime.time(value // 60, value % 60)
    match = _TIME.search(str(value))
    if match is None:
        raise ValueError(f"{value!r} is not a time of day")
    return datetime.time(int(match["hour"]), int(match["minute"]))


def find_time(text: str) -> datetime.time | None:
    """The first time of day written in ``text``, if any."""
    match = _TIME.search(text)
    if match is None:
        return None
    return datetime.time(int(match["hour"]), int(match["minute"]))


def number_from_title(title: str) -> int | None:
    """The meeting number written in a title ("Meeting 60 – 30 May 2013")."""
    match = _NUMBER.search(title)
    return int(match["number"]) if match else None


def file_stem(path: str) -> str:
    """The last component of a path whose folders may be joined by ``__``."""
    name = re.split(r"[/\\]|__", path)[-1]
    return re.sub(r"\.(md|markdown|txt)$", "", name, flags=re.IGNORECASE)


def date_from_filename(path: str) -> datetime.date | None:
    """A date encoded in the file name ("meeting-60-30-may-2013", "20230525")."""
    stem = file_stem(path).lower()
    try:
        return find_date(stem.replace("-", " ").replace("_", " ")) or find_date(stem)
    except ImpossibleDate:
        return None


def number_from_filename(path: str) -> int | None:
    """A meeting number encoded in the file name ("meeting-60-...")."""
    match = _FILE_NUMBER.search(file_stem(path).lower())
    return int(match["number"]) if match else None


_SERIES_FOLDERS = (
    ("monthly", ("monthly-meetings", "monthly", "monthly-meeting")),
    ("face-to-face", ("face-to-face-meetings", "face-to-face", "f2f", "f2f-meetings")),
    ("steering-group", ("steering-group", "steering-committee", "steering")),
)


def series_from_path(path: str) -> str:
    """Map a file's folder to a series: monthly, face-to-face, steering-group
    or other.

    Corpus file names encode the original path with ``__`` for ``/``; real
    folder paths work too. Folders that merely contain a year (such as
    ``2013-meetings``) are skipped over.
    """
    parts = [p.lower() for p in re.split(r"[/\\]|__", path) if p]
    for folder in parts[:-1]:
        for series, names in _SERIES_FOLDERS:
            if folder in names:
                return series
    return "other"
