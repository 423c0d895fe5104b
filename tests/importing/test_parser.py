"""Behaviour of the minutes parser on small, made-up fixtures.

Every fixture here is invented; the real archive is only read by
``test_corpus.py``.
"""

# En dashes are data here: minutes use them as separators.
# ruff: noqa: RUF001

from __future__ import annotations

import datetime
import json
from textwrap import dedent

import pytest

from meetings.importing.dates import parse_date_value, parse_time_value
from meetings.importing.parser import (
    MinutesParseError,
    ParsedMinutes,
    parse_minutes,
    parse_minutes_bytes,
    series_from_path,
)


def parse(text: str, **kwargs) -> ParsedMinutes:
    return parse_minutes(dedent(text).lstrip("\n"), **kwargs)


def people(result: ParsedMinutes, status: str) -> list[str]:
    return result.names_with_status(status)


# Front matter ----------------------------------------------------------------


def test_front_matter_title_date_chair_and_scribe_are_read():
    result = parse(
        """
        ---
        title: Meeting 7 – 3 March 2021
        date: 2021-03-03
        chair: Ada Example
        scribe: Bram Sample, Cleo Person
        ---

        Body text.
        """
    )
    assert result.title == "Meeting 7 – 3 March 2021"
    assert result.date == datetime.date(2021, 3, 3)
    assert result.number == 7
    assert result.chair == ["Ada Example"]
    assert result.scribe == ["Bram Sample", "Cleo Person"]
    assert result.preamble == "Body text."
    assert result.warnings == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Ada Example / Bram Sample", ["Ada Example", "Bram Sample"]),
        ("Ada & Bram", ["Ada", "Bram"]),
        ("Ada and Bram", ["Ada", "Bram"]),
        ("[Ada, Bram]", ["Ada", "Bram"]),
        ("Ada?", ["Ada?"]),
    ],
)
def test_chair_and_scribe_are_split_into_names(written, expected):
    result = parse(f"---\ntitle: T\nchair: {written}\nscribe: {written}\n---\n")
    assert result.chair == expected
    assert result.scribe == expected


def test_empty_chair_and_scribe_are_none():
    result = parse("---\ntitle: T\nchair:\nscribe: ''\n---\n")
    assert result.chair is None
    assert result.scribe is None


def test_unknown_front_matter_keys_are_kept_in_extra_and_json_safe():
    result = parse(
        """
        ---
        title: T
        date: 2021-03-03
        location: Facility A
        tags: [icat, ids]
        held_on: 2021-03-04
        ---
        """
    )
    assert result.extra == {
        "location": "Facility A",
        "tags": ["icat", "ids"],
        "held_on": "2021-03-04",
    }
    json.dumps(result.extra)


def test_yaml_time_is_not_read_as_sexagesimal():
    result = parse("---\ntitle: T\ndate: 2021-03-03\ntime: 10:00\nroom: 12:30\n---\n")
    assert result.time == datetime.time(10, 0)
    assert result.extra["room"] == "12:30"


def test_time_given_with_the_date_is_read():
    result = parse("---\ntitle: T\ndate: 2021-03-03 14:30\n---\n")
    assert result.date == datetime.date(2021, 3, 3)
    assert result.time == datetime.time(14, 30)


def test_yaml_words_like_no_yes_and_on_stay_strings():
    result = parse("---\ntitle: No\nremote: Yes\nstream: On\nrecorded: false\n---\n")
    assert result.title == "No"
    assert result.extra == {"remote": "Yes", "stream": "On", "recorded": False}


@pytest.mark.parametrize(
    "written",
    [
        "2013-05-30",
        "'2013-05-30'",
        "30/05/2013",
        "30.05.2013",
        "30 May 2013",
        "30th May 2013",
        "May 30, 2013",
        "20130530",
        "2013-05-30T10:00:00",
        "!!timestamp 2013-05-30",
    ],
)
def test_front_matter_dates_in_several_formats(written):
    result = parse(f"---\ntitle: Notes\ndate: {written}\n---\n")
    assert result.date == datetime.date(2013, 5, 30)


