"""The chair's review of open actions at a meeting: page, formset and service."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from meetings import reviewing
from meetings.models import ActionItem, ActionUpdate
from meetings.reviewing import ReviewChange
from tests.factories import (
    ActionItemFactory,
    ActionUpdateFactory,
    MeetingFactory,
    PersonFactory,
)

Status = ActionItem.Status


def review_url(meeting, group="owner", page=None):
    url = reverse("meetings:meeting-review", args=[meeting.pk]) + f"?group={group}"
    return url if page is None else f"{url}&page={page}"


def review_data(client, meeting, edits=None, group="owner", page=None):
    """The review form as the page rendered it, with ``edits`` by reference."""
    response = client.get(review_url(meeting, group, page))
    assert response.status_code == 200
    formset = response.context["formset"]
    data = {
        f"{formset.prefix}-{key}": value
        for key, value in formset.management_form.initial.items()
    }
    for form in formset.forms:
        values = dict(form.initial)
        values.update((edits or {}).get(form.action_item.reference, {}))
        for name, value in values.items():
            data[form.add_prefix(name)] = value
    return data


def listed(meeting, user):
    return sorted(a.reference for a in reviewing.review_rows(meeting, user))


# What the review lists


def test_review_lists_actions_open_before_the_meeting_from_earlier_meetings(
    meetings, raised, chair
):
    second = meetings[1]
    ActionItemFactory(meeting=second, reference="2.01")  # raised here: not reviewed

    assert listed(second, chair) == ["1.01", "1.02", "1.03"]


def test_an_action_closed_at_one_meeting_is_not_reviewed_at_the_next(
    meetings, raised, chair
):
    second, third = meetings[1], meetings[2]
    change = ReviewChange(raised[0].pk, raised[0].version, Status.DONE, "Finished.")

    reviewing.record_review(second, [change], chair)

    assert "1.01" in listed(second, chair)
    assert listed(third, chair) == ["1.02", "1.03"]


def test_an_action_reopened_later_is_reviewed_again(meetings, raised, chair):
    action = raised[0]
    ActionUpdateFactory(action=action, meeting=meetings[1], status=Status.DONE)
    fourth = MeetingFactory(series=action.series, date=datetime.date(2024, 6, 1))
    ActionUpdateFactory(action=action, meeting=meetings[2], status=Status.OPEN)

    assert "1.01" not in listed(meetings[2], chair)
    assert "1.01" in listed(fourth, chair)


def test_an_action_closed_when_raised_is_not_reviewed(meetings, chair):
    ActionItemFactory(
        meeting=meetings[0],
        status=Status.DONE,
        closed_at=meetings[0],
        closed_on=meetings[0].date,
    )

    assert listed(meetings[1], chair) == []


def test_the_review_skips_actions_of_other_series(meetings, raised, chair):
    ActionItemFactory(meeting=MeetingFactory(date=datetime.date(2024, 1, 1)))

    assert listed(meetings[1], chair) == ["1.01", "1.02", "1.03"]


# Recording it


def test_saving_the_review_records_updates_at_that_meeting(
    meetings, raised, chair, chair_client
):
    second = meetings[1]
    data = review_data(
        chair_client,
        second,
        {
            "1.01": {"status": Status.DONE, "comment": "Sent to all sites."},
            "1.02": {"comment": "Waiting for quotes."},
        },
    )

    response = chair_client.post(review_url(second), data)

    assert response.status_code == 302
    updates = {u.action.reference: u for u in ActionUpdate.objects.all()}
    assert set(updates) == {"1.01", "1.02"}
    assert updates["1.01"].meeting == second
    assert updates["1.01"].status == Status.DONE
    assert updates["1.01"].created_by == chair
    assert updates["1.02"].status == Status.OPEN
    assert updates["1.02"].comment == "Waiting for quotes."
    closed = ActionItem.objects.get(reference="1.01")
    assert (closed.status, closed.closed_at, closed.closed_on) == (
        Status.DONE,
        second,
        second.date,
    )


def test_saving_the_review_twice_updates_rather_than_duplicates(
    meetings, raised, chair_client
):
    second = meetings[1]
    edits = {"1.03": {"status": Status.IN_PROGRESS, "comment": "Started."}}
    chair_client.post(review_url(second), review_data(chair_client, second, edits))
    edits = {"1.03": {"comment": "Started, half done."}}

    chair_client.post(review_url(second), review_data(chair_client, second, edits))

    update = ActionUpdate.objects.get()
    assert (update.status, update.comment) == (
        Status.IN_PROGRESS,
        "Started, half done.",
    )


def test_reopening_an_action_clears_where_and_when_it_was_closed(
    meetings, raised, chair
):
    action, second = raised[0], meetings[1]
    reviewing.record_review(
        second, [ReviewChange(action.pk, action.version, Status.DONE)], chair
    )
    action.refresh_from_db()

    reviewing.record_review(
        second,
        [ReviewChange(action.pk, action.version, Status.OPEN, "Not yet.")],
        chair,
    )

    action.refresh_from_db()
    assert (action.status, action.closed_at, action.closed_on) == (
        Status.OPEN,
        None,
        None,
    )


def test_a_late_review_of_an_older_meeting_keeps_the_later_status(
    meetings, raised, chair
):
    action = raised[0]
    reviewing.record_review(
        meetings[2], [ReviewChange(action.pk, action.version, Status.DONE)], chair
    )
    action.refresh_from_db()

    reviewing.record_review(
        meetings[1],
        [ReviewChange(action.pk, action.version, Status.IN_PROGRESS, "Then")],
        chair,
    )

    action.refresh_from_db()
    assert action.status == Status.DONE
    assert action.closed_at == meetings[2]
    assert action.updates.get(meeting=meetings[1]).status == Status.IN_PROGRESS


def test_the_grouping_toggle_does_not_change_what_is_saved(
    meetings, raised, chair_client
):
    second = meetings[1]
    edits = {"1.03": {"status": Status.DROPPED, "comment": "No longer needed."}}
    data = review_data(chair_client, second, edits, group="organisation")

    response = chair_client.post(review_url(second, "organisation"), data)

    assert response.status_code == 302
    assert ActionUpdate.objects.get().action.reference == "1.03"


def test_the_page_groups_actions_by_owner_or_by_organisation(
    meetings, raised, chair_client
):
    by_owner = chair_client.get(review_url(meetings[1], "owner"))
    by_organisation = chair_client.get(review_url(meetings[1], "organisation"))

    assert [label for label, _ in by_owner.context["groups"]] == [
        "Ada Example",
        "Bo Placeholder",
    ]
    assert [label for label, _ in by_organisation.context["groups"]] == [
        "NORTHLAB",
        "SOUTHLAB",
    ]


def test_the_meeting_page_shows_what_its_review_recorded(
    meetings, raised, chair, member_client
):
    action = raised[1]
    reviewing.record_review(
        meetings[1],
        [ReviewChange(action.pk, action.version, Status.DONE, "Report filed")],
        chair,
    )

    response = member_client.get(meetings[1].get_absolute_url())

    assert "Report filed" in response.content.decode()
    (update,) = response.context["meeting"].action_updates.all()
    assert update.action == action


# Refusals: nothing is written


def test_a_stale_review_is_refused_and_saves_nothing(meetings, raised, chair_client):
    second = meetings[1]
    data = review_data(
        chair_client,
        second,
        {
            "1.01": {"status": Status.DONE},
            "1.02": {"status": Status.DONE},
        },
    )
    # Someone else edits 1.02 after the page was loaded.
    other = ActionItem.objects.get(reference="1.02")
    other.description = "Sample task 2, reworded"
    other.save()

    response = chair_client.post(review_url(second), data)

    assert response.status_code == 409
    assert "1.02 changed since you opened this page" in response.content.decode()
    assert not ActionUpdate.objects.exists()
    assert ActionItem.objects.get(reference="1.01").status == Status.OPEN


def test_a_review_naming_an_action_no_longer_under_review_is_refused(
    meetings, raised, chair_client
):
    second = meetings[1]
    data = review_data(chair_client, second, {"1.01": {"status": Status.DONE}})
    # Meanwhile the first meeting's record says 1.02 was done there already.
    ActionUpdateFactory(action=raised[1], meeting=meetings[0], status=Status.DONE)

    response = chair_client.post(review_url(second), data)

    assert response.status_code == 409
    assert "changed since you opened this page" in response.content.decode()
    assert not ActionUpdate.objects.filter(meeting=second).exists()
    # The current page is shown: without 1.02, nothing of what was typed.
    shown = [form.action_item.reference for form in response.context["formset"]]
    assert shown == ["1.01", "1.03"]
    assert not response.context["formset"].is_bound


def test_an_action_added_elsewhere_meanwhile_does_not_stop_the_save(
    meetings, raised, chair_client
):
    second = meetings[1]
    data = review_data(chair_client, second, {"1.01": {"status": Status.DONE}})
    ActionItemFactory(meeting=meetings[0], reference="1.00")

    response = chair_client.post(review_url(second), data)

    assert response.status_code == 302
    assert ActionUpdate.objects.get().action.reference == "1.01"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("status", "finished", "Select a valid choice"),
        ("status", Status.SUPERSEDED, "Select a valid choice"),
        ("comment", "x" * 2001, "at most 2000 characters"),
        ("version", "not a number", "Enter a whole number"),
    ],
)
def test_bad_values_in_the_review_are_shown_and_save_nothing(
    meetings, raised, chair_client, field, value, message
):
    second = meetings[1]
    data = review_data(chair_client, second, {"1.01": {"status": Status.DONE}})
    data["review-1-" + field] = value

    response = chair_client.post(review_url(second), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_a_review_without_its_management_form_is_refused(
    meetings, raised, chair_client
):
    response = chair_client.post(review_url(meetings[1]), {"review-0-status": "done"})

    assert response.status_code == 400
    assert "the form arrived incomplete" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_the_service_refuses_actions_outside_the_review(meetings, raised, chair):
    elsewhere = ActionItemFactory()

    with pytest.raises(reviewing.ReviewError, match="were not raised"):
        reviewing.record_review(
            meetings[1],
            [
                ReviewChange(raised[0].pk, raised[0].version, Status.DONE),
                ReviewChange(elsewhere.pk, elsewhere.version, Status.DONE),
            ],
            chair,
        )

    assert not ActionUpdate.objects.exists()


def test_the_service_refuses_a_scribe(meetings, raised, scribe):
    change = ReviewChange(raised[0].pk, raised[0].version, Status.DONE)

    with pytest.raises(PermissionDenied):
        reviewing.record_review(meetings[1], [change], scribe)


def test_the_review_page_of_a_meeting_without_open_actions_says_so(
    meetings, chair_client
):
    response = chair_client.get(review_url(meetings[0]))

    assert "No action was open when this meeting began." in response.content.decode()


# Paging: the review in pages, ordered by group in the database


@pytest.fixture
def paged(settings, meetings, raised, owners):
    """Nine actions to review at the second meeting, three a page.

    By owner: aaron lower (1.09); Ada Example (1.01, 1.02, 1.08); Bo
    Placeholder (1.03, 1.04, 1.05); SOUTHLAB, an organisation alone (1.07); and
    last the action with no owner at all (1.06).
    """
    settings.MINUTES_REVIEW_PAGE_SIZE = 3
    first = meetings[0]
    ada, bo = owners["ada"], owners["bo"]
    south = bo.organisation
    aaron = PersonFactory(name="aaron lower", organisation=None)
    for reference, kwargs in [
        ("1.04", {"owners": [bo]}),
        ("1.05", {"owners": [bo]}),
        ("1.06", {}),
        ("1.07", {"owner_organisation": south}),
        ("1.08", {"owners": [bo, ada]}),  # first owner by name: Ada
        ("1.09", {"owners": [aaron]}),
    ]:
        ActionItemFactory(meeting=first, reference=reference, **kwargs)
    return meetings[1]


def shown(response):
    """The page's headings, each with the references under it."""
    headings = [
        (label, [form.action_item.reference for form in forms])
        for label, forms in response.context["groups"]
    ]
    return headings, response.context["continued"]


