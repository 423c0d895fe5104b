"""The filter backend of the API, and FilterSets for lists only the API has.

Lists the HTML pages also show use the FilterSets of ``meetings.filters``, so a
query string gives the same rows on a page and in the API.
"""

import django_filters as filters
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ErrorDetail

from meetings.api.errors import QueryValidationError, form_error_details
from meetings.filters import IdFilter, StableOrderingFilter
from meetings.models import ActionItem, ActionUpdate, Attendance, Section

# Query parameters every list understands besides its filters.
_GENERAL_PARAMETERS = {"page", "page_size", "format"}


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, stricter about the query string.

    An invalid value is reported as a query error naming the parameter, and a
    parameter the list does not know (a misspelt filter, say) is refused rather
    than ignored, so that a typo cannot pass for "no rows match".
    """

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "detail", False) and not request.query_params:
            # One row by id and nothing to check: no FilterSet to build.
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        known = set(filterset.filters) if filterset is not None else set()
        choices = ", ".join(sorted(known | _GENERAL_PARAMETERS))
        errors = {
            name: [
                ErrorDetail(
                    f"Unknown query parameter. This list takes: {choices}.",
                    code="unknown_parameter",
                )
            ]
            for name in sorted(set(request.query_params) - known - _GENERAL_PARAMETERS)
        }
        if filterset is not None and not filterset.is_valid():
            errors.update(form_error_details(filterset.errors))
        if errors:
            raise QueryValidationError(errors)
        # The FilterSet already built and validated, not a second one.
        return queryset if filterset is None else filterset.qs


class SectionFilter(filters.FilterSet):
    meeting = IdFilter(field_name="meeting")
    parent = IdFilter(field_name="parent")
    q = filters.CharFilter(method="filter_text", label="Title or body contains")
    ordering = StableOrderingFilter(
        fields=(("meeting", "meeting"), ("position", "position"), ("title", "title"))
    )

    class Meta:
        model = Section
        fields = []

    def filter_text(self, queryset, name, text):
        return queryset.filter(Q(title__icontains=text) | Q(body__icontains=text))


class AttendanceFilter(filters.FilterSet):
    meeting = IdFilter(field_name="meeting")
    person = IdFilter(field_name="person")
    organisation = IdFilter(field_name="organisation")
    status = filters.MultipleChoiceFilter(choices=Attendance.Status.choices)
    ordering = StableOrderingFilter(
        fields=(("meeting", "meeting"), ("person__name", "person"))
    )

    class Meta:
        model = Attendance
        fields = []


class ActionUpdateFilter(filters.FilterSet):
    action = IdFilter(field_name="action")
    meeting = IdFilter(field_name="meeting")
    status = filters.MultipleChoiceFilter(choices=ActionItem.Status.choices)
    ordering = StableOrderingFilter(
        fields=(("meeting__date", "meeting_date"), ("created_at", "created_at"))
    )

    class Meta:
        model = ActionUpdate
        fields = []
