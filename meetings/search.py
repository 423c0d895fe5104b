"""Full-text search across meetings, sections and actions: one service for the
search page and the API.

A query is words, "quoted phrases" and exclusions (``doi -landing``,
``"data policy" -draft``). It is parsed here, once, into terms, so that both
databases agree on what it means:

- On PostgreSQL each table has a ``search_vector`` column kept current by a
  trigger and indexed with GIN (migration ``0005_search``), in the
  ``minutes_unaccent`` configuration: English stemming, accents ignored. Terms
  become phrase queries; rows are ranked with ``ts_rank`` and snippets come from
  ``ts_headline``.
- On SQLite (development and tests) the same terms are matched as whole words
  in text folded to lower case without accents, by a small SQL function
  registered on the connection; ranking weighs title matches above body
  matches. There is no stemming and no index: every row is scanned.

Results are ordered by rank, then newest meeting first, then kind and id, so a
page boundary never moves between two requests.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import Exact, GreaterThan
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meetings.folding import fold, fold_char
from meetings.models import (
    ActionItem,
    Meeting,
    Section,
    Series,
    visibility,
)

CONFIG = "minutes_unaccent"
MAX_QUERY_LENGTH = 200
MAX_PAGE_NUMBER = 10**6
MAX_TERMS = 12

# Private-use characters mark matches in snippets while the text is still raw;
# they are swapped for <mark> only after the text has been escaped.
_MARK_START, _MARK_STOP = "\ue000", "\ue001"
_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
_WORD = re.compile(r"\w+")


class InvalidQuery(ValueError):
    """A query that cannot be searched for; the message says why, for people."""


# Parsing


@dataclass(frozen=True)
class ParsedQuery:
    """What to find (every term) and what to leave out (any term)."""

    included: tuple[str, ...]
    excluded: tuple[str, ...] = ()

    def __str__(self) -> str:
        def show(term: str, sign: str = "") -> str:
            return f'{sign}"{term}"' if " " in term else f"{sign}{term}"

        words = [show(term) for term in self.included]
        words += [show(term, "-") for term in self.excluded]
        return " ".join(words)


def parse_query(text: str) -> ParsedQuery:
    """Split ``text`` into required and excluded words and phrases.

    An unclosed quote runs to the end of the text; punctuation other than
    quotes and a leading minus is left to the matching, which ignores it.
    Raises ``InvalidQuery`` for a query with nothing to look for.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidQuery(f"Search for at most {MAX_QUERY_LENGTH} characters.")

    included: list[str] = []
    excluded: list[str] = []
    for sign, phrase, word in _TOKEN.findall(text):
        term = " ".join(_WORD.findall(phrase if phrase else word))
        if term:
            (excluded if sign else included).append(term)

    if not included and excluded:
        raise InvalidQuery(
            "Say what to look for as well as what to leave out: "
            "a query of only -exclusions would match nearly everything."
        )
    if not included:
        raise InvalidQuery("Type a word or a phrase to search for.")
    if len(included) + len(excluded) > MAX_TERMS:
        raise InvalidQuery(f"Use at most {MAX_TERMS} words or phrases.")
    return ParsedQuery(_unique(included), _unique(excluded))


def _unique(terms: list[str]) -> tuple[str, ...]:
    """The terms in order, each once however it is capitalised or accented."""
    first_spelling = {}
    for term in terms:
        first_spelling.setdefault(fold(term), term)
    return tuple(first_spelling.values())