def test_the_review_is_paged_in_group_order(paged, chair_client):
    pages = [chair_client.get(review_url(paged, "owner", page)) for page in (1, 2, 3)]

    assert [shown(response) for response in pages] == [
        ([("aaron lower", ["1.09"]), ("Ada Example", ["1.01", "1.02"])], False),
        ([("Ada Example", ["1.08"]), ("Bo Placeholder", ["1.03", "1.04"])], True),
        (
            [
                ("Bo Placeholder", ["1.05"]),
                ("SOUTHLAB", ["1.07"]),
                ("No owner", ["1.06"]),
            ],
            True,
        ),
    ]
    second = pages[1].content.decode()
    assert "Ada Example (continued) (1)" in second
    assert "Bo Placeholder (2)" in second
    assert "9 actions to review" in second
    assert "Page 2 of 3" in second


def test_paging_by_organisation_puts_those_without_one_last(paged, chair_client):
    pages = [
        chair_client.get(review_url(paged, "organisation", page)) for page in (1, 2, 3)
    ]

    assert [shown(response) for response in pages] == [
        ([("NORTHLAB", ["1.01", "1.02", "1.08"])], False),
        ([("SOUTHLAB", ["1.03", "1.04", "1.05"])], False),
        ([("SOUTHLAB", ["1.07"]), ("No organisation", ["1.06", "1.09"])], True),
    ]


