"""Export minutes as Markdown files in the archive's format.

    manage.py export_minutes out/                     # every meeting
    manage.py export_minutes out/ --series monthly --published
    manage.py export_minutes - --meeting 42           # one meeting to stdout

Imported meetings are written back to the path they came from, others to
``<series>/<date>-<title>.md``.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.exporting.markdown import export_meeting, export_path
from meetings.models import Meeting


class Command(BaseCommand):
    help = "Write meetings as Markdown files into a folder ('-' for stdout)."

    def add_arguments(self, parser):
        parser.add_argument("output", help="Folder to write into, or '-'.")
        parser.add_argument("--series", help="Only this series (slug).")
        parser.add_argument(
            "--meeting", type=int, action="append", help="Only this meeting id."
        )
        parser.add_argument(
            "--published", action="store_true", help="Leave drafts out."
        )

    def handle(self, *args, output, series=None, meeting=None, **options):
        meetings = Meeting.objects.with_tree().order_by("date", "pk")
        if series:
            meetings = meetings.filter(series__slug=series)
        if meeting:
            meetings = meetings.filter(pk__in=meeting)
        if options["published"]:
            meetings = meetings.published()
        if not meetings.exists():
            raise CommandError("No meeting matches.")

        if output == "-":
            for item in meetings:
                self.stdout.write(export_meeting(item), ending="")
            return
        written = self._write_files(Path(output), meetings, options["verbosity"])
        self.stdout.write(f"Wrote {written} file(s) into {output}.")

    def _write_files(self, folder: Path, meetings, verbosity: int) -> int:
        used: set[str] = set()
        for item in meetings:
            relative = export_path(item)
            if relative in used:
                # Two meetings with one date and title: keep both.
                relative = relative.removesuffix(".md") + f"-{item.pk}.md"
            used.add(relative)
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(export_meeting(item), encoding="utf-8")
            if verbosity >= 2:
                self.stdout.write(f"  {target}")
        return len(used)
