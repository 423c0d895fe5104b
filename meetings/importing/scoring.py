"""Field-by-field comparison of a parse result with a hand-checked extraction.

Both sides are dicts in the shape of ``ParsedMinutes.to_expected_dict()``.
What counts as one field:

* each scalar key (title, date, number, series, chair, scribe) is one field;
* attendees, apologies, absent: one field per expected name (right when the
  same list produced it) plus one wrong field per extra name produced;
* sections: one field per expected section, right when a produced section
  with equal level, title and parent is matched to it in order, plus one
  wrong field per produced section left unmatched;
* actions: for each expected action, ref, description, owners, status,
  comment and xrefs are one field each (all wrong when no produced action
  is matched to it), plus one wrong field per produced action left
  unmatched. Actions are matched in order by ref (description when there
  is no ref).

Strings are compared with whitespace collapsed; xrefs regardless of order.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

SCALAR_KEYS = ("title", "date", "number", "series", "chair", "scribe")
PEOPLE_KEYS = ("attendees", "apologies", "absent")
ACTION_KEYS = ("ref", "description", "owners", "status", "comment", "xrefs")


@dataclass
class Score:
    """Right and total field counts, with the mismatches for a report."""

    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        """Count one field; remember it when wrong."""
        self.total += 1
        if ok:
            self.right += 1
        else:
            self.misses.append(what)

    def merge(self, other: Score) -> None:
        """Add another score's counts and misses to this one."""
        self.right += other.right
        self.total += other.total
        self.misses.extend(other.misses)

    @property
    def ratio(self) -> float:
        """Share of fields right (1.0 when there is nothing to compare)."""
        return self.right / self.total if self.total else 1.0


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value).strip()
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return value


def score_file(expected: dict[str, Any], actual: dict[str, Any]) -> Score:
    """Compare one parse result with its expected extraction."""
    score = Score()
    for key in SCALAR_KEYS:
        want, got = _norm(expected.get(key)), _norm(actual.get(key))
        score.add(want == got, f"{key}: expected {want!r}, got {got!r}")
    for key in PEOPLE_KEYS:
        score.merge(_score_names(key, expected.get(key) or [], actual.get(key) or []))
    score.merge(
        _score_sections(expected.get("sections") or [], actual.get("sections") or [])
    )
    score.merge(
        _score_actions(expected.get("actions") or [], actual.get("actions") or [])
    )
    return score


def _score_names(key: str, expected: list[str], actual: list[str]) -> Score:
    score = Score()
    remaining = [_norm(n).casefold() for n in actual]
    for name in expected:
        wanted = _norm(name).casefold()
        found = wanted in remaining
        if found:
            remaining.remove(wanted)
        score.add(found, f"{key}: missing {name!r}")
    for extra in remaining:
        score.add(False, f"{key}: extra {extra!r}")
    return score


def _section_key(section: dict[str, Any]) -> tuple[Any, ...]:
    return (
        section.get("level"),
        _norm(section.get("title")),
        _norm(section.get("parent")),
    )


def _score_sections(expected: list[dict], actual: list[dict]) -> Score:
    score = Score()
    want = [_section_key(s) for s in expected]
    got = [_section_key(s) for s in actual]
    matched_want, matched_got = _align(want, got)
    for index, key in enumerate(want):
        score.add(index in matched_want, f"section: missing {key!r}")
    for index, key in enumerate(got):
        if index not in matched_got:
            score.add(False, f"section: extra {key!r}")
    return score


def _action_key(action: dict[str, Any]) -> str:
    return _norm(action.get("ref")) or _norm(action.get("description") or "")[:60]


def _score_actions(expected: list[dict], actual: list[dict]) -> Score:
    score = Score()
    pairs = _pairs([_action_key(a) for a in expected], [_action_key(a) for a in actual])
    for index, action in enumerate(expected):
        other = actual[pairs[index]] if index in pairs else None
        label = action.get("ref") or action.get("description", "")[:30]
        for key in ACTION_KEYS:
            if other is None:
                score.add(False, f"action {label}: missing")
                continue
            want, got = action.get(key), other.get(key)
            score.add(
                _action_field_equal(key, want, got),
                f"action {label} {key}: expected {want!r}, got {got!r}",
            )
    for index, action in enumerate(actual):
        if index not in pairs.values():
            score.add(False, f"action: extra {_action_key(action)!r}")
    return score


def _action_field_equal(key: str, want: Any, got: Any) -> bool:
    if key == "xrefs":
        as_set = lambda xs: sorted((x.get("type"), x.get("ref")) for x in xs or [])  # noqa: E731
        return as_set(want) == as_set(got)
    return _norm(want) == _norm(got)


def _align(want: list[Any], got: list[Any]) -> tuple[set[int], set[int]]:
    pairs = _pairs(want, got)
    return set(pairs), set(pairs.values())


def _pairs(want: list[Any], got: list[Any]) -> dict[int, int]:
    """Indexes of ``want`` matched to indexes of ``got``, in order."""
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    pairs: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            pairs[block.a + offset] = block.b + offset
    return pairs


def format_report(scores: dict[str, Score]) -> str:
    """A per-file breakdown and the overall figure, one line per file."""
    total = Score()
    lines = []
    for name, score in sorted(scores.items()):
        total.merge(score)
        lines.append(f"{score.ratio:7.2%}  {score.right:4d}/{score.total:<4d} {name}")
        lines.extend(f"           - {miss}" for miss in score.misses)
    lines.append(f"{total.ratio:7.2%}  {total.right:4d}/{total.total:<4d} OVERALL")
    return "\n".join(lines)
