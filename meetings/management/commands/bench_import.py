"""Measure importing a folder of minutes (by default the archive corpus).

    manage.py bench_import                      # $MINUTES_CORPUS or ../shared/corpus
    manage.py bench_import path/to/minutes/ --people people.json
    manage.py bench_import --empty-first        # on a database that has meetings

The import runs inside one transaction that is rolled back at the end, so the
database is left as it was. It prints files per second, queries per file and
peak memory: the Python heap's peak (tracemalloc) and the process's maximum
resident size (ru_maxrss). tracemalloc slows Python down; ``--no-tracemalloc``
measures the speed without it.
"""

from __future__ import annotations

import os
import resource
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from meetings.importing.people import PeopleFileError, load_people, read_people_file
from meetings.importing.run import MinutesFile, MinutesImport, minutes_files
from meetings.models import ActionItem, Meeting, Organisation, Person, Series


def default_corpus() -> Path:
    corpus = os.environ.get("MINUTES_CORPUS") or (
        settings.BASE_DIR.parent / "shared" / "corpus"
    )
    return Path(corpus) / "minutes"


class Command(BaseCommand):
    help = "Time an import of a folder of minutes, rolled back afterwards."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, help="Folder or file (default: the corpus)."
        )
        parser.add_argument("--people", type=Path, help="People file to load first.")
        parser.add_argument(
            "--empty-first",
            action="store_true",
            help="Delete every meeting, person and series first, inside the "
            "transaction that is rolled back (nothing is lost).",
        )
        parser.add_argument(
            "--no-tracemalloc",
            dest="tracemalloc",
            action="store_false",
            help="Leave tracemalloc off (faster; no heap peak).",
        )

    def handle(self, *args, path=None, people=None, **options):
        path = path or default_corpus()
        try:
            found = minutes_files([path])
        except FileNotFoundError as error:
            raise CommandError(f"{error}.") from None
        files = [MinutesFile(source, p.read_bytes(), p) for p, source in found]
        if not files:
            raise CommandError(f"No .md file in {path}.")

        with transaction.atomic():
            self._prepare(options["empty_first"], people)
            figures = self._measure(files, options["tracemalloc"])
            transaction.set_rollback(True)
        self._print(files, *figures)

    def _prepare(self, empty_first: bool, people: Path | None) -> None:
        if Meeting.objects.exists():
            if not empty_first:
                raise CommandError(
                    "The database has meetings, so the import would find them "
                    "and measure something else. Use an empty database, or "
                    "--empty-first (deleted inside the rolled-back transaction)."
                )
            # Children first: meetings and actions protect their series and
            # attendance protects people. A superseded action must lose its
            # successor before the successor goes (a database constraint).
            ActionItem.objects.update(superseded_by=None, status="dropped")
            ActionItem.objects.all().delete()
            Meeting.objects.all().delete()
            Person.objects.all().delete()
            Organisation.objects.all().delete()
            Series.objects.all().delete()
        if people is not None:
            try:
                load_people(read_people_file(people.read_bytes()))
            except (OSError, PeopleFileError) as error:
                raise CommandError(f"{people}: {error}") from None

    def _measure(self, files: list[MinutesFile], trace: bool):
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        if trace:
            tracemalloc.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            report = MinutesImport(date_hint="no --date in a benchmark").run(files)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        heap_peak = tracemalloc.get_traced_memory()[1] if trace else None
        tracemalloc.stop()
        return report, seconds, cpu, queries, heap_peak

    def _print(self, files, report, seconds, cpu, queries, heap_peak) -> None:
        n = len(files)
        vendor = connection.vendor
        self.stdout.write(
            f"{n} files in {seconds:.1f} s on {vendor}: {n / seconds:.1f} files/s "
            f"({report.count('created')} imported, {report.count('failed')} failed)."
        )
        # On a busy machine the wall clock says little; this process's CPU
        # time (the database server's not included) says more.
        self.stdout.write(f"CPU time of this process: {cpu:.1f} s.")
        self.stdout.write(f"Queries: {queries} ({queries / n:.0f} per file).")
        # ru_maxrss is in kilobytes on Linux.
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        heap = (
            f"{heap_peak / 2**20:.1f} MB heap peak (tracemalloc), " if heap_peak else ""
        )
        self.stdout.write(f"Memory: {heap}{rss:.0f} MB maximum resident (ru_maxrss).")
        self.stdout.write("Rolled back: the database is as it was.")