class SearchForm(forms.Form):
    """The search box and its filters; ``q`` cleans to a ``ParsedQuery``."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"Search for at most {MAX_QUERY_LENGTH} characters."
        },
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    series = forms.ModelChoiceField(
        queryset=Series.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All series",
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_q(self) -> ParsedQuery | None:
        text = self.cleaned_data["q"]
        if not text:
            return None
        try:
            return parse_query(text)
        except InvalidQuery as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned


# Results


@dataclass
class Hit:
    """One result: a meeting, a section of it, or an action raised at it."""

    kind: str
    meeting: Meeting
    rank: float
    snippet: SafeString
    section: Section | None = None
    action: ActionItem | None = None

    @property
    def title(self) -> str:
        if self.section:
            return self.section.title
        if self.action:
            return f"Action {self.action.reference}"
        return self.meeting.title

    @property
    def url(self) -> str:
        target = self.section or self.action or self.meeting
        return target.get_absolute_url()


@dataclass(frozen=True)
class _Source:
    """A searched table: the text weighted A, the text weighted B."""

    kind: str
    model: type
    heading: str
    body: str

    def meeting_field(self, name: str) -> str:
        return name if self.model is Meeting else f"meeting__{name}"


SOURCES = (
    _Source("meeting", Meeting, "title", "notes"),
    _Source("section", Section, "title", "body"),
    _Source("action", ActionItem, "reference", "description"),
)
_SOURCE_BY_KIND = {source.kind: source for source in SOURCES}


class SearchResults(Sequence):
    """Ranked hits, read lazily. A ``Paginator`` (or DRF's pagination) takes it
    as it is.

    Call ``expect_page`` first when the page about to be shown is known: its
    rows and the total then come from one query, ranked once, instead of a
    count and a slice that would each rank every match. Otherwise ``count()``
    and each slice cost a query. Loading the hits of a slice with their
    snippets costs one more query per kind present.
    """

    def __init__(
        self,
        query: ParsedQuery,
        rows: QuerySet,
        backend: _PostgresBackend | _FallbackBackend,
    ):
        self.query = query
        self.rows = rows
        self.backend = backend
        self._count: int | None = None
        self._expected: tuple[int, int] | None = None
        self._window: tuple[int, int, list[dict]] | None = None

    def expect_page(self, number, per_page: int) -> None:
        """Say which page (1-based; anything not a positive whole number means
        the first) will be asked for, so that ``count()`` can fetch it too."""
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        # Past any real page, but small enough for the database's integers.
        number = min(number, MAX_PAGE_NUMBER)
        self._expected = ((number - 1) * per_page, number * per_page)

    def count(self) -> int:
        if self._count is None:
            if self._expected is not None:
                self._fetch_window(*self._expected)
            else:
                self._count = self.rows.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError("Search results take slices without a step.")
            start = index.start or 0
            stop = index.stop if index.stop is not None else self.count()
            return self._hits(self._rows(start, stop))
        return self._hits(self._rows(index, index + 1))[0]

    def _rows(self, start: int, stop: int) -> list[dict]:
        if self._window is not None and self._count is not None:
            window_start, _, rows = self._window
            # Served from the window when it holds every row asked for (up to
            # the last row there is).
            end = window_start + len(rows)
            wanted_end = min(stop, self._count)
            if window_start <= start and wanted_end <= end:
                return rows[start - window_start : wanted_end - window_start]
        return list(self.rows[start:stop])

    def _fetch_window(self, start: int, stop: int) -> None:
        """Rows ``start`` to ``stop`` and the number of all rows, in one query."""
        unordered = self.rows.order_by()
        compiler = unordered.query.get_compiler(using=unordered.db)
        inner, params = compiler.as_sql()
        quote = compiler.connection.ops.quote_name
        kind, row_id, day, rank = (
            quote(name) for name in ("kind", "row_id", "day", "rank")
        )
        sql = (
            f"SELECT hits.{kind}, hits.{row_id}, hits.{rank}, COUNT(*) OVER () "
            f"FROM ({inner}) hits "
            f"ORDER BY hits.{rank} DESC, hits.{day} DESC, hits.{kind}, hits.{row_id} "
            "LIMIT %s OFFSET %s"
        )
        with compiler.connection.cursor() as cursor:
            cursor.execute(sql, (*params, stop - start, start))
            fetched = cursor.fetchall()
        rows = [
            {"kind": kind_, "row_id": pk, "rank": score}
            for kind_, pk, score, _ in fetched
        ]
        if fetched:
            self._count = fetched[0][3]
        else:
            # Past the end (or nothing found): the total needs its own count.
            self._count = self.rows.count() if start else 0
        self._window = (start, stop, rows)

    def _hits(self, rows: list[dict]) -> list[Hit]:
        ids_by_kind: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            ids_by_kind[row["kind"]].append(row["row_id"])
        loaded = {
            (kind, obj.pk): obj
            for kind, ids in ids_by_kind.items()
            for obj in self.backend.load(_SOURCE_BY_KIND[kind], ids)
        }

        hits = []
        for row in rows:
            obj = loaded.get((row["kind"], row["row_id"]))
            # A row deleted between the two queries is skipped, not an error.
            if obj is not None:
                hits.append(_hit(row["kind"], obj, row["rank"]))
        return hits


def _hit(kind: str, obj, rank: float) -> Hit:
    snippet = _marked_html(without_markdown(obj.search_snippet))
    if kind == "meeting":
        return Hit(kind, obj, rank, snippet)
    if kind == "section":
        return Hit(kind, obj.meeting, rank, snippet, section=obj)
    return Hit(kind, obj.meeting, rank, snippet, action=obj)


def search(
    user,
    query: ParsedQuery | str,
    *,
    series: Series | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> SearchResults:
    """Meetings, sections and actions ``user`` may read that match ``query``.

    ``query`` is a ``ParsedQuery`` or the text typed (then ``InvalidQuery`` may
    be raised). Filters narrow by the meeting's series and date, inclusive.
    """
    if isinstance(query, str):
        query = parse_query(query)
    backend = _backend(query)
    parts = []
    for source in SOURCES:
        visible = visibility(user, source.meeting_field(""))
        if visible is None:
            rows = source.model.objects.none()
        else:
            rows = source.model.objects.filter(visible).order_by()
        if series is not None:
            rows = rows.filter(**{source.meeting_field("series"): series})
        if date_from is not None:
            rows = rows.filter(**{source.meeting_field("date__gte"): date_from})
        if date_to is not None:
            rows = rows.filter(**{source.meeting_field("date__lte"): date_to})
        parts.append(backend.ranked_rows(source, rows))

    ranked = parts[0].union(*parts[1:], all=True)
    ranked = ranked.order_by("-rank", "-day", "kind", "row_id")
    return SearchResults(query, ranked, backend)


def _backend(query: ParsedQuery) -> _PostgresBackend | _FallbackBackend:
    if connection.vendor == "postgresql":
        return _PostgresBackend(query)
    return _FallbackBackend(query)


# PostgreSQL


def _tsquery(query: ParsedQuery) -> SearchQuery:
    """Every included term as a phrase (a single word is a phrase of one),
    and none of the excluded ones."""

    def phrase(term: str) -> SearchQuery:
        return SearchQuery(term, config=CONFIG, search_type="phrase")

    combined = phrase(query.included[0])
    for term in query.included[1:]:
        combined &= phrase(term)
    for term in query.excluded:
        combined &= ~phrase(term)
    return combined


class _StoredVector(Expression):
    """The ``search_vector`` column the migration adds (not a model field)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name('search_vector')}", []


