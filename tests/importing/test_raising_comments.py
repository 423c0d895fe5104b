"""A comment made at the meeting that raised an action is shown with the raised
action, once, on the meeting's page and in its Markdown export."""

from textwrap import dedent

import pytest

from meetings.exporting.markdown import export_meeting
from meetings.importing.parser import parse_minutes
from meetings.importing.writer import write_minutes
from meetings.models import Meeting

RAISING = """\
---
title: Meeting 5
date: 2021-05-05
---

## Actions

| Ref | Description | Owners | Status | Comment |
| --- | --- | --- | --- | --- |
| 5.01 | Label the spare tapes | AE | In progress | half of them done |
"""
REVIEWING = """\
---
title: Meeting 6
date: 2021-06-06
---

## Actions

| Ref | Description | Owners | Status | Comment |
| --- | --- | --- | --- | --- |
| 5.01 | Label the spare tapes | AE | Done | all labelled |
"""


def action_lists(page: str) -> str:
    """The page after the minutes' text, which quotes the action tables."""
    return page.split('aria-labelledby="minutes-heading"')[1].split("</section>", 1)[1]


@pytest.fixture
def meetings(monthly, directory_people):
    written = [
        write_minutes(parse_minutes(dedent(text)), source=name, series=monthly)
        for name, text in (("m5.md", RAISING), ("m6.md", REVIEWING))
    ]
    return [result.meeting for result in written]


def test_the_raising_meeting_shows_its_comment_with_the_raised_action(
    staff_client, meetings
):
    page = action_lists(
        staff_client.get(meetings[0].get_absolute_url()).content.decode()
    )

    assert "Actions reviewed" not in page
    assert page.count("Label the spare tapes") == 1
    assert '<td data-label="Comment">half of them done</td>' in page


def test_a_later_meeting_lists_the_action_as_reviewed(staff_client, meetings):
    page = action_lists(
        staff_client.get(meetings[1].get_absolute_url()).content.decode()
    )

    assert "Actions reviewed" in page
    assert page.count("Label the spare tapes") == 1
    assert "all labelled" in page
    assert "No actions were raised at this meeting." in page


def test_the_export_lists_the_action_once_with_its_raising_comment(meetings):
    meeting = meetings[0]
    # A site edit drops the table from the text, so the exporter writes the
    # action itself.
    section = meeting.sections.get()
    section.body = "Discussed at length."
    section.save()

    text = export_meeting(Meeting.objects.with_tree().get(pk=meeting.pk))

    assert text.count("Label the spare tapes") == 1
    assert (
        "| 5.01 | Label the spare tapes | Ada Example | In progress | "
        "half of them done |  |"
    ) in text
