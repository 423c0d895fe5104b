"""Reading a query: words, phrases, exclusions and the input people get wrong."""

import pytest

from meetings.search import (
    MAX_QUERY_LENGTH,
    InvalidQuery,
    ParsedQuery,
    _marked_html,
    fold,
    highlight,
    parse_query,
    term_pattern,
)


def test_words_are_all_required():
    assert parse_query("doi landing") == ParsedQuery(("doi", "landing"))


def test_quotes_make_a_phrase_and_a_minus_excludes():
    parsed = parse_query('"data policy" -draft')

    assert parsed == ParsedQuery(("data policy",), ("draft",))


def test_a_quoted_phrase_can_be_excluded():
    parsed = parse_query('minutes -"data policy"')

    assert parsed == ParsedQuery(("minutes",), ("data policy",))


def test_an_unclosed_quote_runs_to_the_end():
    assert parse_query('beamline "data pol') == ParsedQuery(("beamline", "data pol"))


def test_punctuation_is_dropped_and_repeated_terms_counted_once():
    assert parse_query("DOI, doi; (Dói)!") == ParsedQuery(("DOI",))


def test_a_reference_keeps_its_parts_in_order():
    assert parse_query("60.03") == ParsedQuery(("60 03",))


@pytest.mark.parametrize("text", ["-draft", "-draft -landing", '-"data policy"'])
def test_a_query_of_only_exclusions_is_refused_with_a_reason(text):
    with pytest.raises(InvalidQuery, match="as well as what to leave out"):
        parse_query(text)


@pytest.mark.parametrize("text", ["", "   ", '""', "- -- !!"])
def test_a_query_without_words_is_refused(text):
    with pytest.raises(InvalidQuery, match="Type a word"):
        parse_query(text)


def test_an_absurdly_long_query_is_refused():
    with pytest.raises(InvalidQuery, match=f"at most {MAX_QUERY_LENGTH} characters"):
        parse_query("doi " * 100)


def test_too_many_terms_are_refused():
    with pytest.raises(InvalidQuery, match="at most 12 words"):
        parse_query(" ".join(f"w{n}" for n in range(13)))


def test_the_parsed_query_reads_back_as_typed():
    assert str(parse_query('"data  policy" -draft doi')) == '"data policy" doi -draft'


def test_folding_ignores_case_and_accents():
    assert fold("Jörg GÖTZ, Ångström, Straße") == "jorg gotz, angstrom, strasse"


def test_a_term_matches_whole_words_only():
    pattern = term_pattern("doi")

    assert highlight("a DOI here", [pattern]) == "a \ue000DOI\ue001 here"
    assert highlight("doing well", [pattern]) == "doing well"


def test_highlighting_marks_the_words_as_written():
    snippet = highlight("Jörg Götz spoke.", [term_pattern("gotz")])

    assert _marked_html(snippet) == "Jörg <mark>Götz</mark> spoke."


def test_a_long_text_is_cut_around_the_first_match():
    text = "filler " * 100 + "the landing page " + "filler " * 100

    snippet = _marked_html(highlight(text, [term_pattern("landing")]))

    assert snippet.startswith("… filler")
    assert snippet.endswith("filler …")
    assert "<mark>landing</mark>" in snippet
    assert len(snippet) < 300


def test_snippets_are_escaped_except_for_the_marks():
    snippet = highlight("<script>alert(1)</script> doi", [term_pattern("doi")])

    assert _marked_html(snippet) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>doi</mark>"
    )


def test_stray_marks_in_the_text_never_leave_an_element_open():
    assert _marked_html("a \ue000b \ue000c") == "a <mark>b c</mark>"
    assert _marked_html("x\ue001 closed") == "x closed"