def test_page_links_and_the_form_keep_the_grouping(paged, chair_client):
    response = chair_client.get(review_url(paged, "organisation", 2))
    html = response.content.decode()

    assert 'href="?group=organisation&amp;page=1" rel="prev"' in html
    assert 'href="?group=organisation&amp;page=3" rel="next"' in html
    assert response.context["form_action"].endswith("?group=organisation&page=2")
    first = chair_client.get(review_url(paged, "organisation"))
    assert first.context["form_action"].endswith("?group=organisation")


# As everywhere on the site (``Paginator.get_page``): not a number, the first
# page; a number out of range, the last.
@pytest.mark.parametrize(
    ("page", "number"), [("abc", 1), ("", 1), ("0", 3), ("-2", 3), ("999", 3)]
)
def test_a_bad_page_number_shows_a_page(paged, chair_client, page, number):
    response = chair_client.get(review_url(paged, "owner", page))

    assert response.status_code == 200
    assert response.context["page_obj"].number == number


def test_saving_a_page_records_only_its_rows_and_comes_back_to_it(
    paged, chair, chair_client
):
    edits = {
        "1.08": {"status": Status.DONE, "comment": "Done by Ada."},
        "1.04": {"comment": "Next month."},
    }
    data = review_data(chair_client, paged, edits, page=2)

    response = chair_client.post(review_url(paged, page=2), data)

    assert response.status_code == 302
    assert response["Location"].endswith("?group=owner&page=2")
    updates = ActionUpdate.objects.filter(meeting=paged)
    assert sorted(u.action.reference for u in updates) == ["1.04", "1.08"]
    assert ActionItem.objects.get(reference="1.08").status == Status.DONE
    follow = chair_client.get(response["Location"])
    assert "Recorded 2 update(s)" in follow.content.decode()


