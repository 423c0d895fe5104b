"""``send_action_reminders``: one e-mail per owner per day, never twice."""

import datetime
import io
import smtplib
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from meetings import reviewing
from meetings.models import ActionItem, ReminderLog
from tests.factories import ActionItemFactory, MeetingFactory, PersonFactory

TODAY = datetime.date(2024, 3, 15)


def run(*args):
    out = io.StringIO()
    call_command(
        "send_action_reminders", "--date", TODAY.isoformat(), *args, stdout=out
    )
    return out.getvalue()


@pytest.fixture
def with_email(owners):
    owners["ada"].email = "ada@example.invalid"
    owners["ada"].save()
    return owners


def test_each_owner_with_an_email_gets_one_message(raised, with_email, outbox):
    output = run()

    (message,) = outbox
    assert message.to == ["ada@example.invalid"]
    assert message.subject.endswith("2 open action(s), 2 overdue")
    assert "1.01" in message.body and "1.02" in message.body
    assert "1.03" not in message.body
    assert "OVERDUE" in message.body
    assert "Reminded Ada Example: 2 open action(s)" in output
    assert ReminderLog.objects.get().action_count == 2


def test_a_second_run_on_the_same_day_sends_nothing(raised, with_email, outbox):
    run()

    output = run()

    assert len(outbox) == 1
    assert "Reminded 0 person(s)" in output
    assert ReminderLog.objects.count() == 1


def test_the_next_day_reminds_again(raised, with_email, outbox):
    run()

    call_command(
        "send_action_reminders",
        "--date",
        (TODAY + datetime.timedelta(days=1)).isoformat(),
        stdout=io.StringIO(),
    )

    assert len(outbox) == 2


def test_people_without_an_email_or_open_actions_get_nothing(
    outbox, meetings, with_email
):
    ActionItemFactory(meeting=meetings[0], owners=[with_email["bo"]])  # no e-mail
    ActionItemFactory(
        meeting=meetings[0], owners=[with_email["ada"]], status=ActionItem.Status.DONE
    )

    run()

    assert outbox == []


def test_actions_of_draft_minutes_are_not_sent(outbox, with_email):
    ActionItemFactory(meeting=MeetingFactory(draft=True), owners=[with_email["ada"]])

    run()

    assert outbox == []


def test_inactive_people_are_not_reminded(raised, with_email, outbox):
    with_email["ada"].is_active = False
    with_email["ada"].save()

    run()

    assert outbox == []


def test_a_dry_run_sends_and_records_nothing(raised, with_email, outbox):
    output = run("--dry-run")

    assert outbox == []
    assert not ReminderLog.objects.exists()
    assert "Would remind Ada Example: 2 open action(s)" in output


def test_links_use_the_base_url(raised, with_email, outbox):
    run("--base-url", "https://minutes.example.invalid/")

    assert f"https://minutes.example.invalid/actions/{raised[0].pk}/" in (
        outbox[0].body
    )


def test_a_bad_base_url_or_date_is_refused(raised, with_email):
    with pytest.raises(CommandError, match="is not an http"):
        run("--base-url", "minutes dot example")
    with pytest.raises(CommandError, match="is not a date"):
        call_command("send_action_reminders", "--date", "31/12/2024")


def test_a_reminder_logged_by_a_racing_run_is_not_sent_again(
    raised, with_email, outbox
):
    # The other process logged its reminder after this run chose whom to remind.
    def create_as_if_raced(**kwargs):
        raise IntegrityError("reminder_once_per_day")

    with mock.patch.object(ReminderLog.objects, "create", create_as_if_raced):
        summary = reviewing.send_reminders(TODAY)

    assert outbox == []
    assert summary.already_sent == 1


def test_a_failed_send_leaves_no_log_so_the_next_run_retries(
    raised, with_email, outbox
):
    failure = smtplib.SMTPServerDisconnected("connection lost")
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=failure),
        pytest.raises(CommandError, match="could not be sent"),
    ):
        run()
    assert not ReminderLog.objects.exists()

    run()

    assert len(outbox) == 1


def test_a_reminder_to_someone_else_today_does_not_stop_this_one(
    raised, with_email, outbox
):
    other = PersonFactory(email="other@example.invalid")
    ReminderLog.objects.create(person=other, sent_on=TODAY)

    run()

    assert [message.to for message in outbox] == [["ada@example.invalid"]]
