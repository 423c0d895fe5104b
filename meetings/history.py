"""Who changed what in a meeting, read from the django-simple-history tables."""

from __future__ import annotations

from dataclasses import dataclass, field

from meetings.models import (
    ActionItem,
    Attendance,
    Meeting,
    Person,
    Section,
)

# The fields a reader of the history cares about, per model.
TRACKED = {
    Meeting: [
        "title",
        "number",
        "date",
        "start_time",
        "timezone",
        "location",
        "video_url",
        "chair",
        "notes",
        "status",
        "approved_at",
    ],
    Section: ["title", "parent", "position", "presenter", "body"],
    Attendance: ["person", "status", "note", "organisation"],
    ActionItem: [
        "reference",
        "description",
        "section",
        "owner_organisation",
        "owners_text",
        "due_date",
        "status",
    ],
}
KIND = {"+": "created", "~": "changed", "-": "deleted"}
LONG_TEXT = {"body", "notes", "description"}


@dataclass
class Change:
    label: str
    before: str
    after: str
    long: bool = False


@dataclass
class Entry:
    record: object
    model: type
    label: str
    kind: str
    changes: list[Change] = field(default_factory=list)

    @property
    def restorable_section(self) -> bool:
        return self.model is Section and self.kind != "deleted"


def meeting_history(meeting: Meeting, limit: int = 500) -> list[Entry]:
    """Every recorded change to the meeting and its rows, newest first.

    Records are read once per model and paired with the previous record of the
    same row in Python; names of related rows are fetched in one query per
    model. The cost does not grow with the number of changes shown.
    """
    sources = [
        Meeting.history.filter(id=meeting.pk),
        Section.history.filter(meeting_id=meeting.pk),
        Attendance.history.filter(meeting_id=meeting.pk),
        ActionItem.history.filter(meeting_id=meeting.pk),
    ]
    loaded = [
        (records.model.instance_type, list(records.select_related("history_user")))
        for records in sources
    ]
    names = _related_names(loaded)
    entries: list[Entry] = []
    for model, records in loaded:
        previous: dict[int, object] = {}
        for record in sorted(records, key=lambda r: r.history_id):
            entries.append(_entry(model, record, previous.get(record.id), names))
            previous[record.id] = record
    entries.sort(key=lambda e: (e.record.history_date, e.record.history_id))
    return entries[::-1][:limit]


Names = dict[tuple[type, int], str]


def _related_names(loaded) -> Names:
    wanted: dict[type, set[int]] = {}
    for model, records in loaded:
        related = [
            f
            for f in model._meta.concrete_fields
            if f.is_relation and f.name in TRACKED[model]
        ]
        for record in records:
            for model_field in related:
                value = getattr(record, model_field.attname)
                if value is not None:
                    wanted.setdefault(model_field.related_model, set()).add(value)
    names: Names = {}
    for related_model, pks in wanted.items():
        for row in related_model._default_manager.filter(pk__in=pks):
            names[(related_model, row.pk)] = str(row)
    return names


def _entry(model, record, before, names: Names) -> Entry:
    kind = KIND.get(record.history_type, "changed")
    entry = Entry(record, model, _label(model, record, names), kind)
    for name in TRACKED[model]:
        model_field = model._meta.get_field(name)
        new = getattr(record, model_field.attname)
        old = getattr(before, model_field.attname) if before is not None else None
        if before is not None and old == new:
            continue
        if before is None and new in (None, ""):
            continue
        entry.changes.append(
            Change(
                str(model_field.verbose_name),
                _show(model_field, old, names),
                _show(model_field, new, names),
                long=name in LONG_TEXT,
            )
        )
    return entry


def _label(model, record, names: Names) -> str:
    if model is Attendance:
        return f"Attendance of {names.get((Person, record.person_id), 'someone')}"
    if model is ActionItem:
        return f"Action {record.reference}"
    if model is Section:
        return f"Section “{record.title}”"
    return "Meeting details"


def _show(model_field, value, names: Names) -> str:
    if value is None or value == "":
        return ""
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value} (removed)")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)