def test_date_and_time_objects_are_accepted():
    assert parse_date_value(datetime.date(2013, 5, 30)) == datetime.date(2013, 5, 30)
    moment = datetime.datetime(2013, 5, 30, 9, 15)
    assert parse_date_value(moment) == datetime.date(2013, 5, 30)
    assert parse_time_value(600) == datetime.time(10, 0)
    assert parse_time_value(datetime.time(9, 5)) == datetime.time(9, 5)


def test_file_without_front_matter_takes_its_title_from_the_first_h1():
    result = parse(
        """
        Some intro.

        ## Not the title

        # Meeting 12 – 4 April 2019

        Text.
        """
    )
    assert result.title == "Meeting 12 – 4 April 2019"
    assert result.number == 12
    assert result.date == datetime.date(2019, 4, 4)
    assert result.preamble == "Some intro."


def test_byte_order_mark_is_ignored():
    data = "\ufeff---\ntitle: T\ndate: 2020-01-02\n---\n# Notes\n".encode()
    result = parse_minutes_bytes(data)
    assert result.title == "T"
    assert [s.title for s in result.sections] == ["Notes"]
    assert parse_minutes("\ufeff# Heading\n").title == "Heading"


def test_crlf_line_endings_are_normalised():
    text = "---\r\ntitle: T\r\ndate: 2020-01-02\r\n---\r\n\r\n# Notes\r\nLine\r\n"
    result = parse_minutes(text)
    assert result.date == datetime.date(2020, 1, 2)
    assert result.sections[0].body == "Line"


def test_non_breaking_spaces_become_ordinary_spaces():
    text = "---\ntitle: T\n---\n\nPresent:\u00a0Ada Example,\u00a0\u00a0Bram Sample\n"
    result = parse_minutes(text)
    assert people(result, "present") == ["Ada Example", "Bram Sample"]
    assert "\u00a0" not in result.preamble


# Title, number, date, series -------------------------------------------------


@pytest.mark.parametrize(
    ("title", "number", "date"),
    [
        ("Meeting 60 – 30 May 2013", 60, datetime.date(2013, 5, 30)),
        ("Meeting 77 – 8th March 2016 (postponed)", 77, datetime.date(2016, 3, 8)),
        ("Collaboration Meeting - 27th June 2024", None, datetime.date(2024, 6, 27)),
        ("Collaboration Meeting 14/09/2022", None, datetime.date(2022, 9, 14)),
        ("20230525 Meeting", None, datetime.date(2023, 5, 25)),
        ("Workshop – 5th and 6th October 2021", None, datetime.date(2021, 10, 5)),
        ("Meeting 02", 2, None),
        ('"Meeting #3"', 3, None),
        ("Site visit 2011", None, None),
    ],
)
def test_number_and_date_come_from_the_title(title, number, date):
    result = parse(f"---\ntitle: {title}\n---\n")
    assert result.number == number
    assert result.date == date


def test_the_majority_date_wins_and_the_disagreement_is_reported():
    result = parse(
        "---\ntitle: Meeting 5 – 14th November 2019\ndate: 2019-11-04\n---\n",
        filename="meetings/meeting-5-14th-november-2019.md",
    )
    assert result.date == datetime.date(2019, 11, 14)
    assert len(result.warnings) == 1
    assert result.warnings[0].line == 3
    assert "dates disagree" in result.warnings[0].message
    assert "2019-11-04" in result.warnings[0].message


def test_front_matter_date_wins_over_a_disagreeing_file_name_without_title_date():
    result = parse(
        "---\ntitle: Notes\ndate: 2019-11-04\n---\n", filename="20191114-meeting.md"
    )
    assert result.date == datetime.date(2019, 11, 4)
    assert "dates disagree" in result.warnings[0].message


