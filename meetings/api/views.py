"""Viewsets of the API: one per resource, reading through the model QuerySets.

Every viewset starts from the rows the caller may read (``visible_to``), so a
draft is absent, not forbidden, for a reader without access to drafts.
Meetings, sections and actions carry a version: their responses have an
``ETag``, and a change sent against an older version is refused (412 for a
stale ``If-Match``, 409 for a stale ``version`` in the body) without writing.
"""

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from meetings import permissions, reviewing, services
from meetings.api import serializers
from meetings.api.errors import Conflict, PreconditionFailed
from meetings.api.filters import (
    ActionUpdateFilter,
    AttendanceFilter,
    FilterBackend,
    SectionFilter,
)
from meetings.api.permissions import (
    PublishPermission,
    ReviewPermission,
    RolePermission,
)
from meetings.filters import (
    ActionItemFilter,
    MeetingFilter,
    OrganisationFilter,
    PersonFilter,
)
from meetings.importing.model import MinutesParseError
from meetings.importing.upload import (
    MinutesUploadForm,
    create_from_upload,
    parse_upload,
)
from meetings.importing.writer import EditedSinceImport, MinutesWriteError, MissingDate
from meetings.models import (
    ActionItem,
    ActionUpdate,
    Attendance,
    Meeting,
    Organisation,
    Person,
    Section,
    Series,
    VersionedModel,
)


class Pagination(PageNumberPagination):
    """Pages of the site's page size; ``page_size`` asks for up to 100 rows."""

    page_size = settings.MINUTES_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 100


def etag(version: int) -> str:
    return f'"{version}"'


class MinutesViewSet(viewsets.ModelViewSet):
    """Shared behaviour: roles, strict filters, pagination, versions.

    ``serializer_class`` reads bodies; ``detail_serializer_class`` (when set)
    shows one row and answers writes; ``list_serializer_class`` (when set)
    shows the rows of a list.
    """

    permission_classes = [RolePermission]
    filter_backends = [FilterBackend]
    pagination_class = Pagination
    list_serializer_class = None
    detail_serializer_class = None

    @property
    def versioned(self) -> bool:
        return issubclass(self.queryset.model, VersionedModel)

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class:
            return self.list_serializer_class
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def retrieve(self, request, *args, **kwargs):
        return self.respond(self.get_object())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            instance = self.perform_create(serializer)
        return self.respond(self.reload(instance), status.HTTP_201_CREATED)

    def perform_create(self, serializer):
        return serializer.save()

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        matched = self.if_match_version(instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)

        if not self.versioned:
            with transaction.atomic():
                serializer.save()
            return self.respond(self.reload(instance))

        sent = serializer.validated_data.get("version")
        if sent is not None and sent != instance.version:
            raise Conflict(
                f"You sent version {sent}, but version {instance.version} was saved "
                "since; reload, reapply your change and send it again.",
                code="stale_version",
            )
        if partial and not set(serializer.validated_data) - {"version"}:
            # Nothing to change: no write, and the version stays as it is.
            return self.respond(instance)
        try:
            services.save_versioned(instance, instance.version, serializer.save)
        except services.StaleVersion as stale:
            raise self.stale(stale.current, if_match=matched is not None) from None
        return self.respond(self.reload(instance))

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        matched = self.if_match_version(instance)
        if matched is None:
            with transaction.atomic():
                instance.delete()
        else:
            try:
                services.save_versioned(instance, matched, instance.delete)
            except services.StaleVersion as stale:
                raise self.stale(stale.current, if_match=True) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def reload(self, instance):
        """The saved row, read the way a detail request reads it."""
        found = self.get_queryset().filter(pk=instance.pk).first()
        return found or instance

    def respond(self, instance, status_code=status.HTTP_200_OK):
        serializer_class = self.detail_serializer_class or self.serializer_class
        data = serializer_class(instance, context=self.get_serializer_context()).data
        headers = {"ETag": etag(instance.version)} if self.versioned else {}
        return Response(data, status=status_code, headers=headers)

    def if_match_version(self, instance) -> int | None:
        """The version an ``If-Match`` header names, if it names the current one.

        None when there is no such header (or the resource has no versions);
        ``PreconditionFailed`` when the header names only other versions.
        """
        header = self.request.headers.get("If-Match")
        if header is None or not self.versioned:
            return None
        if header.strip() == "*":
            return instance.version
        # If-Match compares strongly (RFC 9110, 13.1.1): a weak tag never matches.
        tags = {tag.strip() for tag in header.split(",")}
        if etag(instance.version) in tags:
            return instance.version
        raise self.stale(instance.version, if_match=True)

    def stale(self, current: int | None, *, if_match: bool):
        if if_match:
            return PreconditionFailed(
                f"If-Match does not name the current version; the current ETag is "
                f"{etag(current)}. Reload and send your change again."
            )
        return Conflict(
            "Someone saved this resource while your change was on its way; "
            "reload, reapply your change and send it again.",
            code="stale_version",
        )


