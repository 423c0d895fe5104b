"""Minutes uploaded or pasted by a person (the site's page and the API).

The form checks size and encoding; ``parse_upload`` and ``create_from_upload``
parse and write the text through the same parser and writer as the
``import_minutes`` command, as a draft.
"""

from __future__ import annotations

import hashlib

from django import forms

from meetings.importing.model import MinutesParseError, ParsedMinutes
from meetings.importing.parser import parse_minutes
from meetings.importing.text import decode_bytes, normalise_text
from meetings.importing.writer import WriteResult, check_importable, write_minutes
from meetings.models import Series

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


def parse_upload(cleaned: dict) -> ParsedMinutes:
    """Parse the form's text; raises ``MinutesParseError`` or ``MinutesWriteError``
    (``MissingDate`` when no date is found and none was given)."""
    parsed = parse_minutes(
        cleaned["text"],
        filename=cleaned.get("filename") or None,
        series=cleaned["series"].slug,
        default_date=cleaned.get("date"),
    )
    check_importable(parsed)
    return parsed


def create_from_upload(cleaned: dict, parsed: ParsedMinutes) -> WriteResult:
    """Write the parsed upload as a draft; the same text again is "unchanged"."""
    source, digest = upload_source(cleaned["text"])
    return write_minutes(
        parsed, source=source, source_hash=digest, series=cleaned["series"]
    )
