"""Marking an action superseded by another: links both ways, no loops."""

import pytest
from django.urls import reverse

from meetings import reviewing
from meetings.models import ActionItem, ActionLink, ActionUpdate
from meetings.reviewing import ReviewChange
from tests.factories import ActionItemFactory

Status = ActionItem.Status


def supersede_url(action):
    return reverse("meetings:action-supersede", args=[action.pk])


def post_supersede(client, action, successor_reference, version=None):
    data = {"successor": successor_reference, "version": version or action.version}
    return client.post(supersede_url(action), data)


def test_superseding_sets_status_successor_and_a_link(raised, chair_client):
    old, new = raised[0], raised[1]

    response = post_supersede(chair_client, old, "1.02")

    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.status, old.superseded_by) == (Status.SUPERSEDED, new)
    assert old.closed_on is not None
    link = ActionLink.objects.get()
    assert (link.source, link.target, link.kind) == (old, new, "subsumed_by")


def test_both_action_pages_link_each_other(raised, chair_client, member_client):
    old, new = raised[0], raised[1]
    post_supersede(chair_client, old, "1.02")

    old_page = member_client.get(old.get_absolute_url()).content.decode()
    new_page = member_client.get(new.get_absolute_url()).content.decode()

    assert f'href="{new.get_absolute_url()}">1.02</a>' in old_page
    assert "Superseded by" in old_page
    assert "Supersedes" in new_page
    assert f'href="{old.get_absolute_url()}">1.01</a>' in new_page


def test_the_action_page_offers_the_form_to_chairs_only(
    raised, chair_client, scribe_client, member_client
):
    url = raised[0].get_absolute_url()

    assert supersede_url(raised[0]) in chair_client.get(url).content.decode()
    assert supersede_url(raised[0]) not in scribe_client.get(url).content.decode()
    assert supersede_url(raised[0]) not in member_client.get(url).content.decode()


def test_an_action_cannot_supersede_itself(raised, chair_client):
    response = post_supersede(chair_client, raised[0], "1.01")

    assert response.status_code == 200
    assert "An action cannot supersede itself." in response.content.decode()
    assert not ActionLink.objects.exists()


def test_a_loop_of_superseding_is_refused(raised, chair_client):
    first, second, third = raised
    post_supersede(chair_client, first, "1.02")
    post_supersede(chair_client, second, "1.03")
    first.refresh_from_db()

    response = post_supersede(chair_client, third, "1.01")

    assert response.status_code == 200
    assert "would make a loop" in response.content.decode()
    assert "1.01 → 1.02 → 1.03" in response.content.decode()
    third.refresh_from_db()
    assert third.status == Status.OPEN
    assert ActionLink.objects.count() == 2


def test_an_unknown_reference_is_refused_with_its_series(raised, chair_client):
    response = post_supersede(chair_client, raised[0], "9.99")

    assert response.status_code == 200
    assert "There is no action &#x27;9.99&#x27; in Sample collaboration call" in (
        response.content.decode()
    )


def test_an_action_of_another_series_cannot_be_named_by_reference(raised, chair_client):
    ActionItemFactory(reference="7.01")

    response = post_supersede(chair_client, raised[0], "7.01")

    assert "There is no action" in response.content.decode()
    assert not ActionLink.objects.exists()


def test_a_stale_superseding_is_refused(raised, chair_client):
    action = raised[0]
    version = action.version
    action.description = "Reworded meanwhile"
    action.save()

    response = post_supersede(chair_client, action, "1.02", version=version)

    assert response.status_code == 409
    assert "changed since you opened this page" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Status.OPEN


def test_superseding_again_moves_the_link_to_the_new_successor(raised, chair_client):
    old = raised[0]
    post_supersede(chair_client, old, "1.02")
    old.refresh_from_db()

    post_supersede(chair_client, old, "1.03")

    old.refresh_from_db()
    assert old.superseded_by == raised[2]
    assert list(ActionLink.objects.values_list("target__reference", flat=True)) == [
        "1.03"
    ]


@pytest.mark.parametrize("persona", ["scribe", "member"])
def test_only_chairs_may_supersede(raised, persona_client, persona):
    response = post_supersede(persona_client(persona), raised[0], "1.02")

    assert response.status_code == 403
    assert not ActionLink.objects.exists()


def test_reopening_a_superseded_action_in_a_review_forgets_its_successor(
    meetings, raised, chair
):
    old = raised[0]
    reviewing.supersede(old, raised[1], chair, old.version)
    old.refresh_from_db()

    reviewing.record_review(
        meetings[1], [ReviewChange(old.pk, old.version, Status.OPEN, "Back on")], chair
    )

    old.refresh_from_db()
    assert (old.status, old.superseded_by) == (Status.OPEN, None)
    assert not ActionLink.objects.exists()
    assert ActionUpdate.objects.get().status == Status.OPEN


def test_the_review_refuses_superseded_without_a_successor(meetings, raised, chair):
    action = raised[0]
    change = ReviewChange(action.pk, action.version, Status.SUPERSEDED)

    with pytest.raises(reviewing.ReviewError, match="use the form on its page"):
        reviewing.record_review(meetings[1], [change], chair)

    assert not ActionUpdate.objects.exists()