# Directory


class SeriesViewSet(MinutesViewSet):
    """Recurring meetings. Staff create and change them."""

    queryset = Series.objects.all()
    serializer_class = serializers.SeriesSerializer

    def get_queryset(self):
        return Series.objects.order_by("name", "pk")


class OrganisationViewSet(MinutesViewSet):
    """Facilities and institutes. Staff create and change them."""

    queryset = Organisation.objects.all()
    serializer_class = serializers.OrganisationSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return Organisation.objects.order_by("short_name", "pk")


class PersonViewSet(MinutesViewSet):
    """People. E-mail addresses are shown to staff only, in every representation
    (including the forms of the browsable API and OPTIONS)."""

    queryset = Person.objects.all()
    filterset_class = PersonFilter

    def get_queryset(self):
        return (
            Person.objects.with_organisation()
            .prefetch_related("aliases")
            .order_by("name", "pk")
        )

    def get_serializer_class(self):
        # The schema documents the staff view, with ``email`` optional.
        if getattr(self, "swagger_fake_view", False):
            return serializers.PersonWithEmailSerializer
        if permissions.can_see_personal_data(self.request.user):
            return serializers.PersonWithEmailSerializer
        return serializers.PersonSerializer

    @property
    def serializer_class(self):
        return self.get_serializer_class()


# Meetings and their parts