def test_date_comes_from_the_file_name_when_nothing_else_has_one():
    result = parse("---\ntitle: Notes\n---\n", filename="x__2021-meetings__20210617.md")
    assert result.date == datetime.date(2021, 6, 17)


def test_meeting_number_disagreeing_with_the_file_name_is_reported():
    result = parse(
        "---\ntitle: Meeting 31 – 2 June 2015\n---\n",
        filename="meeting-30-2-june-2015.md",
    )
    assert result.number == 31
    assert any("disagrees with file name (30)" in w.message for w in result.warnings)


def test_default_date_is_used_when_no_date_is_written_anywhere():
    result = parse("---\ntitle: Notes\n---\n", default_date=datetime.date(2020, 1, 1))
    assert result.date == datetime.date(2020, 1, 1)


def test_no_date_anywhere_gives_none_rather_than_an_error():
    assert parse("---\ntitle: Site visit\n---\n\nText.\n").date is None


@pytest.mark.parametrize(
    ("path", "series"),
    [
        ("monthly-meetings__2019-meetings__meeting-7-3-march-2019.md", "monthly"),
        ("archive/monthly-meetings/2019-meetings/meeting-7.md", "monthly"),
        ("face-to-face-meetings__lisbon-2019.md", "face-to-face"),
        ("face-to-face-meetings/2030-oslo/index.md", "face-to-face"),
        ("steering-group__meeting-09.md", "steering-group"),
        ("C:\\minutes\\steering-group\\meeting-09.md", "steering-group"),
        ("other-meetings__satellite.md", "other"),
        ("meeting-09.md", "other"),
    ],
)
def test_series_comes_from_the_folder(path, series):
    assert series_from_path(path) == series


def test_series_argument_overrides_the_file_name():
    result = parse("# T\n", filename="monthly-meetings__x.md", series="other")
    assert result.series == "other"
    assert parse("# T\n", filename="monthly-meetings__x.md").series == "monthly"


# Attendance ------------------------------------------------------------------


def test_bullet_list_under_an_attendees_heading_is_present():
    result = parse(
        """
        ## Attendees

        - Ada Example
        - Bram Sample

        ## Apologies

        - Cleo Person
        """
    )
    assert people(result, "present") == ["Ada Example", "Bram Sample"]
    assert people(result, "apologies") == ["Cleo Person"]


def test_comma_separated_line_under_a_heading_is_split_into_names():
    result = parse(
        """
        ## Attendees:
        Ada Example, Bram Sample, Cleo
        Person-Smith

        ## Apologies:
        Dan Other
        """
    )
    assert people(result, "present") == [
        "Ada Example",
        "Bram Sample",
        "Cleo Person-Smith",
    ]
    assert people(result, "apologies") == ["Dan Other"]


def test_present_and_apologies_prose_lines_are_read():
    result = parse(
        """
        # Notes

        **Present** : Ada, Bram, Cleo R, Dan,
        Eve and Fay
        **Apologies** : Gus

        Apologizes: Hal.
        """
    )
    assert people(result, "present") == ["Ada", "Bram", "Cleo R", "Dan", "Eve", "Fay"]
    assert people(result, "apologies") == ["Gus", "Hal"]


def test_periods_separate_names_but_initials_keep_their_period():
    result = parse(
        "Present: Ada, Bram S., Cleo\n\nApologies: Dan. Eve Other. Fay, Gus.\n"
    )
    assert people(result, "present") == ["Ada", "Bram S.", "Cleo"]
    assert people(result, "apologies") == ["Dan", "Eve Other", "Fay", "Gus"]


def test_apologies_none_means_nobody():
    result = parse("Present: Ada\n\nApologies: None\n")
    assert people(result, "apologies") == []


def test_repeated_label_is_tolerated():
    assert people(parse("Present:Present: Ada, Bram\n"), "present") == ["Ada", "Bram"]


