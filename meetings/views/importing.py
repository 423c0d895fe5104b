"""Upload or paste a Markdown minutes file to create a draft meeting.

Two steps: the first parses the text and shows what was recognised, with the
text carried in a hidden field; the second parses it again (nothing parsed is
trusted from the browser) and writes it through the same writer as the
``import_minutes`` command, as a draft.
"""

from __future__ import annotations

import hashlib
import logging

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from meetings.importing.model import MinutesParseError, ParsedMinutes
from meetings.importing.parser import parse_minutes
from meetings.importing.text import decode_bytes, normalise_text
from meetings.importing.writer import (
    MinutesWriteError,
    MissingDate,
    check_importable,
    write_minutes,
)
from meetings.models import Meeting, Series
from meetings.views.editor import EditorView

logger = logging.getLogger(__name__)

MAX_BYTES = 1_000_000
SOURCE_PREFIX = "upload:"


class MinutesUploadForm(forms.Form):
    """A file or pasted text, the series it belongs to and an optional date.

    ``clean`` leaves the text, decoded and with line endings unified, in
    ``cleaned_data["text"]`` whichever way it came.
    """

    file = forms.FileField(
        required=False, help_text="A Markdown file (.md), at most 1 MB."
    )
    text = forms.CharField(
        required=False,
        strip=False,
        label="Or paste the text",
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
    )
    series = forms.ModelChoiceField(Series.objects.all(), empty_label=None)
    date = forms.DateField(
        required=False,
        help_text="Only needed when the minutes state no date (YYYY-MM-DD).",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    filename = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        upload, pasted = data.get("file"), data.get("text") or ""
        if upload and pasted.strip():
            raise forms.ValidationError("Upload a file or paste the text, not both.")
        if upload:
            data["text"] = self._read(upload)
            data["filename"] = upload.name
        elif not pasted.strip():
            raise forms.ValidationError("Upload a file or paste the minutes.")
        elif len(pasted.encode()) > MAX_BYTES:
            raise forms.ValidationError(_too_large(len(pasted.encode())))
        data["text"] = normalise_text(data["text"])
        return data

    def _read(self, upload) -> str:
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_too_large(upload.size))
        try:
            return decode_bytes(upload.read())
        except MinutesParseError as error:
            raise forms.ValidationError(f"{upload.name}: {error}") from None


def _too_large(size: int) -> str:
    return f"The minutes are {size:,} bytes long; at most {MAX_BYTES:,} are accepted."


def upload_source(text: str) -> tuple[str, str]:
    """The source and hash an uploaded text is known by: the same text uploaded
    again finds the meeting it created."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"{SOURCE_PREFIX}{digest[:16]}", digest


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
        data = form.cleaned_data
        try:
            parsed = parse_minutes(
                data["text"],
                filename=data["filename"] or None,
                series=data["series"].slug,
                default_date=data["date"],
            )
            check_importable(parsed)
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
        source, digest = upload_source(form.cleaned_data["text"])
        try:
            result = write_minutes(
                parsed,
                source=source,
                source_hash=digest,
                series=form.cleaned_data["series"],
            )
        except MinutesWriteError as error:
            form.add_error(None, _where(error))
            return None
        meeting = result.meeting
        logger.info(
            "%s uploaded minutes %s: %s", self.request.user, source, result.outcome
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
