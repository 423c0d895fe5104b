"""How the API reads and writes each resource.

Serializers validate and translate; rules that change several rows live in
``meetings.services``. Lists use light serializers (ids and links for related
rows) and details use rich ones, so a list never queries per row.
"""

import copy
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from meetings import editing
from meetings.models import (
    ActionItem,
    ActionUpdate,
    Attendance,
    Meeting,
    Organisation,
    Person,
    Section,
    Series,
)

# Fields a browsable-API form adds to what the client typed.
_FORM_ONLY_FIELDS = {"csrfmiddlewaretoken"}


class StrictFieldsMixin:
    """Refuses a body that names a field the serializer does not have.

    A misspelt field would otherwise be dropped without a word, and the client
    would believe it had saved a value it had not.
    """

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            writable = ", ".join(
                name for name, field in self.fields.items() if not field.read_only
            )
            unknown = {
                name: [
                    serializers.ErrorDetail(
                        f"Unknown field. Writable fields are: {writable}.",
                        code="unknown_field",
                    )
                ]
                for name in sorted(set(data) - set(self.fields) - _FORM_ONLY_FIELDS)
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **unknown}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class ModelCleanMixin:
    """Runs the model's own ``clean()`` on the would-be row, so the API refuses
    what the admin and the forms refuse, with the same messages."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        row = copy.copy(self.instance) if self.instance else model()
        many_to_many = {field.name for field in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many and name != "version":
                setattr(row, name, value)
        try:
            row.clean()
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise serializers.ValidationError(error.message_dict) from None
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
            ) from None
        return attrs


class VersionedSerializerMixin:
    """Accepts the ``version`` the client loaded; the view compares it and the
    model's ``save`` sets the next one, so it is never written as sent."""

    def get_fields(self):
        fields = super().get_fields()
        if "version" in getattr(self.Meta, "read_only_fields", ()):
            return fields
        fields["version"] = serializers.IntegerField(
            min_value=1,
            required=False,
            help_text=(
                "The version you loaded. Send it back with a change: if someone "
                "saved since, the change is refused with 409."
            ),
        )
        return fields

    def create(self, validated_data):
        validated_data.pop("version", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("version", None)
        return super().update(instance, validated_data)


class FixedParentMixin:
    """The fields in ``fixed_on_update`` (such as the meeting a section belongs
    to) are set when the row is created and cannot be changed afterwards."""

    fixed_on_update: tuple[str, ...] = ()

    def validate(self, attrs):
        if self.instance is not None:
            errors = {
                name: serializers.ErrorDetail(
                    "This cannot be changed once set.", code="immutable"
                )
                for name in self.fixed_on_update
                if name in attrs and attrs[name] != getattr(self.instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().validate(attrs)


class VisibleRowsMixin:
    """Limits the choices of related fields to the rows the caller may read.

    ``visible_querysets`` maps a field name to a function of the user returning
    the allowed rows; a draft meeting's id is then as unknown to a member as an
    id that does not exist.
    """

    visible_querysets: dict = {}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, rows in self.visible_querysets.items():
            field = fields.get(name)
            if field is None or field.read_only or user is None:
                continue
            target = getattr(field, "child_relation", field)
            target.queryset = rows(user)
        return fields


class MinutesModelSerializer(
    StrictFieldsMixin,
    FixedParentMixin,
    ModelCleanMixin,
    VisibleRowsMixin,
    serializers.ModelSerializer,
):
    """The base of every writable serializer of the API."""


def _visible_meetings(user):
    return Meeting.objects.visible_to(user)


def _visible_sections(user):
    return Section.objects.visible_to(user)


def _visible_actions(user):
    return ActionItem.objects.visible_to(user)


# Directory


class SeriesSerializer(MinutesModelSerializer):
    """A recurring meeting, such as a collaboration meeting or a steering group."""

    url = serializers.HyperlinkedIdentityField(view_name="api:series-detail")

    class Meta:
        model = Series
        fields = ["id", "url", "name", "slug", "description"]


class OrganisationSerializer(MinutesModelSerializer):
    """A facility or institute."""

    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail")

    class Meta:
        model = Organisation
        fields = ["id", "url", "short_name", "name", "country"]


class PersonSerializer(MinutesModelSerializer):
    """A person as everyone but staff sees them: no e-mail address."""

    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail")
    aliases = serializers.SlugRelatedField(
        slug_field="alias",
        many=True,
        read_only=True,
        help_text="Other ways the person is written, e.g. a first name.",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "url",
            "name",
            "initials",
            "organisation",
            "is_active",
            "aliases",
        ]


class PersonWithEmailSerializer(PersonSerializer):
    """A person as staff see them, with the e-mail address (personal data)."""

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "email"]
        extra_kwargs = {"email": {"help_text": "Personal data: staff only."}}


class PersonBriefSerializer(serializers.ModelSerializer):
    """A person named inside another resource: never personal data."""

    class Meta:
        model = Person
        fields = ["id", "name", "initials"]
        read_only_fields = fields


# Meetings and their parts


class SectionSerializer(VersionedSerializerMixin, MinutesModelSerializer):
    """An agenda item; ``parent`` nests it under another section of its meeting."""

    url = serializers.HyperlinkedIdentityField(view_name="api:section-detail")
    fixed_on_update = ("meeting",)
    visible_querysets = {"meeting": _visible_meetings, "parent": _visible_sections}

    class Meta:
        model = Section
        fields = [
            "id",
            "url",
            "meeting",
            "parent",
            "position",
            "title",
            "body",
            "presenter",
            "version",
        ]


class SectionNodeSerializer(serializers.Serializer):
    """One node of a meeting's section tree, with its children in order."""

    id = serializers.IntegerField(source="section.id")
    title = serializers.CharField(source="section.title")
    position = serializers.IntegerField(source="section.position")
    body = serializers.CharField(source="section.body", help_text="Markdown.")
    presenter = PersonBriefSerializer(source="section.presenter", allow_null=True)
    version = serializers.IntegerField(source="section.version")
    depth = serializers.IntegerField(help_text="1 for a top-level section.")

    def to_representation(self, node):
        # The fields above describe a node (for the schema); a tree of a few
        # dozen nodes is written out directly, which costs a fraction of
        # running each field of each node.
        return _section_node(node)


def _section_node(node) -> dict:
    section, presenter = node.section, node.section.presenter
    return {
        "id": section.id,
        "title": section.title,
        "position": section.position,
        "body": section.body,
        "presenter": (
            None
            if presenter is None
            else {
                "id": presenter.id,
                "name": presenter.name,
                "initials": presenter.initials,
            }
        ),
        "version": section.version,
        "depth": node.depth,
        "children": [_section_node(child) for child in node.children],
    }


# A tree's children are nodes of the same kind; the field can only name the
# class once the class exists.
SectionNodeSerializer._declared_fields["children"] = SectionNodeSerializer(
    many=True, read_only=True
)


class AttendanceSerializer(MinutesModelSerializer):
    """One person's attendance at one meeting."""

    url = serializers.HyperlinkedIdentityField(view_name="api:attendance-detail")
    fixed_on_update = ("meeting",)
    visible_querysets = {"meeting": _visible_meetings}

    class Meta:
        model = Attendance
        fields = ["id", "url", "meeting", "person", "status", "organisation", "note"]


class MeetingAttendanceSerializer(serializers.ModelSerializer):
    """Attendance inside a meeting: the person named, not just numbered."""

    person = PersonBriefSerializer()

    class Meta:
        model = Attendance
        fields = ["id", "person", "status", "organisation", "note"]
        read_only_fields = fields

    def to_representation(self, attendance):
        # Read-only and written out directly, like the section tree.
        person = attendance.person
        return {
            "id": attendance.pk,
            "person": {
                "id": person.pk,
                "name": person.name,
                "initials": person.initials,
            },
            "status": attendance.status,
            "organisation": attendance.organisation_id,
            "note": attendance.note,
        }


def _iso(day):
    return None if day is None else day.isoformat()


class ActionItemSerializer(VersionedSerializerMixin, MinutesModelSerializer):
    """An action raised at a meeting, owned by people and/or an organisation."""

    url = serializers.HyperlinkedIdentityField(view_name="api:actionitem-detail")
    # Read through the meeting, which every action QuerySet already joins.
    series = serializers.SlugRelatedField(
        source="meeting.series", slug_field="slug", read_only=True
    )
    owner_names = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Owners as one would write them: people, organisation, free text.",
    )
    is_overdue = serializers.BooleanField(read_only=True)
    fixed_on_update = ("meeting",)
    visible_querysets = {
        "meeting": _visible_meetings,
        "section": _visible_sections,
        "superseded_by": _visible_actions,
        "closed_at": _visible_meetings,
    }

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "url",
            "series",
            "meeting",
            "section",
            "reference",
            "description",
            "owners",
            "owner_organisation",
            "owners_text",
            "owner_names",
            "due_date",
            "status",
            "is_overdue",
            "superseded_by",
            "closed_at",
            "closed_on",
            "version",
        ]
        extra_kwargs = {
            "reference": {
                "required": False,
                "help_text": "Unique in the series; when left out on creation, the "
                "next free one from the meeting number (e.g. 61.03).",
            }
        }

    def to_representation(self, action):
        # The fields above describe and validate an action; reading one (25 a
        # page in lists) writes the same object directly, a fraction of the
        # cost of running eighteen fields. A test holds the two to the same
        # output.
        request = self.context.get("request")
        url = reverse("api:actionitem-detail", args=[action.pk])
        return {
            "id": action.pk,
            "url": request.build_absolute_uri(url) if request is not None else url,
            "series": action.meeting.series.slug,
            "meeting": action.meeting_id,
            "section": action.section_id,
            "reference": action.reference,
            "description": action.description,
            "owners": [person.pk for person in action.owners.all()],
            "owner_organisation": action.owner_organisation_id,
            "owners_text": action.owners_text,
            "owner_names": action.owner_names(),
            "due_date": _iso(action.due_date),
            "status": action.status,
            "is_overdue": action.is_overdue(),
            "superseded_by": action.superseded_by_id,
            "closed_at": action.closed_at_id,
            "closed_on": _iso(action.closed_on),
            "version": action.version,
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        meeting = attrs.get("meeting") or self.instance.meeting
        if self.instance is None and not attrs.get("reference"):
            attrs["reference"] = editing.next_action_reference(meeting)
        reference = attrs.get("reference")
        if reference is not None:
            taken = ActionItem.objects.filter(
                series=meeting.series_id, reference=reference
            )
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError(
                    {
                        "reference": serializers.ErrorDetail(
                            f"Another action of this series is already {reference}.",
                            code="unique",
                        )
                    }
                )
        return attrs


class ActionUpdateSerializer(MinutesModelSerializer):
    """What a meeting recorded about an action: its status then and a comment."""

    url = serializers.HyperlinkedIdentityField(view_name="api:actionupdate-detail")
    fixed_on_update = ("action", "meeting")
    visible_querysets = {"action": _visible_actions, "meeting": _visible_meetings}

    class Meta:
        model = ActionUpdate
        fields = ["id", "url", "action", "meeting", "status", "comment", "created_at"]
        read_only_fields = ["created_at"]


class MeetingActionUpdateSerializer(serializers.ModelSerializer):
    """An action update inside the meeting that recorded it."""

    reference = serializers.CharField(source="action.reference")

    class Meta:
        model = ActionUpdate
        fields = ["id", "action", "reference", "status", "comment"]
        read_only_fields = fields

    def to_representation(self, update):
        return {
            "id": update.pk,
            "action": update.action_id,
            "reference": update.action.reference,
            "status": update.status,
            "comment": update.comment,
        }


class MeetingSerializer(VersionedSerializerMixin, MinutesModelSerializer):
    """A meeting's own fields, as written; publishing has its own endpoint."""

    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail")
    series = serializers.SlugRelatedField(
        slug_field="slug", queryset=Series.objects.all(), help_text="Series slug."
    )
    fixed_on_update = ("series",)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
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
            "status",
            "published_at",
            "approved_at",
            "version",
        ]
        read_only_fields = ["status", "published_at", "approved_at"]


