"""``GET /api/search/``: the search service as a paginated JSON list.

Runs on whichever database the suite runs on (PostgreSQL's stored vectors or
SQLite's scanning fallback); every assertion here holds on both.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    SectionFactory,
)

SEARCH = "/api/search/"


def found(response) -> list[tuple[str, int]]:
    """Each result as (kind, id of the row it points at), in order."""
    assert response.status_code == 200, response.content
    return [
        (hit["kind"], (hit["section"] or hit["action"] or hit["meeting"])["id"])
        for hit in response.json()["results"]
    ]


def section(row) -> tuple[str, int]:
    return ("section", row.pk)


def errors_of(response) -> list[tuple[str, str, str]]:
    body = response.json()
    assert body["status"] == response.status_code == 400
    return [(e["location"], e["field"], e["code"]) for e in body["errors"]]


# What a result says


def test_a_title_match_ranks_above_a_body_only_match(member_api, archive):
    spring = archive["meetings"]["spring"]
    in_body = SectionFactory(
        meeting=spring, title="Beamlines", body="The detector collimator slipped."
    )
    in_title = SectionFactory(
        meeting=spring, title="Detector collimator", body="Nothing new this month."
    )

    response = member_api.get(SEARCH, {"q": "collimator"})

    assert found(response) == [section(in_title), section(in_body)]
    first, second = response.json()["results"]
    assert first["rank"] > second["rank"]


def test_a_section_hit_names_its_meeting_and_links_both(member_api, archive):
    landing = archive["sections"]["landing"]
    summer = archive["meetings"]["summer"]

    response = member_api.get(SEARCH, {"q": "landing"})

    assert response.json()["results"] == [
        {
            "kind": "section",
            "rank": pytest.approx(response.json()["results"][0]["rank"]),
            "title": "Persistent identifiers",
            "snippet": response.json()["results"][0]["snippet"],
            "url": f"http://testserver{landing.get_absolute_url()}",
            "meeting": {
                "id": summer.pk,
                "title": "Summer call",
                "date": "2024-06-11",
                "number": 7,
                "series": "collaboration",
                "url": f"http://testserver/api/meetings/{summer.pk}/",
            },
            "section": {"id": landing.pk, "title": "Persistent identifiers"},
            "action": None,
        }
    ]
    hit = response.json()["results"][0]
    assert isinstance(hit["rank"], float) and hit["rank"] > 0
    assert "<mark>landing</mark>" in hit["snippet"]


def test_an_action_hit_gives_its_reference_and_status(member_api, archive):
    mint = archive["actions"]["mint"]

    (hit,) = member_api.get(SEARCH, {"q": "mint"}).json()["results"]

    assert hit["kind"] == "action"
    assert hit["title"] == "Action 7.01"
    assert hit["action"] == {"id": mint.pk, "reference": "7.01", "status": "open"}
    assert hit["section"] is None
    assert hit["url"] == f"http://testserver{mint.get_absolute_url()}"
    assert hit["meeting"]["id"] == archive["meetings"]["summer"].pk
    assert "<mark>Mint</mark>" in hit["snippet"]


def test_a_meeting_hit_has_neither_section_nor_action(member_api, archive):
    autumn = archive["meetings"]["autumn"]

    (hit,) = member_api.get(SEARCH, {"q": "autumn"}).json()["results"]

    assert (hit["kind"], hit["title"]) == ("meeting", "Autumn steering")
    assert hit["section"] is None and hit["action"] is None
    assert hit["meeting"]["number"] is None
    assert hit["meeting"]["series"] == "steering"
    assert hit["url"] == f"http://testserver{autumn.get_absolute_url()}"


def test_snippets_keep_the_text_escaped_around_the_marks(member_api, archive):
    SectionFactory(
        meeting=archive["meetings"]["spring"],
        title="Markup",
        body='Counts < 5 & <script>alert("x")</script> photon flux.',
    )

    (hit,) = member_api.get(SEARCH, {"q": "photon"}).json()["results"]

    assert "<script>" not in hit["snippet"]
    assert "Counts &lt; 5 &amp;" in hit["snippet"]
    assert "<mark>photon</mark>" in hit["snippet"]


# What a query finds


def test_accents_and_capitals_do_not_matter(member_api, archive):
    götz = archive["sections"]["doi"]

    for query in ("Gotz", "GÖTZ", "jorg gotz"):
        response = member_api.get(SEARCH, {"q": query})
        assert found(response) == [section(götz)], query

    (hit,) = member_api.get(SEARCH, {"q": "Gotz"}).json()["results"]
    assert "<mark>Götz</mark>" in hit["snippet"]


def test_every_word_must_match(member_api, archive):
    response = member_api.get(SEARCH, {"q": "doi landing"})

    assert found(response) == [section(archive["sections"]["landing"])]


def test_a_phrase_matches_its_words_together(member_api, archive):
    SectionFactory(
        meeting=archive["meetings"]["summer"],
        title="Other",
        body="The policy on data retention is unchanged.",
    )

    response = member_api.get(SEARCH, {"q": '"data policy"'})

    assert found(response) == [section(archive["sections"]["policy"])]


def test_an_exclusion_leaves_rows_out(member_api, archive):
    response = member_api.get(SEARCH, {"q": "doi -landing"})

    assert set(found(response)) == {
        section(archive["sections"]["doi"]),
        ("action", archive["actions"]["mint"].pk),
    }


def test_the_series_filter_takes_a_slug(member_api, archive):
    response = member_api.get(SEARCH, {"q": "doi", "series": "steering"})

    assert found(response) == [section(archive["sections"]["doi"])]


def test_the_date_filters_are_inclusive(member_api, archive):
    within = member_api.get(
        SEARCH, {"q": "doi", "date_from": "2024-06-11", "date_to": "2024-06-11"}
    )
    after = member_api.get(SEARCH, {"q": "doi", "date_from": "2024-06-12"})
    before = member_api.get(SEARCH, {"q": "doi", "date_to": "2024-06-10"})

    assert set(found(within)) == {
        section(archive["sections"]["landing"]),
        ("action", archive["actions"]["mint"].pk),
    }
    assert found(after) == [section(archive["sections"]["doi"])]
    assert found(before) == []


def test_nothing_found_is_an_empty_page(member_api, archive):
    response = member_api.get(SEARCH, {"q": "zeppelin"})

    assert response.json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


# Who finds what


def test_members_do_not_find_drafts(member_api, archive):
    assert found(member_api.get(SEARCH, {"q": "embargoed"})) == []
    assert found(member_api.get(SEARCH, {"q": "winter"})) == []


@pytest.mark.parametrize("persona", ["scribe", "chair", "staff"])
def test_those_who_may_read_drafts_find_them(api_client, archive, persona):
    response = api_client(persona).get(SEARCH, {"q": "embargoed"})

    assert found(response) == [section(archive["sections"]["secret"])]


def test_a_logged_in_browser_session_may_search(member_client, archive):
    response = member_client.get(SEARCH, {"q": "gotz"})

    assert found(response) == [section(archive["sections"]["doi"])]


def test_anonymous_visitors_are_refused_unless_the_site_is_public(api_client, archive):
    response = api_client("anonymous").get(SEARCH, {"q": "doi"})

    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_anonymous_visitors_find_published_minutes_on_a_public_site(
    api_client, archive, settings
):
    settings.MINUTES_PUBLIC = True
    anonymous = api_client("anonymous")

    assert found(anonymous.get(SEARCH, {"q": "gotz"})) == [
        section(archive["sections"]["doi"])
    ]
    assert found(anonymous.get(SEARCH, {"q": "embargoed"})) == []


def test_search_only_reads(scribe_api, staff_api, archive):
    for client in (scribe_api, staff_api):
        assert client.post(SEARCH, {"q": "doi"}).status_code == 405
        assert client.delete(SEARCH).status_code == 405


def test_the_browsable_api_shows_results(member_client, archive):
    response = member_client.get(SEARCH, {"q": "doi"}, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert "Persistent identifiers" in response.content.decode()


# Invalid requests


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ({}, "q", "required"),
        ({"q": ""}, "q", "required"),
        ({"q": "   "}, "q", "required"),
        ({"q": "..."}, "q", "invalid"),
        ({"q": "x" * 201}, "q", "max_length"),
        ({"q": " ".join(f"w{n}" for n in range(13))}, "q", "invalid"),
        ({"q": "-draft -landing"}, "q", "invalid"),
        ({"q": "doi\x00"}, "q", "null_characters_not_allowed"),
        ({"q": "doi", "date_from": "2024-13-45"}, "date_from", "invalid"),
        ({"q": "doi", "date_to": "soon"}, "date_to", "invalid"),
        ({"q": "doi", "series": "no-such-series"}, "series", "invalid_choice"),
        (
            {"q": "doi", "series": "steer\x00ing"},
            "series",
            "null_characters_not_allowed",
        ),
        (
            {"q": "doi", "date_from": "2024-06-12", "date_to": "2024-06-11"},
            "date_to",
            "invalid",
        ),
        ({"q": "doi", "colour": "blue"}, "colour", "unknown_parameter"),
        ({"q": "doi", "ordering": "rank"}, "ordering", "unknown_parameter"),
    ],
)
def test_an_invalid_request_is_a_400_naming_the_parameter(
    member_api, archive, query, field, code
):
    response = member_api.get(SEARCH, query)

    assert errors_of(response) == [("query", field, code)]


def test_every_invalid_parameter_is_listed(member_api, archive):
    response = member_api.get(
        SEARCH, {"date_from": "never", "series": "nope", "colour": "blue"}
    )

    assert sorted(errors_of(response)) == [
        ("query", "colour", "unknown_parameter"),
        ("query", "date_from", "invalid"),
        ("query", "q", "required"),
        ("query", "series", "invalid_choice"),
    ]


def test_the_messages_say_why(member_api, archive):
    def message(query):
        (error,) = member_api.get(SEARCH, query).json()["errors"]
        return error["message"]

    assert "Type a word or a phrase" in message({})
    assert "at most 200 characters" in message({"q": "x" * 201})
    assert "only -exclusions" in message({"q": "-draft"})
    assert "end date is before the start date" in message(
        {"q": "doi", "date_from": "2024-06-12", "date_to": "2024-06-11"}
    )
    assert "Search takes: date_from, date_to, format, page, page_size, q, series" in (
        message({"q": "doi", "colour": "blue"})
    )


# Pages


def test_results_come_in_pages_like_every_list(member_api, archive):
    first = member_api.get(SEARCH, {"q": "doi", "page_size": 2}).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/search/?")
    assert "page=2" in first["next"] and "q=doi" in first["next"]

    second = member_api.get(first["next"]).json()

    assert second["count"] == 3
    assert second["next"] is None
    assert second["previous"] is not None
    assert len(second["results"]) == 1
    seen = [hit["url"] for hit in first["results"] + second["results"]]
    assert len(set(seen)) == 3


@pytest.mark.parametrize("page", [9, "9" * 25, 0, -1])
def test_a_page_beyond_the_last_is_a_404(member_api, archive, page):
    response = member_api.get(SEARCH, {"q": "doi", "page": page})

    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_the_query_count_does_not_grow_with_the_hits(member_api, archive):
    spring = archive["meetings"]["spring"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = member_api.get(SEARCH, {"q": "cryostat", "page_size": 100})
        assert response.status_code == 200
        return len(captured)

    def add_sections(count: int) -> None:
        for _ in range(count):
            SectionFactory(meeting=spring, title="Cryostat", body="Cryostat cooled.")
        # A meeting and an action among the hits, so all three kinds load.
        MeetingFactory(series=spring.series, title="Cryostat review")
        ActionItemFactory(meeting=spring, description="Order a cryostat seal.")

    add_sections(5)
    few = queries()
    add_sections(35)
    many = queries()

    assert member_api.get(SEARCH, {"q": "cryostat"}).json()["count"] == 44
    assert few == many