def test_label_paragraph_followed_by_a_list_and_an_empty_apologies_label():
    result = parse(
        """
        ## Attendance
        Attendees:
        - Ada Example
        - Bram Sample

        Apologies:

        ## Topics
        - Not a person at all, this is a sentence about the agenda
        """
    )
    assert people(result, "present") == ["Ada Example", "Bram Sample"]
    assert people(result, "apologies") == []


def test_table_with_plus_marks_gives_present_apologies_and_absent():
    result = parse(
        """
        ### Attendance 9

        |      |              |            |         |           |
        | ---- | ------------ | ---------- | ------- | --------- |
        | Init | Name         | Institute  | Present | Apologies |
        | AE   | Ada Example  | Facility A | \\+      |           |
        | BS   | Bram Sample  | ESRF       |         | \\+        |
        | CP   | Cleo Person  | ILL        |         |           |
        """
    )
    ada, bram, cleo = result.attendance
    assert (ada.name, ada.status, ada.initials, ada.organisation) == (
        "Ada Example",
        "present",
        "AE",
        "Facility A",
    )
    assert (bram.name, bram.status) == ("Bram Sample", "apologies")
    assert (cleo.name, cleo.status) == ("Cleo Person", "absent")


def test_attendance_table_with_a_broken_delimiter_row_is_still_read_and_flagged():
    result = parse(
        """
        |      |             |         |  |
        | ---- | ----------- | ------- |  |
        | init | Name        | Present |  |
        | AE   | Ada Example | \\+      |  |
        | BS   | Bram Sample |         |  |
        """
    )
    assert people(result, "present") == ["Ada Example"]
    assert people(result, "absent") == ["Bram Sample"]
    assert "no header" in result.warnings[0].message
    assert result.warnings[0].line == 3


@pytest.mark.parametrize(
    ("entry", "name", "initials", "organisation", "note"),
    [
        ("Ada Example (AE)", "Ada Example", "AE", None, None),
        ("Ada de Example (AdE)", "Ada de Example", "AdE", None, None),
        ("Ada Example (ESRF)", "Ada Example", None, "ESRF", None),
        ("Ada (Facility A/chair)", "Ada", None, "Facility A", "chair"),
        ("Ada Example (joined late)", "Ada Example", None, None, "joined late"),
        ("Ada Example (left at 11:00)", "Ada Example", None, None, "left at 11:00"),
        ("Ada on leave", "Ada", None, None, "on leave"),
    ],
)
def test_brackets_hold_initials_organisations_or_notes(
    entry, name, initials, organisation, note
):
    (person,) = parse(f"Present: {entry}\n").attendance
    assert (person.name, person.initials, person.organisation, person.note) == (
        name,
        initials,
        organisation,
        note,
    )


def test_semicolons_and_stray_bracket_commas_are_handled():
    result = parse("Attendees: Ada Example (AE); Bram Sample, (BS), Cleo (C)\n")
    assert [(p.name, p.initials) for p in result.attendance] == [
        ("Ada Example", "AE"),
        ("Bram Sample", "BS"),
        ("Cleo", "C"),
    ]


def test_list_items_with_leading_initials_and_dash_organisation():
    result = parse(
        """
        ## Attendees

        - AE Ada Example – Facility A
        - BS Bram Sample- DLS
        - CX Cleo ? – ILL
        """
    )
    assert [(p.name, p.initials, p.organisation) for p in result.attendance] == [
        ("Ada Example", "AE", "Facility A"),
        ("Bram Sample", "BS", "DLS"),
        ("Cleo ?", "CX", "ILL"),
    ]


def test_bare_attendance_label_with_comma_organisations_in_list_items():
    result = parse(
        """
        # Steering Group Meeting

        0\\. Attendance

        - Ada Example (AE), Facility A, Computing, Chair
        - Bram Sample (BS), ESRF

        Apologies

        - Cleo Person, ILL
        """
    )
    ada, bram, cleo = result.attendance
    assert (ada.name, ada.initials, ada.organisation) == (
        "Ada Example",
        "AE",
        "Facility A, Computing, Chair",
    )
    assert (bram.name, bram.organisation) == ("Bram Sample", "ESRF")
    assert (cleo.name, cleo.status, cleo.organisation) == (
        "Cleo Person",
        "apologies",
        "ILL",
    )
    assert result.chair == ["Ada Example"]