class MeetingListSerializer(serializers.ModelSerializer):
    """A row of the meeting list: counts instead of nested rows."""

    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail")
    series = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    attendee_count = serializers.IntegerField(read_only=True)
    action_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "series",
            "number",
            "title",
            "date",
            "status",
            "chair",
            "attendee_count",
            "action_count",
            "version",
        ]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with everything its page shows: sections as a tree,
    attendance, the actions it raised and the updates it recorded."""

    chair = PersonBriefSerializer(read_only=True, allow_null=True)
    scribes = PersonBriefSerializer(many=True, read_only=True)
    sections = serializers.SerializerMethodField()
    attendance = MeetingAttendanceSerializer(
        source="attendances", many=True, read_only=True
    )
    actions = ActionItemSerializer(source="actions_raised", many=True, read_only=True)
    action_updates = MeetingActionUpdateSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "sections",
            "attendance",
            "actions",
            "action_updates",
        ]
        read_only_fields = fields

    @extend_schema_field(SectionNodeSerializer(many=True))
    def get_sections(self, meeting):
        return SectionNodeSerializer(meeting.section_tree(), many=True).data


class PublishSerializer(serializers.Serializer):
    """Publishing takes no fields; an empty object is the whole body."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - _FORM_ONLY_FIELDS)
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [
                            serializers.ErrorDetail(
                                "Unknown field. Publishing takes no fields.",
                                code="unknown_field",
                            )
                        ]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class MinutesImportSerializer(serializers.Serializer):
    """A Markdown minutes file (or its text) to import as a draft meeting."""

    file = serializers.FileField(
        required=False, help_text="A Markdown file, UTF-8, at most 1 MB."
    )
    text = serializers.CharField(
        required=False, trim_whitespace=False, help_text="Or the text itself."
    )
    series = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Series.objects.all(),
        help_text="Slug of the series the meeting belongs to.",
    )
    date = serializers.DateField(
        required=False, help_text="Only needed when the minutes state no date."
    )


class MinutesImportDryRunSerializer(serializers.Serializer):
    """What a dry run understood: the parser's contract, and its warnings."""

    dry_run = serializers.BooleanField()
    parsed = serializers.DictField(
        help_text="title, date, number, series, chair, scribe, attendees, "
        "apologies, absent, sections, actions: as in `import_minutes --json`."
    )
    warnings = serializers.ListField(child=serializers.CharField())


class ReviewChangeSerializer(serializers.Serializer):
    """One action's outcome at the meeting under review."""

    action = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The action's version as read: a changed action refuses the review.",
    )
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=10_000, default=""
    )


class ReviewSerializer(serializers.Serializer):
    """A chair's review of open actions at a meeting, saved all or nothing."""

    changes = ReviewChangeSerializer(many=True, allow_empty=False)