class _Matches(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _PostgresBackend:
    def __init__(self, query: ParsedQuery):
        self.tsquery = _tsquery(query)

    def ranked_rows(self, source: _Source, rows: QuerySet) -> QuerySet:
        return rows.filter(_Matches(_StoredVector(), self.tsquery)).values(
            **_row_columns(source, SearchRank(_StoredVector(), self.tsquery))
        )

    def load(self, source: _Source, ids: list[int]) -> QuerySet:
        text = Coalesce(NullIf(F(source.body), Value("")), F(source.heading))
        snippet = SearchHeadline(
            text,
            self.tsquery,
            config=CONFIG,
            start_sel=_MARK_START,
            stop_sel=_MARK_STOP,
            # One passage, not several fragments: PostgreSQL's fragment mode
            # costs about ten times as much per row.
            max_words=35,
            min_words=15,
        )
        return _loaded_rows(source, ids).annotate(search_snippet=snippet)


# SQLite and other databases


def term_pattern(term: str) -> str:
    """A regular expression finding ``term``'s words, in order, in folded text."""
    words = [re.escape(fold(word)) for word in term.split()]
    return r"\b" + r"\W+".join(words) + r"\b"


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _count_hits(text: str | None, pattern: str) -> int:
    # Capped so that one body repeating a word cannot outrank every title.
    if not text:
        return 0
    return min(len(_compiled(pattern).findall(fold(text))), 5)


class _Hits(Func):
    function = "minutes_hits"
    output_field = IntegerField()


class _FallbackBackend:
    def __init__(self, query: ParsedQuery):
        self.query = query
        # SQLite looks functions up per connection; registering again is cheap
        # and covers connections opened after this module was imported.
        connection.ensure_connection()
        connection.connection.create_function(
            "minutes_hits", 2, _count_hits, deterministic=True
        )

    def ranked_rows(self, source: _Source, rows: QuerySet) -> QuerySet:
        def hits(field: str, term: str) -> _Hits:
            return _Hits(F(field), Value(term_pattern(term)))

        def anywhere(term: str):
            return hits(source.heading, term) + hits(source.body, term)

        for term in self.query.included:
            rows = rows.filter(GreaterThan(anywhere(term), 0))
        for term in self.query.excluded:
            rows = rows.filter(Exact(anywhere(term), 0))

        rank = sum(
            (
                hits(source.heading, term) * Value(1.0)
                + hits(source.body, term) * Value(0.4)
                for term in self.query.included
            ),
            start=Value(0.0),
        )
        return rows.values(**_row_columns(source, rank))

    def load(self, source: _Source, ids: list[int]) -> list:
        patterns = [term_pattern(term) for term in self.query.included]
        rows = list(_loaded_rows(source, ids))
        for obj in rows:
            body = getattr(obj, source.body)
            text = body if _any_match(body, patterns) else getattr(obj, source.heading)
            obj.search_snippet = highlight(text, patterns)
        return rows


def _any_match(text: str, patterns: list[str]) -> bool:
    return any(_count_hits(text, pattern) for pattern in patterns)


def highlight(text: str, patterns: list[str], width: int = 220) -> str:
    """A window of ``text`` around its first match, with matches between the
    private-use marks that ``_marked_html`` turns into ``<mark>``.

    Matching runs on folded text; a map from folded to original positions puts
    the marks around the words as written ("Götz" stays "Götz").
    """
    folded, origin = [], []
    for position, char in enumerate(text):
        for folded_char in fold_char(char):
            folded.append(folded_char)
            origin.append(position)
    folded_text = "".join(folded)

    spans = sorted(
        (origin[match.start()], origin[match.end() - 1] + 1)
        for pattern in patterns
        for match in _compiled(pattern).finditer(folded_text)
    )
    start = max(0, spans[0][0] - width // 3) if spans else 0
    end = min(len(text), start + width)
    # Widen to whole words, so the snippet does not begin or end mid-word.
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1

    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        pieces += [text[cursor:span_start], _MARK_START]
        pieces += [text[span_start:span_end], _MARK_STOP]
        cursor = span_end
    pieces.append(text[cursor:end])
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(pieces) + suffix


# Shared


def _row_columns(source: _Source, rank) -> dict:
    """The columns every part of the union selects, in the same order."""
    return {
        "kind": Value(source.kind, output_field=CharField()),
        "row_id": F("pk"),
        "day": F(source.meeting_field("date")),
        "rank": ExpressionWrapper(rank, output_field=FloatField()),
    }


# What a hit shows of its meeting, on the page and in the API.
_HIT_MEETING_FIELDS = (
    "title",
    "date",
    "number",
    "status",
    "series__name",
    "series__slug",
)


def _loaded_rows(source: _Source, ids: list[int]) -> QuerySet:
    """The rows of the hits, with only what a hit shows and the two texts the
    fallback takes its snippet from: no timestamps, no imported source text."""
    texts = (source.heading, source.body)
    if source.model is Meeting:
        rows = Meeting.objects.select_related("series")
        fields = (*_HIT_MEETING_FIELDS, *texts)
    else:
        rows = source.model.objects.select_related("meeting__series")
        status = ("status",) if source.model is ActionItem else ()
        meeting = (f"meeting__{name}" for name in _HIT_MEETING_FIELDS)
        fields = (*meeting, *texts, *status)
    return rows.only(*fields).filter(pk__in=ids)


# Markdown's punctuation, which reads as noise in a one-line snippet.
_MARKDOWN_NOISE = [
    # A link or image: its text, not its address.
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),
    # A table's rule row, and the pipes at either end of a row.
    (re.compile(r"(?m)^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|?)+[ \t]*$"), ""),
    (re.compile(r"(?m)^[ \t]*\||\|[ \t]*$"), ""),
    # Heading, quote and list markers at the start of a line.
    (re.compile(r"(?m)^[ \t]*(?:#{1,6}|>+|[-*+]|\d+[.)])[ \t]+"), ""),
    # Strong, struck-through and code marks.
    (re.compile(r"\*\*|__|~~|`+"), ""),
    # The cells of a table row.
    (re.compile(r"[ \t]*\|[ \t]*"), " · "),
]


def without_markdown(text: str) -> str:
    """``text`` with Markdown's punctuation taken out, for a snippet: the words
    of links, tables, lists and emphasis stay, their markup goes."""
    for pattern, replacement in _MARKDOWN_NOISE:
        text = pattern.sub(replacement, text)
    return text


def _marked_html(text: str) -> SafeString:
    """Escape ``text``, then turn the match marks into ``<mark>`` elements.

    The marks are paired here, not trusted: a stray mark in the source text
    can never leave an element open.
    """
    text = " ".join(text.split())
    html, open_mark = [], False
    for piece in re.split(f"([{_MARK_START}{_MARK_STOP}])", text):
        if piece == _MARK_START and not open_mark:
            html.append("<mark>")
            open_mark = True
        elif piece == _MARK_STOP and open_mark:
            html.append("</mark>")
            open_mark = False
        elif piece not in (_MARK_START, _MARK_STOP):
            html.append(escape(piece))
    if open_mark:
        html.append("</mark>")
    return mark_safe("".join(html))