def test_scribe_comes_from_a_document_version_line_when_front_matter_has_none():
    result = parse(
        """
        ---
        title: Meeting 4 – 2 May 2011
        ---

        Actions from the meeting on 1 May 2011
        4.1 – Ada Example / Bram Sample – 2 May
        2011
        """
    )
    assert result.scribe == ["Ada Example", "Bram Sample"]


def test_chair_comes_from_an_attendance_note_when_front_matter_has_none():
    result = parse("Present: Ada (Facility A/chair), Bram (ESRF)\n")
    assert result.chair == ["Ada"]


# Sections --------------------------------------------------------------------


def test_sections_keep_levels_as_written_and_find_their_parents():
    result = parse(
        """
        Intro line.

        # Components

        ###### Server (AE)

        Nothing.

        # Sites

        ### **ESRF – Ada**

        #### Detail

        ###### Deeper

        ## Summary \\*\\*
        """
    )
    expected = result.to_expected_dict()["sections"]
    assert expected == [
        {"level": 1, "title": "Components", "parent": None},
        {"level": 6, "title": "Server (AE)", "parent": "Components"},
        {"level": 1, "title": "Sites", "parent": None},
        {"level": 3, "title": "ESRF – Ada", "parent": "Sites"},
        {"level": 4, "title": "Detail", "parent": "ESRF – Ada"},
        {"level": 6, "title": "Deeper", "parent": "Detail"},
        {"level": 2, "title": "Summary", "parent": "Sites"},
    ]
    assert result.preamble == "Intro line."
    assert [s.line for s in result.sections] == [3, 5, 9, 11, 13, 15, 17]


def test_section_bodies_are_kept_verbatim_including_tables():
    body = dedent(
        """
        Some *notes* here.

        | Item | Description | Assigned |
        | ---- | ----------- | -------- |
        | 1.1  | Do a thing  | AE       |

        AE: speaker lines stay in the body.
        """
    ).strip()
    result = parse_minutes(f"---\ntitle: T\n---\n# Notes\n\n{body}\n\n# Next\n")
    assert result.sections[0].body == body
    assert result.sections[1].body == ""


def test_headings_inside_code_blocks_are_not_sections_and_setext_ones_are():
    result = parse(
        """
        Title Here
        ==========

        ```
        # not a heading
        ```
        """
    )
    assert [(s.level, s.title) for s in result.sections] == [(1, "Title Here")]
    assert result.title == "Title Here"


def test_speaker_prefixed_lines_are_just_body_text():
    result = parse(
        """
        # AOB

        AE: we should meet again.
        **BS**: agreed.
        """
    )
    assert result.actions == []
    assert result.attendance == []
    assert "AE: we should meet again." in result.sections[0].body


# Action tables ---------------------------------------------------------------

ACTIONS_WITH_EMPTY_HEADER = """
### Actions 9

|      |                            |       |             |                   |
| ---- | -------------------------- | ----- | ----------- | ----------------- |
| New  | Description                | Resp  | Status      | Comment           |
| 9.01 | Write the [docs](http://x) | AE/BS | In progress | Next week         |
| 9.02 | Review Widget[?](http://y) | ALL   | See 8.04    | Subsumed by 8.04  |
| 9.03 | Plan the next call         | AE    | –           | .                 |
|      |                            |       |             |                   |
"""


def test_empty_header_row_means_first_body_row_is_header():
    result = parse(ACTIONS_WITH_EMPTY_HEADER)
    assert [a.ref for a in result.actions] == ["9.01", "9.02", "9.03"]
    first = result.actions[0]
    assert first.description == "Write the docs"
    assert first.owners == ["AE", "BS"]
    assert first.status == "In progress"
    assert first.comment == "Next week"
    assert first.section_index == 0
    assert first.line == 6
    assert first.source == 'table under "Actions 9"'


