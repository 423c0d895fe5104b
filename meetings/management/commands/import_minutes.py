"""Import minutes files (Markdown with front matter) into the database.

    manage.py import_minutes archive/                 # every .md file below
    manage.py import_minutes notes.md --series steering --date 2024-05-02

Each file is parsed, then written in its own transaction: a file that fails
is reported and leaves nothing behind, and the others are still imported.
Files are written in date order so that each action belongs to the first
meeting that lists it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.importing.directory import PeopleDirectory
from meetings.importing.model import MinutesParseError, ParsedMinutes
from meetings.importing.parser import parse_minutes_bytes
from meetings.importing.writer import MinutesWriteError, hash_source, write_minutes
from meetings.models import Series


@dataclass
class _File:
    path: Path
    source: str
    data: bytes
    parsed: ParsedMinutes


class Command(BaseCommand):
    help = "Import minutes files; a folder imports every .md file below it."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders.")
        parser.add_argument(
            "--series",
            help="Slug of the series for every file (default: from each file's "
            "folder: monthly, face-to-face, steering-group or other).",
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Date (YYYY-MM-DD) for files that state none.",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish new meetings at once."
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace meetings edited on the site since their last import.",
        )

    def handle(self, *args, paths, series=None, date=None, **options):
        chosen = self._series(series)
        files, failures = self._parse_all(paths, chosen, date)
        files.sort(key=lambda f: (f.parsed.date or datetime.date.max, f.source))

        directory = PeopleDirectory.load()
        outcomes: dict[str, int] = {}
        for file in files:
            try:
                result = write_minutes(
                    file.parsed,
                    source=file.source,
                    source_hash=hash_source(file.data),
                    series=chosen,
                    publish=options["publish"],
                    overwrite=options["overwrite"],
                    directory=directory,
                )
            except MinutesWriteError as error:
                failures.append(f"{file.path}: {error}")
                continue
            outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
            self._report(file, result, options["verbosity"])

        for failure in failures:
            self.stderr.write(failure)
        done = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        self.stdout.write(f"Meetings: {done or 'none'}.")
        if failures:
            raise CommandError(f"{len(failures)} file(s) not imported (listed above).")

    def _series(self, slug: str | None) -> Series | None:
        if slug is None:
            return None
        series = Series.objects.filter(slug=slug).first()
        if series is None:
            known = ", ".join(Series.objects.values_list("slug", flat=True))
            raise CommandError(f"No series {slug!r}; known: {known or 'none'}.")
        return series

    def _parse_all(self, paths, series, date) -> tuple[list[_File], list[str]]:
        files, failures = [], []
        for path, source in _minutes_files(paths):
            data = path.read_bytes()
            try:
                parsed = parse_minutes_bytes(
                    data,
                    filename=source,
                    series=series.slug if series else None,
                    default_date=date,
                )
            except MinutesParseError as error:
                failures.append(f"{path}: {error}")
                continue
            files.append(_File(path, source, data, parsed))
        return files, failures

    def _report(self, file: _File, result, verbosity: int) -> None:
        self.stdout.write(f"{file.source}: {result.summary()}")
        if verbosity >= 2:
            for warning in [*file.parsed.warnings, *result.warnings]:
                self.stdout.write(f"  {file.source}: {warning}")


def _minutes_files(paths: list[str]) -> list[tuple[Path, str]]:
    """Each file with its source name: its path below the folder given, or its
    own name when the file itself was given."""
    found = []
    for given in map(Path, paths):
        if given.is_dir():
            found += [(p, p.relative_to(given).as_posix()) for p in given.rglob("*.md")]
        elif given.is_file():
            found.append((given, given.name))
        else:
            raise CommandError(f"{given}: no such file or folder.")
    return sorted(found)
