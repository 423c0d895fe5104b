"""Text helpers shared by the parser modules: decoding, normalising, and
turning inline Markdown into plain text."""

# En dashes are data here: minutes use them as separators.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .model import MinutesParseError

# Spaces that word processors leave behind; they defeat every "Present:" or
# "Name, Name" pattern, so they become ordinary spaces.
_ODD_SPACES = re.compile("[\u00a0\u2007\u202f\u2009\u200a]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060]")
_WS = re.compile(r"\s+")
# Placeholders that stand for an empty cell.
PLACEHOLDERS = frozenset({"", "-", "–", "—", ".", "..", "...", "…", "n/a", "N/A"})
# Google Code wiki stub links ("TopCat[?](https://...)") carry no text.
_WIKI_STUB = re.compile(r"\[\?\]\([^)]*\)")
# Runs of emphasis markers left over after escapes ("# Actions \*\*").
_STRAY_EMPHASIS = re.compile(r"(?:(?<=\s)|^)[*_]+(?=\s|$)")

_INLINE = MarkdownIt("commonmark")


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or raise ``MinutesParseError``."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise MinutesParseError("the file is UTF-16; save it as UTF-8", 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise MinutesParseError(
            f"not valid UTF-8 (byte offset {exc.start}: {exc.reason})", line
        ) from exc


def normalise_text(text: str) -> str:
    """Strip a BOM, unify line endings and turn odd spaces into spaces."""
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise MinutesParseError(
            f"binary content (NUL character at offset {nul}), not a text file",
            line,
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    return _ODD_SPACES.sub(" ", text)


def collapse_ws(text: str) -> str:
    """Collapse whitespace runs to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def inline_to_plain(markdown: str) -> str:
    """Plain text of an inline Markdown fragment.

    Emphasis markers, escapes and link targets go; link text, code and plain
    text stay. Stray emphasis markers that Markdown left as literal text are
    dropped too.
    """
    markdown = _WIKI_STUB.sub("", markdown)
    tokens = _INLINE.parseInline(markdown)
    children = (tokens[0].children or []) if tokens else []
    parts: list[str] = []
    for token in children:
        if token.type in ("text", "code_inline", "html_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(token.content)
    text = collapse_ws("".join(parts))
    return collapse_ws(_STRAY_EMPHASIS.sub("", text))


def is_placeholder(text: str | None) -> bool:
    """True for cells that mean "nothing here" ("–", ".", empty...)."""
    return text is None or text.strip() in PLACEHOLDERS


def clean_cell(markdown: str) -> str | None:
    """Plain text of a table cell, or ``None`` for a placeholder."""
    text = inline_to_plain(markdown)
    return None if is_placeholder(text) else text