def test_wiki_stub_links_are_reduced_to_their_word():
    assert parse(ACTIONS_WITH_EMPTY_HEADER).actions[1].description == "Review Widget"


def test_see_and_subsumed_by_become_cross_references():
    action = parse(ACTIONS_WITH_EMPTY_HEADER).actions[1]
    assert action.status == "See 8.04"
    assert action.xrefs == [
        {"kind": "see", "ref": "8.04"},
        {"kind": "subsumed_by", "ref": "8.04"},
    ]
    exported = parse(ACTIONS_WITH_EMPTY_HEADER).to_expected_dict()["actions"][1]
    assert exported["xrefs"] == [
        {"type": "see", "ref": "8.04"},
        {"type": "subsumed_by", "ref": "8.04"},
    ]


@pytest.mark.parametrize("placeholder", ["–", "-", ".", "", "—"])
def test_placeholder_cells_mean_empty(placeholder):
    result = parse(
        f"| Item | Description | Res | Status | Comment |\n"
        f"| --- | --- | --- | --- | --- |\n"
        f"| 1.1 | Do it | {placeholder} | {placeholder} | {placeholder} |\n"
    )
    (action,) = result.actions
    assert (action.owners, action.status, action.comment) == ([], None, None)


def test_columns_in_any_order_and_with_bold_headers_are_recognised():
    result = parse(
        """
        | **Assigned** | **Status** | **Item** | **Description** |
        | ------------ | ---------- | -------- | --------------- |
        | Ada          | Done       | 70.1     | Water the plant |
        """
    )
    (action,) = result.actions
    assert (action.ref, action.description, action.owners, action.status) == (
        "70.1",
        "Water the plant",
        ["Ada"],
        "Done",
    )
    assert (
        action.source
        == 'table (no heading; header row "Assigned | Status | Item | Description")'
    )


def test_steering_style_table_with_section_column():
    result = parse(
        """
        | No. | Sec. | Detail              | Resp.   | Notes        |
        | --- | ---- | ------------------- | ------- | ------------ |
        | 2.4 | 4    | Check the website   | AE & BS | Not done yet |
        """
    )
    (action,) = result.actions
    assert (action.ref, action.description, action.owners, action.comment) == (
        "2.4",
        "Check the website",
        ["AE", "BS"],
        "Not done yet",
    )


def test_table_without_any_header_row_uses_the_conventional_column_order():
    result = parse(
        """
        ## Actions

        |       |                      |          |
        | ----- | -------------------- | -------- |
        | 215.2 | Bake a cake          | Ada      |
        | 216.1 | Paint the fence      | AE and BS |
        """
    )
    assert [(a.ref, a.description, a.owners) for a in result.actions] == [
        ("215.2", "Bake a cake", ["Ada"]),
        ("216.1", "Paint the fence", ["AE", "BS"]),
    ]
    assert [a.line for a in result.actions] == [5, 6]


@pytest.mark.parametrize(
    ("cell", "owners"),
    [
        ("AE/BS", ["AE", "BS"]),
        ("AE, BS, CP", ["AE", "BS", "CP"]),
        ("AE & BS", ["AE", "BS"]),
        ("AE + BS", ["AE", "BS"]),
        ("SP and RK", ["SP", "RK"]),
        ("Ada or Bram", ["Ada", "Bram"]),
        ("Bram S.", ["Bram S."]),
        ("All", ["All"]),
    ],
)
def test_owners_are_split_on_separators(cell, owners):
    result = parse(
        f"| Item | Description | Assigned |\n| - | - | - |\n| 1.1 | Do it | {cell} |\n"
    )
    assert result.actions[0].owners == owners


