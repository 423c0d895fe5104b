"""``GET /api/search/``: the site's full-text search, as a paginated JSON list.

The same service as the search page (``meetings.search``), validated by the
same form (``SearchForm``), so a query finds the same hits in the same order on
the page and in the API, and a reader finds only what they may read.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.permissions import BasePermission
from rest_framework.views import APIView

from meetings import permissions
from meetings.api.errors import QueryValidationError, form_error_details
from meetings.api.filters import _GENERAL_PARAMETERS
from meetings.api.views import Pagination
from meetings.models import ActionItem, Meeting, Section
from meetings.search import MAX_QUERY_LENGTH, MAX_TERMS, SearchForm, search

# Serializers


KINDS = [
    ("meeting", "A meeting: its title or notes matched"),
    ("section", "An agenda section: its title or body matched"),
    ("action", "An action: its reference or description matched"),
]


class SearchMeetingSerializer(serializers.ModelSerializer):
    """The meeting a hit belongs to (or the hit itself, for a meeting)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail")
    series = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "date", "number", "series", "url"]
        read_only_fields = fields


class SearchSectionSerializer(serializers.ModelSerializer):
    """The agenda section found."""

    class Meta:
        model = Section
        fields = ["id", "title"]
        read_only_fields = fields


class SearchActionSerializer(serializers.ModelSerializer):
    """The action found."""

    class Meta:
        model = ActionItem
        fields = ["id", "reference", "status"]
        read_only_fields = fields


class SearchHitSerializer(serializers.Serializer):
    """One search result: a meeting, a section of it, or an action raised at it."""

    kind = serializers.ChoiceField(
        choices=KINDS,
        read_only=True,
        help_text="What was found; ``section`` or ``action`` is set accordingly.",
    )
    rank = serializers.FloatField(
        read_only=True, help_text="Relevance; results come best first."
    )
    title = serializers.CharField(
        read_only=True,
        help_text='The title of the meeting or section, or "Action <reference>".',
    )
    snippet = serializers.CharField(
        read_only=True,
        help_text="Escaped HTML: the text around the matches, each in <mark>.",
    )
    url = serializers.SerializerMethodField(
        help_text="The address of the hit on the site's HTML pages."
    )
    meeting = SearchMeetingSerializer(read_only=True)
    section = SearchSectionSerializer(
        read_only=True, allow_null=True, help_text="The section found, if any."
    )
    action = SearchActionSerializer(
        read_only=True, allow_null=True, help_text="The action found, if any."
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, hit) -> str:
        return self.context["request"].build_absolute_uri(hit.url)


# The view

_FILTERS = ("q", "series", "date_from", "date_to")
_PARAMETERS = frozenset(_FILTERS) | _GENERAL_PARAMETERS


class ReadPermission(BasePermission):
    """Read access to the minutes, as every list of the API asks (see
    ``RolePermission``); searching writes nothing, so no other method is
    allowed (405) whoever asks."""

    def has_permission(self, request, view):
        return permissions.can_read_published(request.user)


class SearchView(APIView):
    """Search meetings, agenda sections and actions, best match first.

    ``q`` takes words (all required), "quoted phrases" and -exclusions, as the
    search page does; capitals and accents do not matter. Only minutes you may
    read are searched: drafts only for those who may read drafts.
    """

    permission_classes = [ReadPermission]
    pagination_class = Pagination
    serializer_class = SearchHitSerializer
    # The service queries for itself; no filter backend applies here.
    filter_backends = []

    @extend_schema(
        operation_id="search",
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
                required=True,
                description=(
                    'Words (all required), "quoted phrases" and -exclusions, '
                    f"at most {MAX_TERMS} terms and {MAX_QUERY_LENGTH} characters; "
                    "at least one word or phrase to look for."
                ),
            ),
            OpenApiParameter(
                "series", str, description="Only meetings of this series (its slug)."
            ),
            OpenApiParameter(
                "date_from",
                OpenApiTypes.DATE,
                description="Only meetings on or after this date (YYYY-MM-DD).",
            ),
            OpenApiParameter(
                "date_to",
                OpenApiTypes.DATE,
                description="Only meetings on or before this date (YYYY-MM-DD).",
            ),
        ],
        responses=SearchHitSerializer(many=True),
    )
    def get(self, request):
        # Every problem is listed at once, as the filters of the lists do.
        choices = ", ".join(sorted(_PARAMETERS))
        errors = {
            name: [
                ErrorDetail(
                    f"Unknown query parameter. Search takes: {choices}.",
                    code="unknown_parameter",
                )
            ]
            for name in sorted(set(request.query_params) - _PARAMETERS)
        }
        form = SearchForm(request.query_params)
        if not form.is_valid():
            errors.update(form_error_details(form.errors))
        # The page shows its form for an empty query; the API needs one.
        if "q" not in form.errors and form.cleaned_data.get("q") is None:
            errors["q"] = [
                ErrorDetail("Type a word or a phrase to search for.", code="required")
            ]
        if errors:
            raise QueryValidationError(errors)

        filters = dict(form.cleaned_data)
        query = filters.pop("q")
        results = search(request.user, query, **filters)
        paginator = self.pagination_class()
        # The page's rows and the total in one query (see SearchResults).
        results.expect_page(
            request.query_params.get(paginator.page_query_param),
            paginator.get_page_size(request),
        )
        page = paginator.paginate_queryset(results, request, view=self)
        data = SearchHitSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)
