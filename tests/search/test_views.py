"""The search page and the search box on every page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ActionItemFactory, MeetingFactory, SectionFactory

SEARCH = reverse("meetings:search")


def test_every_page_has_the_search_box(member_client, archive):
    for url in (reverse("meetings:home"), reverse("meetings:meeting-list")):
        page = member_client.get(url).content.decode()

        assert f'action="{SEARCH}"' in page
        assert 'name="q"' in page


def test_the_page_lists_ranked_hits_with_their_meetings(member_client, archive):
    response = member_client.get(SEARCH, {"q": "doi"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "3 results for <strong>doi</strong>" in page
    assert "<mark>DOI</mark>" in page
    assert "Action 7.01" in page
    assert archive["meetings"]["autumn"].get_absolute_url() in page
    assert archive["sections"]["doi"].get_absolute_url() in page


def test_the_search_box_keeps_the_query_on_the_results_page(member_client, archive):
    page = member_client.get(SEARCH, {"q": "gotz -landing"}).content.decode()

    assert 'value="gotz -landing"' in page


def test_members_do_not_see_drafts_in_results(member_client, archive):
    page = member_client.get(SEARCH, {"q": "embargoed"}).content.decode()

    assert "0 results" in page
    assert "Budget" not in page


def test_scribes_find_drafts_marked_as_such(persona_client, archive):
    page = persona_client("scribe").get(SEARCH, {"q": "embargoed"}).content.decode()

    assert "1 result for" in page
    assert "Budget" in page
    assert 'class="badge draft"' in page


def test_anonymous_visitors_are_sent_to_log_in(client, archive):
    response = client.get(SEARCH, {"q": "doi"})

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_empty_query_shows_the_form_only(member_client, archive):
    response = member_client.get(SEARCH, {"q": "  "})

    assert response.status_code == 200
    assert "result" not in response.content.decode().split("</form>")[-1]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "-draft"}, "as well as what to leave out"),
        ({"q": "doi " * 60}, "at most 200 characters"),
        ({"q": "!!! ---"}, "Type a word or a phrase"),
        ({"q": "doi", "series": "no-such-series"}, "Select a valid choice"),
        ({"q": "doi", "date_from": "2024-02-30"}, "Enter a valid date"),
        (
            {"q": "doi", "date_from": "2024-06-01", "date_to": "2024-01-01"},
            "The end date is before the start date",
        ),
    ],
)
def test_bad_input_is_explained_not_a_server_error(
    member_client, archive, params, message
):
    response = member_client.get(SEARCH, params)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Correct the search above" in page


def test_an_unbalanced_quote_still_searches(member_client, archive):
    page = member_client.get(SEARCH, {"q": '"data policy'}).content.decode()

    assert "1 result for" in page
    assert "Data policy" in page


def test_filters_by_series_and_date_on_the_page(member_client, archive, steering):
    page = member_client.get(
        SEARCH, {"q": "doi", "series": "steering", "date_from": "2024-01-01"}
    ).content.decode()

    assert "1 result for" in page


# As everywhere on the site (``Paginator.get_page``): not a number, the first
# page; out of range, however far, the last.
@pytest.mark.parametrize(
    "page_number, shown, hits",
    [
        ("2", 2, 5),
        ("999", 2, 5),
        ("9" * 25, 2, 5),
        ("0", 2, 5),
        ("-1", 2, 5),
        ("abc", 1, 25),
    ],
)
def test_any_page_number_shows_a_page_with_its_hits(
    member_client, steering, page_number, shown, hits
):
    meeting = MeetingFactory(series=steering)
    for n in range(30):
        SectionFactory(meeting=meeting, title=f"Shutdown {n}", body="-")

    response = member_client.get(SEARCH, {"q": "shutdown", "page": page_number})

    assert response.status_code == 200
    assert "30 results" in response.content.decode()
    assert response.context["page_obj"].number == shown
    assert len(response.context["hits"]) == hits


def test_the_page_costs_the_same_queries_for_few_and_many_hits(member_client, steering):
    def queries_for(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert member_client.get(url).status_code == 200
        return len(captured)

    meeting = MeetingFactory(series=steering)
    SectionFactory(meeting=meeting, title="Magnet 0", body="Magnet quench.")
    few = queries_for(f"{SEARCH}?q=magnet")
    for n in range(1, 40):
        SectionFactory(meeting=meeting, title=f"Magnet {n}", body="Magnet quench.")

    assert queries_for(f"{SEARCH}?q=magnet") == few
    assert few <= 10


def test_hits_of_every_kind_cost_no_query_each(scribe_client, steering):
    """Meetings, sections and actions, drafts among them: what each hit shows
    (its meeting, series, status badge) is loaded with the page's rows."""

    def queries_for(url) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = scribe_client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    def add(n):
        meeting = MeetingFactory(
            series=steering, title=f"Magnet review {n}", status="draft"
        )
        SectionFactory(meeting=meeting, title="Magnet", body="Magnet quench.")
        ActionItemFactory(meeting=meeting, description="Order a magnet")

    add(0)
    few, page = queries_for(f"{SEARCH}?q=magnet")
    assert "Draft" in page and "Action " in page
    for n in range(1, 8):
        add(n)

    many, page = queries_for(f"{SEARCH}?q=magnet")
    assert many == few
    assert page.count("<mark>") >= 20