def test_see_also_column_and_mentions_in_descriptions_are_cross_references():
    result = parse(
        """
        | Item  | See also | Description                         | Res | Status |
        | ----- | -------- | ----------------------------------- | --- | ------ |
        | 23.01 | 22.02    | Follow up 22.04 and 22.06 with a vendor | AE  | Done   |
        | 23.02 | –        | Write to Facility A about action 22.7   | AE  | Done   |
        """
    )
    first, second = result.actions
    assert first.xrefs == [
        {"kind": "see_also", "ref": "22.02"},
        {"kind": "follow_up", "ref": "22.04"},
        {"kind": "follow_up", "ref": "22.06"},
    ]
    assert second.xrefs == [{"kind": "mentions", "ref": "22.7"}]


def test_month_and_year_comments_become_due_dates():
    result = parse(
        """
        | New   | Description | Resp | Status | Comment      |
        | ----- | ----------- | ---- | ------ | ------------ |
        | 16.01 | Write it    | AE   |        | 06/2019      |
        | 16.02 | Ship it     | AE   |        | End Feb 2019 |
        | 16.03 | Tidy it     | AE   |        | v5           |
        """
    )
    assert [a.due for a in result.actions] == [
        datetime.date(2019, 6, 30),
        datetime.date(2019, 2, 28),
        None,
    ]
    assert result.actions[0].comment == "06/2019"


def test_tables_that_are_not_action_tables_are_ignored():
    result = parse(
        """
        ## Agenda

        |       |                  |             |
        | ----- | ---------------- | ----------- |
        | 09:45 | Welcome          | Ada Example |
        | 10:00 | Status of things | Bram Sample |

        | What         | Who  |
        | ------------ | ---- |
        | A talk       | Ada  |
        """
    )
    assert result.actions == []


def test_refs_after_this_meetings_number_are_flagged():
    result = parse(
        """
        ---
        title: Meeting 20 – 1 April 2016
        ---

        | Item  | Description | Res |
        | ----- | ----------- | --- |
        | 21.00 | Document it | AE  |
        """
    )
    assert result.actions[0].ref == "21.00"
    assert any("meeting's number 20" in w.message for w in result.warnings)


# Prose actions ---------------------------------------------------------------


def test_action_marker_with_owners_in_brackets():
    result = parse(
        "# AOB\n\nACTION (All): read the proposal before the next meeting.\n"
    )
    (action,) = result.actions
    assert action.description == "read the proposal before the next meeting."
    assert action.owners == ["All"]
    assert action.ref is None
    assert action.source == 'prose "ACTION (All):" under "AOB"'


def test_bold_numbered_action_marker_keeps_its_ref():
    (action,) = parse("**Action 5.1:** Ada to send the slides.\n").actions
    assert (action.ref, action.description, action.owners) == (
        "5.1",
        "Ada to send the slides.",
        ["Ada"],
    )


def test_bold_action_marker_takes_owners_from_the_sentence():
    result = parse(
        """
        # Schema

        Some discussion.

        **ACTION**: AE/BS to paint the shed before
        the winter.

        - (CP) Wants a blue door. ACTION:
          (DO) to buy the paint.
        """
    )
    first, second = result.actions
    assert first.description == "AE/BS to paint the shed before the winter."
    assert first.owners == ["AE", "BS"]
    assert first.line == 5
    assert second.description == "(DO) to buy the paint."
    assert second.owners == ["DO"]
    assert second.line == 8


def test_progress_reports_on_earlier_actions_are_not_new_actions():
    result = parse(
        """
        Action 31.4: Ada has watered the plant.

        **Action 31.5** – Bram is still painting.

        Summary (ACTION) of the transaction: nothing.
        """
    )
    assert result.actions == []


# Round trip shape --------------------------------------------------------------


