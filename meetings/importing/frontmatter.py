"""YAML front matter: splitting it off and reading it without YAML 1.1's
surprises."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import yaml

from .model import MinutesParseError

_FENCE = re.compile(r"^---\s*$")
_END_FENCE = re.compile(r"^(?:---|\.\.\.)\s*$")


class MinutesLoader(yaml.SafeLoader):
    """A SafeLoader that reads scalars the way people writing minutes expect.

    YAML 1.1 turns ``10:00`` into 600 (sexagesimal), ``No``/``On``/``Yes``
    into booleans and ``2013-02-30`` into a crash inside the loader. Here only
    ``true``/``false`` are booleans, only plain decimal numbers are numbers,
    and dates stay strings so the parser can read them (and report impossible
    ones) itself.
    """


def _without(tags: set[str]) -> dict[str, list[tuple[str, Any]]]:
    return {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in tags]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


MinutesLoader.yaml_implicit_resolvers = _without(
    {
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    }
)
MinutesLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
MinutesLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
    list("-+0123456789"),
)
MinutesLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


@dataclass
class FrontMatter:
    """The front matter mapping and where things are in the file."""

    data: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    body_line: int  # 1-based line of the file where ``body`` starts


def split_front_matter(text: str) -> FrontMatter:
    """Split ``text`` (already normalised) into front matter and body.

    Without a ``---`` first line there is no front matter and the whole text
    is the body.
    """
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return FrontMatter({}, {}, text, 1)
    end = next((i for i in range(1, len(lines)) if _END_FENCE.match(lines[i])), None)
    if end is None:
        raise MinutesParseError(
            "front matter opened with '---' is never closed by a '---' line", 1
        )
    source = "\n".join(lines[1:end])
    data = _load_yaml(source)
    return FrontMatter(
        data=data,
        key_lines=_key_lines(lines[1:end]),
        body="\n".join(lines[end + 1 :]),
        body_line=end + 2,
    )


def _load_yaml(source: str) -> dict[str, Any]:
    try:
        data = yaml.load(source, Loader=MinutesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        # Line 1 of the file is the opening fence.
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc)
        raise MinutesParseError(
            f"front matter is not valid YAML: {problem}", line
        ) from exc
    except (ValueError, TypeError) as exc:
        # Explicit tags such as "!!timestamp 2013-02-30" fail while constructing.
        raise MinutesParseError(f"front matter has an invalid value: {exc}", 2) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise MinutesParseError(
            f"front matter must be a mapping of keys to values, not a {_kind(data)}",
            2,
        )
    return {str(key): value for key, value in data.items()}


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _key_lines(lines: list[str]) -> dict[str, int]:
    """File line numbers of top-level keys, for error messages."""
    found: dict[str, int] = {}
    for index, line in enumerate(lines):
        match = re.match(r"^([^\s:#][^:]*):(?:\s|$)", line)
        if match:
            found.setdefault(match.group(1).strip(), index + 2)
    return found


def json_safe(value: Any) -> Any:
    """A copy of ``value`` that ``json.dumps`` accepts (dates become ISO)."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(v) for v in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
