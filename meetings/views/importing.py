"""Upload or paste a Markdown minutes file to create a draft meeting.

Two steps: the first parses the text and shows what was recognised, with the
text carried in a hidden field; the second parses it again (nothing parsed is
trusted from the browser) and writes it through the same writer as the
``import_minutes`` command, as a draft.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.shortcuts import redirect, render

from meetings.importing.model import MinutesParseError, ParsedMinutes
from meetings.importing.upload import (
    MinutesUploadForm,
    create_from_upload,
    parse_upload,
    upload_source,
)
from meetings.importing.writer import MinutesWriteError, MissingDate
from meetings.models import Meeting
from meetings.views.editor import EditorView

logger = logging.getLogger(__name__)


class MinutesImportView(EditorView):
    """``GET`` shows the form; ``POST`` with ``step=preview`` shows the parsed
    minutes; ``POST`` with ``step=create`` writes the draft."""

    template_name = "meetings/import_form.html"
    preview_template = "meetings/import_preview.html"

    def get(self, request):
        return render(request, self.template_name, {"form": MinutesUploadForm()})

    def post(self, request):
        form = MinutesUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        parsed = self._parse(form)
        if parsed is None:
            return render(request, self.template_name, {"form": form})
        if request.POST.get("step") == "create":
            response = self._create(form, parsed)
            if response is not None:
                return response
        return self._preview(form, parsed)

    def _parse(self, form: MinutesUploadForm) -> ParsedMinutes | None:
        """The parsed minutes, or ``None`` with the reason added to the form."""
        try:
            parsed = parse_upload(form.cleaned_data)
        except MissingDate as error:
            form.add_error("date", f"{error}: give the meeting's date here.")
            return None
        except (MinutesParseError, MinutesWriteError) as error:
            form.add_error(None, _where(error))
            return None
        return parsed

    def _preview(self, form: MinutesUploadForm, parsed: ParsedMinutes):
        source, _ = upload_source(form.cleaned_data["text"])
        context = {
            "form": form,
            "parsed": parsed,
            "attendance": _attendance(parsed),
            "sections": _section_rows(parsed),
            "existing": Meeting.objects.filter(source=source).first(),
            "text": form.cleaned_data["text"],
        }
        return render(self.request, self.preview_template, context)

    def _create(self, form: MinutesUploadForm, parsed: ParsedMinutes):
        try:
            result = create_from_upload(form.cleaned_data, parsed)
        except MinutesWriteError as error:
            form.add_error(None, _where(error))
            return None
        meeting = result.meeting
        logger.info(
            "%s uploaded minutes %s: %s",
            self.request.user,
            meeting.source,
            result.outcome,
        )
        if result.outcome == "unchanged":
            messages.info(
                self.request, f"These minutes were uploaded before: {meeting}."
            )
        else:
            messages.success(self.request, f"Draft “{meeting}” {result.outcome}.")
        for link in result.pending_links:
            messages.warning(self.request, str(link))
        return redirect(meeting)


def _where(error: MinutesParseError | MinutesWriteError) -> str:
    if error.line is None:
        return f"The minutes cannot be imported: {error.message}."
    return f"Line {error.line}: {error.message}."


def _attendance(parsed: ParsedMinutes) -> list[tuple[str, list[str]]]:
    labels = (("present", "Present"), ("apologies", "Apologies"), ("absent", "Absent"))
    return [
        (label, names)
        for status, label in labels
        if (names := parsed.names_with_status(status))
    ]


def _section_rows(parsed: ParsedMinutes) -> list[tuple[int, str]]:
    """Each heading with its depth in the tree (1 for top-level ones)."""
    depths: list[int] = []
    for section in parsed.sections:
        parent = section.parent_index
        depths.append(depths[parent] + 1 if parent is not None else 1)
    return [(depth, s.title) for depth, s in zip(depths, parsed.sections, strict=True)]
