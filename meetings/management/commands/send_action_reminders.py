"""E-mail every owner their open actions; safe to run more than once a day."""

import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator, ValidationError

from meetings.reviewing import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail each person with an e-mail address their open and overdue actions "
        "(of published minutes), one message each, at most once per day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say who would be reminded, send nothing and record nothing.",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Site address for links in messages, e.g. https://minutes.example.org",
        )
        parser.add_argument(
            "--date",
            type=_date,
            default=None,
            help="The day to remind for, as YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, dry_run: bool, base_url: str, date, **options):
        if base_url:
            try:
                URLValidator(schemes=["http", "https"])(base_url)
            except ValidationError:
                raise CommandError(
                    f"--base-url {base_url!r} is not an http(s) address."
                ) from None

        summary = send_reminders(date, dry_run=dry_run, base_url=base_url)

        verb = "Would remind" if dry_run else "Reminded"
        for person, count in summary.sent:
            self.stdout.write(f"{verb} {person.name}: {count} open action(s)")
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(summary.sent)} person(s) of "
                f"{summary.action_count} action(s); "
                f"{summary.already_sent} already reminded today; "
                f"{summary.failed} failed."
            )
        )
        if summary.failed:
            raise CommandError(
                f"{summary.failed} reminder(s) could not be sent; see the log. "
                "Running the command again retries them."
            )


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date like 2025-03-31"
        ) from None