@extend_schema_view(
    create=extend_schema(responses={201: serializers.MeetingDetailSerializer}),
    update=extend_schema(responses={200: serializers.MeetingDetailSerializer}),
    partial_update=extend_schema(responses={200: serializers.MeetingDetailSerializer}),
)
class MeetingViewSet(MinutesViewSet):
    """Meetings. Lists are light; one meeting comes with its section tree,
    attendance, actions raised and action updates recorded."""

    queryset = Meeting.objects.all()
    serializer_class = serializers.MeetingSerializer
    list_serializer_class = serializers.MeetingListSerializer
    detail_serializer_class = serializers.MeetingDetailSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        meetings = Meeting.objects.visible_to(self.request.user)
        if self.action == "list":
            return meetings.for_list()
        # The detail names the actions a meeting reviewed, not their owners.
        return meetings.with_tree(owners_of_updates=False)

    @extend_schema(
        request=serializers.PublishSerializer,
        responses={200: serializers.MeetingDetailSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[PublishPermission],
        serializer_class=serializers.PublishSerializer,
    )
    def publish(self, request, pk=None):
        """Publish the minutes (chairs); publishing published minutes changes
        nothing. Send ``If-Match`` to publish only the version you read."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = self.get_object()
        with transaction.atomic():
            locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
            self.if_match_version(locked)
            services.publish_meeting(locked, request.user)
        return self.respond(self.reload(meeting))

    @extend_schema(
        request=serializers.ReviewSerializer,
        responses={200: serializers.ActionUpdateSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[ReviewPermission],
        serializer_class=serializers.ReviewSerializer,
    )
    def review(self, request, pk=None):
        """Record the chair's review of actions open before this meeting (chairs).

        The same service as the review page: one update per action at this
        meeting, statuses and closures applied, all or nothing; an action whose
        ``version`` moved since it was read refuses the whole review with 409.
        """
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = self.get_object()
        changes = [
            reviewing.ReviewChange(
                change["action"], change["version"], change["status"], change["comment"]
            )
            for change in serializer.validated_data["changes"]
        ]
        try:
            updates = reviewing.record_review(meeting, changes, request.user)
        except reviewing.StaleReview as error:
            raise Conflict(str(error)) from None
        except reviewing.ReviewError as error:
            raise ValidationError({"changes": [str(error)]}) from None
        context = self.get_serializer_context()
        data = serializers.ActionUpdateSerializer(
            updates, many=True, context=context
        ).data
        return Response(data)

    @extend_schema(
        request={"multipart/form-data": serializers.MinutesImportSerializer},
        parameters=[
            OpenApiParameter(
                "dry_run",
                bool,
                description="Parse only: return what was understood, write nothing.",
            )
        ],
        responses={
            200: PolymorphicProxySerializer(
                component_name="MinutesImportResult",
                serializers=[
                    serializers.MinutesImportDryRunSerializer,
                    serializers.MeetingDetailSerializer,
                ],
                resource_type_field_name=None,
            ),
            201: serializers.MeetingDetailSerializer,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser],
        serializer_class=serializers.MinutesImportSerializer,
    )
    def import_minutes(self, request):
        """Import a Markdown minutes file as a draft meeting (scribes, chairs).

        The same text again answers 200 with the meeting it made; a meeting
        edited on the site since answers 409. ``?dry_run=1`` writes nothing.
        """
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cleaned = _clean_upload(serializer.validated_data)
        try:
            parsed = parse_upload(cleaned)
        except MissingDate as error:
            raise ValidationError(
                {"date": [f"{error}: send the meeting's date."]}
            ) from None
        except (MinutesParseError, MinutesWriteError) as error:
            raise ValidationError({_upload_field(cleaned): [_where(error)]}) from None
        if _truthy(request.query_params.get("dry_run")):
            body = {
                "dry_run": True,
                "parsed": parsed.to_expected_dict(),
                "warnings": [str(warning) for warning in parsed.warnings],
            }
            return Response(body)
        try:
            result = create_from_upload(cleaned, parsed)
        except EditedSinceImport as error:
            raise Conflict(str(error)) from None
        except MinutesWriteError as error:
            raise ValidationError({_upload_field(cleaned): [_where(error)]}) from None
        created = result.outcome == "created"
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return self.respond(self.reload(result.meeting), status_code=code)


def _clean_upload(data: dict) -> dict:
    """Check the upload with the site's own form: size, encoding, file or text."""
    form = MinutesUploadForm(
        data={
            "text": data.get("text", ""),
            "series": data["series"].pk,
            "date": data.get("date") or "",
        },
        files={"file": data["file"]} if data.get("file") else None,
    )
    if not form.is_valid():
        whole = "file" if data.get("file") else "text"
        errors = {
            (whole if field == "__all__" else field): messages
            for field, messages in form.errors.items()
        }
        raise ValidationError(errors)
    return form.cleaned_data


def _upload_field(cleaned: dict) -> str:
    return "file" if cleaned.get("filename") else "text"


def _where(error) -> str:
    if error.line is None:
        return f"The minutes cannot be imported: {error.message}."
    return f"Line {error.line}: {error.message}."


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


class SectionViewSet(MinutesViewSet):
    """Agenda items; ``parent`` nests a section under another of its meeting."""

    queryset = Section.objects.all()
    serializer_class = serializers.SectionSerializer
    filterset_class = SectionFilter

    def get_queryset(self):
        return Section.objects.visible_to(self.request.user).order_by(
            "meeting_id", "position", "pk"
        )


class AttendanceViewSet(MinutesViewSet):
    """Who attended which meeting, and how."""

    queryset = Attendance.objects.all()
    serializer_class = serializers.AttendanceSerializer
    filterset_class = AttendanceFilter

    def get_queryset(self):
        return Attendance.objects.visible_to(self.request.user).order_by(
            "meeting_id", "person__name", "pk"
        )


class ActionItemViewSet(MinutesViewSet):
    """Actions, filtered as on the action register."""

    queryset = ActionItem.objects.all()
    serializer_class = serializers.ActionItemSerializer
    filterset_class = ActionItemFilter

    def get_queryset(self):
        return ActionItem.objects.visible_to(self.request.user).for_list()


class ActionUpdateViewSet(MinutesViewSet):
    """What later meetings recorded about actions."""

    queryset = ActionUpdate.objects.all()
    serializer_class = serializers.ActionUpdateSerializer
    filterset_class = ActionUpdateFilter

    def get_queryset(self):
        return ActionUpdate.objects.visible_to(self.request.user).order_by(
            "meeting__date", "pk"
        )

    def perform_create(self, serializer):
        return serializer.save(created_by=self.request.user)
