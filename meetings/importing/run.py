"""Import a batch of minutes files: the steps shared by ``import_minutes``,
``bench_import`` and anything else that imports more than one file.

Each file is written in its own transaction, so a file that fails leaves
nothing behind and the others are still imported. Files are written in date
order, so that each action belongs to the first meeting that lists it; links
to actions raised by a later file are made once every file is in.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .action_writer import PendingLink, resolve_links
from .directory import PeopleDirectory
from .model import MinutesParseError, ParsedMinutes
from .parser import parse_minutes_bytes
from .writer import (
    EditedSinceImport,
    MinutesWriteError,
    MissingDate,
    WriteResult,
    ensure_series,
    hash_source,
    write_minutes,
)

logger = logging.getLogger(__name__)

OUTCOMES = ("created", "updated", "unchanged", "skipped", "failed")


@dataclass
class MinutesFile:
    """A file to import: its bytes and the source name that identifies it."""

    source: str
    data: bytes
    path: Path | None = None


@dataclass
class FileReport:
    """What happened to one file. ``message`` says why it failed or was skipped;
    ``warnings`` are what was recognised only in part."""

    source: str
    outcome: str
    message: str = ""
    parsed: ParsedMinutes | None = None
    result: WriteResult | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """Everything an import run did, file by file and in total."""

    files: list[FileReport] = field(default_factory=list)
    series_created: list[str] = field(default_factory=list)
    links_made_late: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.outcome == "failed"]

    @property
    def partly_recognised(self) -> list[FileReport]:
        return [f for f in self.files if f.warnings and f.outcome != "failed"]

    def totals(self) -> Counter:
        """Rows written over all files: people created, actions raised, ..."""
        totals: Counter = Counter()
        for report in self.files:
            if report.result is not None:
                totals.update(report.result.counts)
                totals["people created"] += len(report.result.created_people)
        # Unary plus drops the zeros, so an import that wrote nothing is empty.
        return +totals

    def summary_lines(self) -> list[str]:
        outcomes = Counter(f.outcome for f in self.files)
        totals = self.totals()
        partly = self.partly_recognised
        lines = [
            f"Files: {len(self.files)} read; "
            + ", ".join(f"{outcomes[o]} {_OUTCOME_WORDS[o]}" for o in OUTCOMES)
            + ".",
            f"People created: {totals['people created']}.",
            f"Actions: {totals['actions raised']} created, "
            f"{totals['action updates']} updates recorded, "
            f"{totals['action links'] + self.links_made_late} links made.",
            f"Partly recognised: {len(partly)} file(s), "
            f"{sum(len(f.warnings) for f in partly)} warning(s)"
            + (" (listed with -v 2)." if partly else "."),
        ]
        if self.series_created:
            lines.insert(1, f"Series created: {', '.join(self.series_created)}.")
        return lines


_OUTCOME_WORDS = {
    "created": "imported",
    "updated": "updated",
    "unchanged": "unchanged",
    "skipped": "skipped",
    "failed": "failed",
}


class MinutesImport:
    """One import run over many files; see ``run``.

    ``series`` (a slug) puts every file into that series, else each file's
    folder decides; missing series are created. ``default_date`` is used for
    files that state no date; ``date_hint`` is appended to the refusal of a
    file without one, to say how to give it. ``force`` replaces meetings
    edited on the site since their import, which are otherwise skipped.
    """

    def __init__(
        self,
        *,
        series: str | None = None,
        default_date: datetime.date | None = None,
        publish: bool = False,
        force: bool = False,
        date_hint: str = "",
    ) -> None:
        self.series = series
        self.default_date = default_date
        self.publish = publish
        self.force = force
        self.date_hint = date_hint

    def parse(self, file: MinutesFile) -> ParsedMinutes:
        """Parse one file; raises ``MinutesParseError``."""
        return parse_minutes_bytes(
            file.data,
            filename=file.source,
            series=self.series,
            default_date=self.default_date,
        )

    def run(self, files: list[MinutesFile]) -> ImportReport:
        """Parse and write ``files``; report on each and in total."""
        report = ImportReport()
        parsed = []
        for file in files:
            try:
                parsed.append((file, self.parse(file)))
            except MinutesParseError as error:
                report.files.append(FileReport(file.source, "failed", str(error)))
        parsed.sort(
            key=lambda pair: (pair[1].date or datetime.date.max, pair[0].source)
        )

        directory = PeopleDirectory.load()
        pending: list[tuple[FileReport, PendingLink]] = []
        for file, minutes in parsed:
            file_report = self._write(file, minutes, directory, report)
            report.files.append(file_report)
            if file_report.outcome == "failed":
                # People the failed file added were rolled back with it.
                directory = PeopleDirectory.load()
            elif file_report.result is not None:
                pending += [(file_report, p) for p in file_report.result.pending_links]

        self._link_late(pending, report)
        logger.info("Import finished: %s", " ".join(report.summary_lines()))
        return report

    def _write(
        self,
        file: MinutesFile,
        parsed: ParsedMinutes,
        directory: PeopleDirectory,
        report: ImportReport,
    ) -> FileReport:
        warnings = [str(w) for w in parsed.warnings]
        try:
            with transaction.atomic():
                series, created = ensure_series(parsed.series or "other")
                result = write_minutes(
                    parsed,
                    source=file.source,
                    source_hash=hash_source(file.data),
                    series=series,
                    publish=self.publish,
                    overwrite=self.force,
                    directory=directory,
                )
        except EditedSinceImport as error:
            return FileReport(file.source, "skipped", str(error), parsed)
        except MissingDate as error:
            message = "; ".join(filter(None, [str(error), self.date_hint]))
            return FileReport(file.source, "failed", message, parsed)
        except MinutesWriteError as error:
            return FileReport(file.source, "failed", str(error), parsed)
        if created:
            report.series_created.append(series.name)
        warnings += [str(w) for w in result.warnings]
        return FileReport(file.source, result.outcome, "", parsed, result, warnings)

    def _link_late(
        self, pending: list[tuple[FileReport, PendingLink]], report: ImportReport
    ) -> None:
        """Links to actions raised by files written after the linking one."""
        if not pending:
            return
        with transaction.atomic():
            unresolved = resolve_links([link for _, link in pending])
        report.links_made_late = len(pending) - len(unresolved)
        still = set(map(id, unresolved))
        for file_report, link in pending:
            if id(link) in still:
                file_report.warnings.append(str(link))


def minutes_files(paths: list[Path]) -> list[tuple[Path, str]]:
    """Each file with its source name: its path below the folder given, or its
    own name when the file itself was given. Raises ``FileNotFoundError``."""
    found = []
    for given in paths:
        if given.is_dir():
            found += [(p, p.relative_to(given).as_posix()) for p in given.rglob("*.md")]
        elif given.is_file():
            found.append((given, given.name))
        else:
            raise FileNotFoundError(f"{given}: no such file or folder")
    return sorted(found)
