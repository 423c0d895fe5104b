"""Actions as CSV that spreadsheets open safely and correctly.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
would be read by a spreadsheet as a formula (CSV injection); such cells get a
leading single quote. The text starts with a byte order mark so that Excel reads
it as UTF-8.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator

from meetings.models import ActionItem

BOM = "\ufeff"
HEADER = [
    "Reference",
    "Series",
    "Description",
    "Owners",
    "Due date",
    "Status",
    "Raised at",
    "Raised on",
    "Closed on",
    "Superseded by",
    "Link",
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """``value`` as text a spreadsheet will show rather than evaluate."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def action_rows(
    actions: Iterable[ActionItem], absolute_url: Callable[[str], str]
) -> Iterator[list[str]]:
    """The header, then one row per action (from ``ActionItem...for_list()``).

    ``absolute_url`` turns a path into a full link, e.g.
    ``request.build_absolute_uri``.
    """
    yield HEADER
    if hasattr(actions, "iterator"):
        # Rows stream out in chunks; prefetching owners still happens per chunk.
        actions = actions.select_related("superseded_by").iterator(chunk_size=500)
    for action in actions:
        row = [
            action.reference,
            action.meeting.series.name,
            action.description,
            "; ".join(action.owner_names()),
            action.due_date.isoformat() if action.due_date else "",
            action.get_status_display(),
            action.meeting.title,
            action.meeting.date.isoformat(),
            action.closed_on.isoformat() if action.closed_on else "",
            action.superseded_by.reference if action.superseded_by else "",
            absolute_url(action.get_absolute_url()),
        ]
        yield [spreadsheet_safe(cell) for cell in row]


class _Line:
    """A file-like object that hands back what the csv writer writes."""

    def write(self, text: str) -> str:
        return text


def stream(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text line by line, beginning with the byte order mark."""
    writer = csv.writer(_Line())
    yield BOM
    for row in rows:
        yield writer.writerow(row)
