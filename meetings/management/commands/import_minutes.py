"""Import minutes files (Markdown with front matter) into the database.

    manage.py import_minutes archive/                 # every .md file below
    manage.py import_minutes notes.md --series steering-group --date 2024-05-02
    manage.py import_minutes archive/ --people people.json --force
    manage.py import_minutes --dry-run archive/       # what would happen
    manage.py import_minutes --dry-run --json a.md    # the parser's view, as JSON

Each file is parsed, then written in its own transaction: a file that fails
is reported and leaves nothing behind, and the others are still imported (see
``meetings.importing.run``). The command exits non-zero when any file failed.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from meetings.importing.model import MinutesParseError, ParsedMinutes
from meetings.importing.people import PeopleFileError, load_people, read_people_file
from meetings.importing.run import MinutesFile, MinutesImport, minutes_files
from meetings.importing.writer import (
    MinutesWriteError,
    check_importable,
    edited_since_import,
    hash_source,
)
from meetings.models import Meeting, Series

DATE_HINT = "give the date with --date YYYY-MM-DD"


class Command(BaseCommand):
    help = "Import minutes files; a folder imports every .md file below it."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders.")
        parser.add_argument(
            "--series",
            help="Slug of the series for every file, created when missing "
            "(default: from each file's folder: monthly, face-to-face, "
            "steering-group or other).",
        )
        parser.add_argument(
            "--date",
            type=_date,
            help="Date (YYYY-MM-DD) for files that state none.",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish new meetings at once."
        )
        parser.add_argument(
            "--force",
            "--overwrite",
            dest="force",
            action="store_true",
            help="Replace meetings edited on the site since their last import "
            "(otherwise they are skipped).",
        )
        parser.add_argument(
            "--people",
            type=Path,
            metavar="FILE",
            help="JSON list of people (name, initials, variants, organisation) "
            "to add to the directory first.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Parse and report; write nothing.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="With --dry-run: print one JSON object per file, as the parser "
            "reads it.",
        )

    def handle(self, *args, paths, **options):
        if options["json"] and not options["dry_run"]:
            raise CommandError("--json goes with --dry-run.")
        series = options["series"]
        if series is not None and (not series or slugify(series) != series):
            raise CommandError(
                f"--series {series!r} is not a slug (lower case letters, digits, "
                "hyphens), e.g. steering-group."
            )
        files = self._read(paths)
        if options["people"]:
            self._load_people(options["people"], options["dry_run"])

        runner = MinutesImport(
            series=series,
            default_date=options["date"],
            publish=options["publish"],
            force=options["force"],
            date_hint=DATE_HINT,
        )
        if options["dry_run"]:
            failed = self._dry_run(runner, files, options)
        else:
            failed = self._import(runner, files, options["verbosity"])
        if failed:
            raise CommandError(f"{failed} file(s) not imported (listed above).")

    # Input ----------------------------------------------------------------

    def _read(self, paths: list[str]) -> list[MinutesFile]:
        try:
            found = minutes_files([Path(p) for p in paths])
        except FileNotFoundError as error:
            raise CommandError(f"{error}.") from None
        files = []
        for path, source in found:
            try:
                files.append(MinutesFile(source, path.read_bytes(), path))
            except OSError as error:
                raise CommandError(
                    f"{path}: cannot be read: {error.strerror}."
                ) from None
        if not files:
            raise CommandError(f"No .md file in {', '.join(paths)}.")
        return files

    def _load_people(self, path: Path, dry_run: bool) -> None:
        try:
            entries = read_people_file(path.read_bytes())
        except OSError as error:
            raise CommandError(f"{path}: cannot be read: {error.strerror}.") from None
        except PeopleFileError as error:
            raise CommandError(f"{path}: {error}. Nothing was imported.") from None
        if dry_run:
            self.stderr.write(f"{path}: {len(entries)} people read (not loaded).")
            return
        result = load_people(entries)
        self.stdout.write(f"{path}: {result.summary()}.")

    # Importing ------------------------------------------------------------

    def _import(self, runner: MinutesImport, files: list[MinutesFile], verbosity):
        report = runner.run(files)
        for file in report.files:
            if file.outcome == "failed":
                self.stderr.write(f"{file.source}: {file.message}")
            elif file.outcome == "skipped":
                self.stdout.write(f"{file.source}: skipped: {file.message}")
            elif verbosity >= 1:
                self.stdout.write(f"{file.source}: {file.result.summary()}")
            if verbosity >= 2:
                for warning in file.warnings:
                    self.stdout.write(f"  {file.source}: {warning}")
        for line in report.summary_lines():
            self.stdout.write(line)
        return len(report.failed)

    # Dry run --------------------------------------------------------------

    def _dry_run(self, runner: MinutesImport, files: list[MinutesFile], options):
        failed = 0
        for file in files:
            try:
                parsed = runner.parse(file)
            except MinutesParseError as error:
                failed += 1
                self._dry_failure(file, error, options["json"])
                continue
            refusal = _refusal(parsed)
            failed += bool(refusal)
            if options["json"]:
                data = {"file": file.source, **parsed.to_expected_dict()}
                self.stdout.write(json.dumps(data, ensure_ascii=False))
                if refusal:
                    self.stderr.write(f"{file.source}: would fail: {refusal}")
            else:
                outcome = refusal and f"would fail: {refusal}"
                outcome = outcome or _would(file, parsed, runner.force)
                self.stdout.write(f"{file.source}: {_describe(parsed)}; {outcome}")
            if options["verbosity"] >= 2:
                out = self.stderr if options["json"] else self.stdout
                for warning in parsed.warnings:
                    out.write(f"  {file.source}: {warning}")
        summary = (
            f"Dry run: {len(files)} file(s) read, {failed} would fail; "
            "nothing was written."
        )
        (self.stderr if options["json"] else self.stdout).write(summary)
        return failed

    def _dry_failure(self, file: MinutesFile, error: MinutesParseError, as_json):
        self.stderr.write(f"{file.source}: {error}")
        if as_json:
            problem = {"line": error.line, "message": error.message}
            self.stdout.write(json.dumps({"file": file.source, "error": problem}))


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date {text!r} is not a date (YYYY-MM-DD).") from None


def _refusal(parsed: ParsedMinutes) -> str:
    try:
        check_importable(parsed)
    except MinutesWriteError as error:
        return f"{error}; {DATE_HINT}" if parsed.date is None else str(error)
    return ""


def _describe(parsed: ParsedMinutes) -> str:
    statuses = ("present", "apologies", "absent")
    people = ", ".join(f"{len(parsed.names_with_status(s))} {s}" for s in statuses)
    parts = [
        repr(parsed.title),
        parsed.date.isoformat() if parsed.date else "no date",
        f"number {parsed.number}" if parsed.number is not None else "no number",
        f"series {parsed.series}",
        people,
        f"{len(parsed.sections)} sections",
        f"{len(parsed.actions)} actions",
        f"{len(parsed.warnings)} warnings",
    ]
    return ", ".join(parts)


def _would(file: MinutesFile, parsed: ParsedMinutes, force: bool) -> str:
    """What importing would do, read from the database without writing."""
    existing = Meeting.objects.filter(source=file.source).first()
    if existing is None:
        known = Series.objects.filter(slug=parsed.series).exists()
        return "would create" + ("" if known else f" (and series {parsed.series})")
    if existing.source_hash == hash_source(file.data):
        return f"unchanged since its import as meeting {existing.pk}"
    if not force and edited_since_import(existing):
        return f"would be skipped: meeting {existing.pk} was edited on the site"
    return f"would update meeting {existing.pk}"
