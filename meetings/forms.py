"""Forms of the scribe's editor. Every rule a user can break has a field error."""

import zoneinfo
from functools import cache

from django import forms
from django.core.exceptions import ValidationError

from meetings.models import (
    ActionItem,
    Attendance,
    Meeting,
    Organisation,
    Person,
    Section,
)

MAX_BODY_LENGTH = 100_000
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [("", "—"), *((name, name.replace("_", " ")) for name in names)]


class VersionedForm(forms.ModelForm):
    """Carries the version the editor loaded, so a later save can spot others' edits."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def loaded(self) -> int:
        value = self.cleaned_data.get("loaded_version")
        return self.instance.version if value is None else value

    def edited_fields(self) -> list[str]:
        """Columns of the row this form edits (many-to-many fields live elsewhere)."""
        model_fields = {
            field.name
            for field in self._meta.model._meta.concrete_fields
            if not field.many_to_many
        }
        return [name for name in self.fields if name in model_fields]


def clean_title(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValidationError("Give a title; spaces alone do not count.")
    return value


class MeetingForm(VersionedForm):
    timezone = forms.TypedChoiceField(
        label="Time zone", choices=time_zone_choices, required=False, empty_value=""
    )
    video_url = forms.URLField(
        label="Video link", required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = [
            "series",
            "number",
            "title",
            "date",
            "start_time",
            "timezone",
            "location",
            "video_url",
            "chair",
            "scribes",
            "notes",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "scribes": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {"scribes": "Hold Ctrl (⌘ on a Mac) to choose several."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.active() | Person.objects.filter(
            pk__in=[self.instance.chair_id or 0]
        )
        self.fields["chair"].queryset = people.order_by("name")
        self.fields["scribes"].queryset = Person.objects.order_by("name")
        self.fields["notes"].max_length = MAX_BODY_LENGTH

    def clean_title(self):
        return clean_title(self.cleaned_data["title"])

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise ValidationError(
                f"Give a date between {EARLIEST_YEAR} and {LATEST_YEAR}."
            )
        return day

    def clean_notes(self):
        return check_length(self.cleaned_data["notes"])


def check_length(text: str) -> str:
    if len(text) > MAX_BODY_LENGTH:
        raise ValidationError(
            f"This text has {len(text):,} characters; the limit is "
            f"{MAX_BODY_LENGTH:,}. Split it into several sections."
        )
    return text


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["status", "note"]
        widgets = {
            "status": forms.RadioSelect,
            "note": forms.TextInput(attrs={"placeholder": "e.g. joined late"}),
        }


AttendanceFormSet = forms.modelformset_factory(
    Attendance, form=AttendanceForm, extra=0, can_delete=True
)


class AddAttendeeForm(forms.Form):
    name = forms.CharField(
        label="Add a person",
        max_length=200,
        help_text="Full name, first name, alias or initials; a new name adds a person.",
        widget=forms.TextInput(attrs={"list": "people-names", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        choices=Attendance.Status.choices, initial=Attendance.Status.PRESENT
    )
    note = forms.CharField(max_length=200, required=False)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Type a name.")
        return name


class SectionForm(VersionedForm):
    class Meta:
        model = Section
        fields = ["title", "parent", "presenter", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "spellcheck": "true"})}
        help_texts = {
            "body": "Markdown: **bold**, - lists, | tables |, [links](https://…)."
        }

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        parents = meeting.sections.order_by("position", "pk")
        if self.instance.pk:
            parents = parents.exclude(pk__in=descendant_ids(self.instance))
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "— top level —"
        self.fields["presenter"].queryset = Person.objects.order_by("name")
        self.fields["body"].max_length = MAX_BODY_LENGTH

    def clean_title(self):
        return clean_title(self.cleaned_data["title"])

    def clean_body(self):
        return check_length(self.cleaned_data["body"])


def descendant_ids(section: Section) -> set[int]:
    """The section and everything below it: places it cannot be moved into."""
    rows = Section.objects.filter(meeting=section.meeting_id).values_list(
        "pk", "parent_id"
    )
    children: dict[int | None, list[int]] = {}
    for pk, parent in rows:
        children.setdefault(parent, []).append(pk)
    found, stack = set(), [section.pk]
    while stack:
        pk = stack.pop()
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


class NewSectionForm(forms.Form):
    title = forms.CharField(max_length=300)
    parent = forms.ModelChoiceField(
        queryset=Section.objects.none(), required=False, empty_label="— top level —"
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = meeting.sections.order_by("position", "pk")

    def clean_title(self):
        return clean_title(self.cleaned_data["title"])


class ActionItemForm(VersionedForm):
    class Meta:
        model = ActionItem
        fields = [
            "reference",
            "section",
            "description",
            "owners",
            "owner_organisation",
            "owners_text",
            "due_date",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "owners": forms.SelectMultiple(attrs={"size": 6}),
        }
        labels = {"owner_organisation": "Owning organisation", "owners_text": "Or"}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.instance.series_id = meeting.series_id
        self.fields["section"].queryset = meeting.sections.order_by("position", "pk")
        self.fields["owners"].queryset = Person.objects.order_by("name")
        self.fields["owner_organisation"].queryset = Organisation.objects.all()
        # Superseding names another action; it has its own form on the action page.
        self.fields["status"].choices = [
            choice
            for choice in ActionItem.Status.choices
            if choice[0] != ActionItem.Status.SUPERSEDED
            or self.instance.status == ActionItem.Status.SUPERSEDED
        ]

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if not reference:
            raise ValidationError("Give the action a reference, e.g. 61.03.")
        # The series is not a field of this form, so Django would not check the
        # constraint itself; the database would refuse the row instead.
        taken = ActionItem.objects.filter(
            series=self.instance.series_id, reference=reference
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                f"{reference} is already used in this series; "
                "choose the next free number."
            )
        return reference

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if not text:
            raise ValidationError("Say what is to be done.")
        return check_length(text)

    def clean(self):
        cleaned = super().clean()
        owners_given = (
            cleaned.get("owners")
            or cleaned.get("owner_organisation")
            or (cleaned.get("owners_text") or "").strip()
        )
        if not owners_given:
            self.add_error(
                "owners", "Name at least one owner: people, an organisation or “All”."
            )
        return cleaned
