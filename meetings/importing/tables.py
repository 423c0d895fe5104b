"""Pipe tables: raw cells, and finding the real header row.

Most tables in the archive were converted from HTML with an empty Markdown
header row, so the real column names are in the first body row. Cells are
kept as raw Markdown here; callers clean them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import inline_to_plain

# Lenient: converters sometimes leave a delimiter cell empty ("| --- |  |").
_DELIMITER = re.compile(r"^\s*\|?[\s:|-]*-[\s:|-]*$")
_SPLIT = re.compile(r"(?<!\\)\|")


@dataclass
class Table:
    """A pipe table with its rows as raw Markdown cells.

    ``header`` is the row the columns are named by (possibly the first body
    row), ``rows`` the data rows after it and ``row_lines`` their 1-based file
    lines. ``header_from_body`` says whether the Markdown header was empty.
    """

    header: list[str]
    rows: list[list[str]]
    row_lines: list[int]
    line: int
    header_line: int
    header_from_body: bool = False

    def header_text(self) -> str:
        """The header as plain text, e.g. ``New | Description | Resp``."""
        return " | ".join(inline_to_plain(cell) for cell in self.header)


def looks_like_table(lines: list[str]) -> bool:
    """Pipe rows that Markdown did not accept as a table (a broken delimiter
    row makes it a paragraph)."""
    return (
        len(lines) >= 2
        and all(line.lstrip().startswith("|") for line in lines)
        and _DELIMITER.match(lines[1]) is not None
    )


def split_row(line: str) -> list[str]:
    """Cells of one table row, raw, with the outer pipes removed."""
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    return [cell.strip() for cell in _SPLIT.split(stripped)]


def is_blank_row(cells: list[str]) -> bool:
    """True when every cell of a row is empty once Markdown is removed."""
    return all(not inline_to_plain(cell) for cell in cells)


def read_table(lines: list[str], first_line: int) -> Table:
    """Build a ``Table`` from its source lines (header, delimiter, body).

    ``first_line`` is the 1-based file line of ``lines[0]``.
    """
    header = split_row(lines[0])
    body_start = 2 if len(lines) > 1 and _DELIMITER.match(lines[1]) else 1
    rows: list[list[str]] = []
    row_lines: list[int] = []
    for offset, line in enumerate(lines[body_start:], start=body_start):
        if not line.strip():
            continue
        rows.append(split_row(line))
        row_lines.append(first_line + offset)
    table = Table(header, rows, row_lines, first_line, first_line)
    if is_blank_row(header) and rows:
        # The real header is the first body row.
        table.header = rows.pop(0)
        table.header_line = row_lines.pop(0)
        table.header_from_body = True
    return table


def column_name(cell: str) -> str:
    """A header cell reduced to a comparable name ("Res**(1)**" -> "res")."""
    text = inline_to_plain(cell).lower()
    text = re.sub(r"\(\d+\)|`?\*`?|\d+$", "", text)
    return re.sub(r"[^a-z ]+", " ", text).strip()
