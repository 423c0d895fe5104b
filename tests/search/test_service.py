"""The search service on whichever database the suite runs on."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from meetings.search import search
from tests.factories import ActionItemFactory, MeetingFactory, SectionFactory
from tests.search.conftest import on_fallback, on_postgresql


def found(results) -> list:
    """Each hit as the row it points at: a section, an action or a meeting."""
    return [hit.section or hit.action or hit.meeting for hit in results[:100]]


def test_it_finds_section_bodies_and_action_descriptions(staff, archive):
    results = search(staff, "doi")

    assert set(found(results)) == {
        archive["sections"]["landing"],
        archive["sections"]["doi"],
        archive["actions"]["mint"],
    }
    assert results.count() == 3


def test_it_finds_meeting_and_section_titles(staff, archive):
    assert found(search(staff, "autumn")) == [archive["meetings"]["autumn"]]
    assert found(search(staff, "identifiers")) == [archive["sections"]["landing"]]


def test_each_hit_names_its_meeting(staff, archive):
    (hit,) = search(staff, "mint")[:1]

    assert hit.kind == "action"
    assert hit.meeting == archive["meetings"]["summer"]
    assert hit.title == "Action 7.01"
    assert hit.url == archive["actions"]["mint"].get_absolute_url()


def test_case_and_accents_do_not_matter(staff, archive):
    götz = archive["sections"]["doi"]

    assert found(search(staff, "gotz")) == [götz]
    assert found(search(staff, "GÖTZ")) == [götz]
    assert found(search(staff, "Jorg Gotz")) == [götz]


def test_the_snippet_marks_the_match_as_written(staff, archive):
    (hit,) = search(staff, "gotz")[:1]

    assert "<mark>Götz</mark>" in hit.snippet
    assert "Jörg" in hit.snippet


def test_snippets_escape_the_text_around_the_marks(staff, archive):
    SectionFactory(
        meeting=archive["meetings"]["spring"],
        title="Markup",
        body='Counts < 5 & <script>alert("x")</script> photon flux.',
    )

    (hit,) = search(staff, "photon")[:1]

    # PostgreSQL's headline drops tags; the fallback escapes them. Either way
    # no markup from a body reaches the page, only the marks.
    assert "<script>" not in hit.snippet
    assert "Counts &lt; 5 &amp;" in hit.snippet
    assert "<mark>photon</mark>" in hit.snippet


def test_snippets_show_the_words_of_markdown_not_its_punctuation(staff, archive):
    SectionFactory(
        meeting=archive["meetings"]["spring"],
        title="Beamtime",
        body="| Line | Photon flux |\n|---|---|\n| B2 | **high** |\n\n"
        "- see the [flux table](https://example.org/flux) and `ptycho.py`",
    )

    (hit,) = search(staff, "flux")[:1]

    assert "|" not in hit.snippet and "**" not in hit.snippet
    assert "example.org" not in hit.snippet and "`" not in hit.snippet
    assert "Line · Photon <mark>flux</mark>" in hit.snippet
    assert "B2 · high" in hit.snippet
    assert "see the <mark>flux</mark> table and ptycho.py" in hit.snippet


def test_every_word_must_match(staff, archive):
    assert found(search(staff, "doi landing")) == [archive["sections"]["landing"]]


def test_a_phrase_matches_its_words_together(staff, archive):
    SectionFactory(
        meeting=archive["meetings"]["summer"],
        title="Other",
        body="The policy on data retention is unchanged.",
    )

    results = found(search(staff, '"data policy"'))

    assert results == [archive["sections"]["policy"]]


def test_exclusions_leave_rows_out(staff, archive):
    assert set(found(search(staff, "doi -landing"))) == {
        archive["sections"]["doi"],
        archive["actions"]["mint"],
    }
    assert found(search(staff, '"data policy" -circulated')) == []


def test_an_excluded_phrase_leaves_out_only_that_phrase(staff, archive):
    results = found(search(staff, 'doi -"landing page"'))

    assert archive["sections"]["landing"] not in results
    assert archive["sections"]["doi"] in results


def test_a_title_match_ranks_above_a_body_match(staff, archive):
    spring = archive["meetings"]["spring"]
    in_body = SectionFactory(
        meeting=spring, title="Beamlines", body="The detector collimator slipped."
    )
    in_title = SectionFactory(
        meeting=spring, title="Detector collimator", body="Nothing new this month."
    )

    assert found(search(staff, "collimator")) == [in_title, in_body]


def test_equal_ranks_come_newest_meeting_first(staff, archive):
    older = SectionFactory(
        meeting=archive["meetings"]["spring"], title="Cryostat", body="-"
    )
    newer = SectionFactory(
        meeting=archive["meetings"]["autumn"], title="Cryostat", body="-"
    )

    assert found(search(staff, "cryostat")) == [newer, older]


def test_ties_across_a_page_boundary_go_newest_first_on_every_page(staff, steering):
    # Meetings created out of date order, so that ids do not follow dates.
    days = [5, 1, 4, 2, 3]
    meetings = [
        MeetingFactory(series=steering, date=datetime.date(2024, 3, day))
        for day in days
    ]
    tied = [SectionFactory(meeting=m, title="Magnet", body="-") for m in meetings]
    oldest = MeetingFactory(series=steering, date=datetime.date(2020, 1, 1))
    best = SectionFactory(meeting=oldest, title="Magnet", body="Magnet, magnet.")
    newest_first = [tied[days.index(day)] for day in (5, 4, 3, 2, 1)]

    pages = []
    for number in (1, 2):
        results = search(staff, "magnet")
        results.expect_page(number, 3)
        assert results.count() == 6
        pages.append([hit.section for hit in results[(number - 1) * 3 : number * 3]])

    assert pages == [[best, *newest_first[:2]], newest_first[2:]]
    # Unannounced slices agree with announced pages.
    assert [hit.section for hit in search(staff, "magnet")[2:4]] == newest_first[1:3]


def test_members_never_find_draft_minutes(member, staff, archive):
    draft_section = archive["sections"]["secret"]

    assert found(search(staff, "embargoed")) == [draft_section]
    assert found(search(member, "embargoed")) == []
    assert found(search(member, "winter")) == []


def test_members_never_find_actions_raised_at_draft_meetings(member, archive):
    ActionItemFactory(
        meeting=archive["meetings"]["draft"],
        reference="9.01",
        description="Renegotiate the embargoed cryogenics contract.",
    )

    assert found(search(member, "cryogenics")) == []


def test_anonymous_visitors_find_nothing_on_a_private_site(archive):
    assert found(search(AnonymousUser(), "doi")) == []


def test_filters_narrow_by_series_and_date(staff, archive, steering):
    in_series = search(staff, "doi", series=steering)
    in_june = search(
        staff,
        "doi",
        date_from=datetime.date(2024, 6, 1),
        date_to=datetime.date(2024, 6, 30),
    )

    assert found(in_series) == [archive["sections"]["doi"]]
    assert set(found(in_june)) == {
        archive["sections"]["landing"],
        archive["actions"]["mint"],
    }


def test_pages_are_stable_and_do_not_overlap(staff, steering):
    meeting = MeetingFactory(series=steering)
    sections = [
        SectionFactory(meeting=meeting, title=f"Shutdown {n}", body="-")
        for n in range(7)
    ]
    results = search(staff, "shutdown")

    pages = [results[0:3], results[3:6], results[6:9]]

    seen = [hit.section for page in pages for hit in page]
    assert sorted(seen, key=lambda s: s.pk) == sections
    assert [hit.section for hit in search(staff, "shutdown")[3:6]] == [
        hit.section for hit in pages[1]
    ]


def test_searching_costs_the_same_queries_for_few_and_many_hits(
    staff, steering, django_assert_max_num_queries
):
    meeting = MeetingFactory(series=steering, title="Vacuum review")
    for n in range(30):
        SectionFactory(meeting=meeting, title=f"Vacuum {n}", body="Vacuum leak.")
        ActionItemFactory(meeting=meeting, description=f"Fix vacuum leak {n}")

    results = search(staff, "vacuum")
    # A count, the page's rows, then one load per kind: meetings, sections,
    # actions.
    with django_assert_max_num_queries(5):
        assert results.count() == 61
        assert len(results[0:25]) == 25


def test_an_expected_page_is_ranked_and_counted_in_one_query(
    staff, steering, django_assert_num_queries
):
    meeting = MeetingFactory(series=steering, title="Cooling review")
    for n in range(7):
        SectionFactory(meeting=meeting, title=f"Cooling {n}", body="Cooling " * n)
    plain = [hit.section for hit in search(staff, "cooling")[3:6]]

    results = search(staff, "cooling")
    results.expect_page(2, 3)
    with django_assert_num_queries(1):  # the rows 3 to 6 and the total together
        assert results.count() == 8
    with django_assert_num_queries(1):  # only the sections of those rows
        assert [hit.section for hit in results[3:6]] == plain
    assert plain and None not in plain


@pytest.mark.parametrize(
    "page, rows",
    [
        (3, 2),  # the last page, short: served from the window
        (4, 0),  # past the end: the total still comes right
        ("two", 3),  # not a number: the first page
        (-1, 3),
    ],
)
def test_expected_pages_at_the_edges_still_count_right(staff, steering, page, rows):
    meeting = MeetingFactory(series=steering, title="Vacuum review")
    for n in range(7):
        SectionFactory(meeting=meeting, title=f"Vacuum {n}", body="Vacuum leak.")

    results = search(staff, "vacuum")
    results.expect_page(page, 3)
    assert results.count() == 8
    start = (page - 1) * 3 if isinstance(page, int) and page > 0 else 0
    assert len(results[start : start + 3]) == rows
    everything = [hit.kind for hit in search(staff, "vacuum")[0:8]]
    assert len(everything) == 8


@on_postgresql
def test_words_match_their_other_forms_on_postgresql(staff, archive):
    assert found(search(staff, "circulating")) == [archive["sections"]["policy"]]
    assert found(search(staff, "policies")) == [archive["sections"]["policy"]]


@on_postgresql
def test_bulk_inserted_rows_are_searchable_on_postgresql(staff, archive):
    from meetings.models import Section

    Section.objects.bulk_create(
        [
            Section(
                meeting=archive["meetings"]["spring"],
                title="Imported",
                position=100 + n,
                body=f"Ptychography run {n}",
            )
            for n in range(3)
        ]
    )

    assert search(staff, "ptychography").count() == 3


@on_postgresql
def test_an_edited_body_is_searched_as_it_now_reads(staff, archive):
    section = archive["sections"]["policy"]
    section.body = "Superseded by the open access charter."
    section.save()

    assert found(search(staff, "charter")) == [section]
    assert found(search(staff, "circulated")) == []


@on_fallback
def test_the_fallback_matches_whole_words_without_stemming(staff, archive):
    assert found(search(staff, "circulated")) == [archive["sections"]["policy"]]
    assert found(search(staff, "circulating")) == []
    assert found(search(staff, "do")) == []


@pytest.mark.parametrize("text", ["doi", '"data policy" -draft', "gotz -landing"])
def test_the_parsed_query_is_kept_on_the_results(staff, archive, text):
    from meetings.search import parse_query

    assert search(staff, text).query == parse_query(text)