def test_save_and_show_the_next_page_saves_then_moves_on(paged, chair_client):
    page = chair_client.get(review_url(paged, page=2)).content.decode()
    assert '<button type="submit" name="then" value="3">Save and show page 3' in page
    data = review_data(chair_client, paged, {"1.04": {"comment": "Later."}}, page=2)

    response = chair_client.post(review_url(paged, page=2), {**data, "then": "3"})

    assert response.status_code == 302
    assert response["Location"].endswith("?group=owner&page=3")
    assert ActionUpdate.objects.get(meeting=paged).comment == "Later."
    last = chair_client.get(review_url(paged, page=3)).content.decode()
    assert 'name="then"' not in last  # no page after the last


@pytest.mark.parametrize("then", ["x", "", "-1", "9" * 12])
def test_a_garbled_next_page_goes_back_to_the_page_saved(paged, chair_client, then):
    data = review_data(chair_client, paged, page=2)

    response = chair_client.post(review_url(paged, page=2), {**data, "then": then})

    assert response.status_code == 302
    assert response["Location"].endswith("?group=owner&page=2")


def test_a_page_saves_its_rows_even_when_an_earlier_page_shrank(
    paged, meetings, chair_client
):
    data = review_data(chair_client, paged, {"1.03": {"status": Status.DONE}}, page=2)
    # 1.09, on page 1, leaves the review: every later row moves up one place.
    ActionUpdateFactory(
        action=ActionItem.objects.get(reference="1.09"),
        meeting=meetings[0],
        status=Status.DONE,
    )

    response = chair_client.post(review_url(paged, page=2), data)

    assert response.status_code == 302
    assert ActionUpdate.objects.get(meeting=paged).action.reference == "1.03"