def test_to_expected_dict_has_the_shape_of_the_hand_checked_files():
    text = (
        "---\ntitle: Meeting 9 – 1 June 2020\ndate: 2020-06-01\n---\n\n# Actions\n"
        + ACTIONS_WITH_EMPTY_HEADER.replace("### Actions 9", "")
        + "\n## Attendees\n\n- Ada Example\n"
    )
    result = parse_minutes(
        text, filename="monthly-meetings__2020-meetings__meeting-9-1-june-2020.md"
    )
    expected = result.to_expected_dict()
    assert list(expected) == [
        "title",
        "date",
        "number",
        "series",
        "chair",
        "scribe",
        "attendees",
        "apologies",
        "absent",
        "sections",
        "actions",
    ]
    assert expected["date"] == "2020-06-01"
    assert expected["series"] == "monthly"
    assert expected["attendees"] == ["Ada Example"]
    assert expected["sections"][1] == {
        "level": 2,
        "title": "Attendees",
        "parent": "Actions",
    }
    assert set(expected["actions"][0]) == {
        "ref",
        "description",
        "owners",
        "status",
        "comment",
        "xrefs",
        "due",
        "source",
    }
    json.dumps(expected)


# Malformed input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("---\ntitle: T\ndate: [2020\n---\n", 3, "front matter is not valid YAML"),
        ("---\ntitle: T\ndate: x: y\n---\n", 3, "front matter is not valid YAML"),
        ("---\ntitle: T\n  bad: indent\n---\n", 3, "front matter is not valid YAML"),
        ("---\ntitle: T\ndate: 2020-01-01\n\n# Heading\n", 1, "never closed"),
        ("---\n- a\n- b\n---\n", 2, "must be a mapping"),
        ("---\njust a sentence\n---\n", 2, "must be a mapping"),
        ("---\ntitle: T\ndate: 2013-02-30\n---\n", 3, "impossible date"),
        ("---\ntitle: T\n\ndate: someday\n---\n", 4, "not a date"),
        ("---\ntitle: T\ntime: teatime\n---\n", 3, "time"),
        ("", None, "empty"),
        ("  \n\n\t\n", None, "empty"),
        ("# Title\n\nsome\x00binary", 3, "binary"),
        ("---\ntitle: T\ndate: !!timestamp 2013-02-30\n---\n", 2, "invalid value"),
    ],
)
def test_malformed_input_raises_a_clear_error_with_its_line(text, line, fragment):
    with pytest.raises(MinutesParseError) as caught:
        parse_minutes(text)
    assert caught.value.line == line
    assert fragment in caught.value.message
    assert isinstance(caught.value, ValueError)


def test_error_text_starts_with_the_line_number():
    with pytest.raises(MinutesParseError) as caught:
        parse_minutes("---\ntitle: T\ndate: [2020\n---\n")
    assert str(caught.value).startswith("line 3: front matter is not valid YAML: ")
    with pytest.raises(MinutesParseError) as caught:
        parse_minutes("")
    assert str(caught.value) == "the file is empty"


def test_invalid_utf8_reports_the_byte_offset():
    data = b"# Title\n\nCaf" + b"\xe9 au lait\n"
    with pytest.raises(MinutesParseError) as caught:
        parse_minutes_bytes(data)
    assert "byte offset 12" in caught.value.message
    assert caught.value.line == 3


def test_utf16_is_refused_with_a_clear_message():
    with pytest.raises(MinutesParseError) as caught:
        parse_minutes_bytes("# Title\n".encode("utf-16"))
    assert "UTF-16" in caught.value.message


def test_number_may_be_given_in_front_matter():
    assert parse("---\ntitle: Notes\nnumber: 12\n---\n").number == 12
    assert parse("---\ntitle: Notes\nnumber: '12'\n---\n").number == 12


def test_utf8_bytes_with_and_without_bom_are_decoded():
    text = "---\ntitle: Café\n---\n"
    assert parse_minutes_bytes(text.encode()).title == "Café"
    assert parse_minutes_bytes(text.encode("utf-8-sig")).title == "Café"


def test_title_with_an_impossible_date_is_a_warning_not_an_error():
    result = parse("---\ntitle: Meeting 3 – 30 February 2013\ndate: 2013-03-01\n---\n")
    assert result.date == datetime.date(2013, 3, 1)
    assert any("not a valid date" in w.message for w in result.warnings)
