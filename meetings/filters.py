"""FilterSets shared by the HTML lists and the API.

Every filter validates its input through a form field, so a bad value (an
impossible date, a word where an id belongs, an unknown choice) becomes a form
error shown beside the filter instead of a server error.
"""

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from meetings.models import Attendance, Meeting, Organisation, Person, Series


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class StableOrderingFilter(filters.OrderingFilter):
    """Orders as asked, then by primary key, so pages never overlap or skip rows."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            descending = bool(ordering) and ordering[0].startswith("-")
            ordering.append("-pk" if descending else "pk")
        return qs.order_by(*ordering)


class MeetingFilter(filters.FilterSet):
    q = filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Title contains"
    )
    series = filters.ModelChoiceFilter(
        queryset=Series.objects.all(), to_field_name="slug", empty_label="All series"
    )
    year = YearFilter(
        field_name="date", lookup_expr="year", min_value=1900, max_value=2200
    )
    date_from = filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    chair = filters.ModelChoiceFilter(queryset=Person.objects.all())
    attendee = filters.ModelChoiceFilter(
        queryset=Person.objects.all(), method="filter_attendee", label="Attended by"
    )
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(),
        method="filter_organisation",
        label="Organisation present",
    )
    status = filters.ChoiceFilter(choices=Meeting.Status.choices)
    ordering = StableOrderingFilter(
        fields=(("date", "date"), ("number", "number"), ("title", "title")),
    )

    class Meta:
        model = Meeting
        fields = []

    def filter_attendee(self, queryset, name, person):
        attended = Attendance.objects.filter(
            meeting=OuterRef("pk"), person=person, status__in=Attendance.ATTENDED
        )
        return queryset.filter(Exists(attended))

    def filter_organisation(self, queryset, name, organisation):
        represented = Attendance.objects.filter(
            Q(organisation=organisation)
            | Q(organisation__isnull=True, person__organisation=organisation),
            meeting=OuterRef("pk"),
            status__in=Attendance.ATTENDED,
        )
        return queryset.filter(Exists(represented))