def test_an_unchanged_page_records_nothing(paged, chair_client):
    data = review_data(chair_client, paged, page=3)

    response = chair_client.post(review_url(paged, page=3), data, follow=True)

    assert "Nothing changed, so nothing was recorded." in response.content.decode()
    assert response.context["page_obj"].number == 3
    assert not ActionUpdate.objects.filter(meeting=paged).exists()


def _outsider(meetings):
    """Actions a tampered form might name that this review does not list."""
    return {
        "of another series": lambda: ActionItemFactory(),
        "raised at this meeting": lambda: ActionItemFactory(meeting=meetings[1]),
        "raised later": lambda: ActionItemFactory(meeting=meetings[2]),
    }


@pytest.mark.parametrize(
    "kind", ["of another series", "raised at this meeting", "raised later", "deleted"]
)
def test_a_page_naming_an_action_outside_the_review_is_refused(
    paged, meetings, chair_client, kind
):
    data = review_data(chair_client, paged, {"1.03": {"status": Status.DONE}}, page=2)
    if kind == "deleted":
        ActionItem.objects.get(reference="1.04").delete()
    else:
        outsider = _outsider(meetings)[kind]()
        data["review-2-action"] = outsider.pk
        data["review-2-version"] = outsider.version

    response = chair_client.post(review_url(paged, page=2), data)

    assert response.status_code == 409
    assert "changed since you opened this page" in response.content.decode()
    assert response.context["page_obj"].number == 2
    assert not ActionUpdate.objects.exists()
    assert ActionItem.objects.get(reference="1.03").status == Status.OPEN


@pytest.mark.parametrize(
    "tamper",
    [
        "id not a number",
        "id negative",
        "id missing",
        "id repeated",
        "id huge",
        "too many rows",
        "total not a number",
        "initial forms missing",
    ],
)
def test_a_garbled_page_is_refused_with_400(paged, chair_client, tamper):
    data = review_data(chair_client, paged, {"1.03": {"status": Status.DONE}}, page=2)
    if tamper == "id not a number":
        data["review-1-action"] = "1.04"
    elif tamper == "id negative":
        data["review-1-action"] = "-4"
    elif tamper == "id missing":
        del data["review-1-action"]
    elif tamper == "id repeated":
        data["review-1-action"] = data["review-0-action"]
    elif tamper == "id huge":
        data["review-1-action"] = "9" * 5000
    elif tamper == "too many rows":
        # A fourth row, naming an action that is under review, on page 1.
        extra = ActionItem.objects.get(reference="1.01")
        data.update(
            {
                "review-TOTAL_FORMS": 4,
                "review-3-action": extra.pk,
                "review-3-version": extra.version,
                "review-3-status": Status.DONE,
            }
        )
    elif tamper == "total not a number":
        data["review-TOTAL_FORMS"] = "three"
    elif tamper == "initial forms missing":
        del data["review-INITIAL_FORMS"]

    response = chair_client.post(review_url(paged, page=2), data)

    assert response.status_code == 400
    assert "the form arrived incomplete" in response.content.decode()
    assert not ActionUpdate.objects.exists()
    assert ActionItem.objects.get(reference="1.03").status == Status.OPEN


def test_a_stale_page_is_refused_and_keeps_what_was_typed(paged, chair_client):
    edits = {
        "1.03": {"status": Status.DONE, "comment": "Typed by the chair."},
        "1.04": {"comment": "Also typed."},
    }
    data = review_data(chair_client, paged, edits, page=2)
    other = ActionItem.objects.get(reference="1.04")
    other.description = "Reworded meanwhile"
    other.save()

    response = chair_client.post(review_url(paged, page=2), data)

    assert response.status_code == 409
    html = response.content.decode()
    assert "1.04 changed since you opened this page" in html
    assert "Typed by the chair." in html
    assert "Also typed." in html
    assert response.context["continued"] is True
    assert response.context["form_action"].endswith("?group=owner&page=2")
    assert not ActionUpdate.objects.exists()
    assert ActionItem.objects.get(reference="1.03").status == Status.OPEN
