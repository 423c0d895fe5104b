"""FilterSets shared by the HTML lists and the API.

Every filter validates its input through a form field, so a bad value (an
impossible date, a word where an id belongs, an unknown choice) becomes a form
error shown beside the filter instead of a server error.
"""

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from meetings.models import (
    ActionItem,
    Attendance,
    Meeting,
    Organisation,
    Person,
    Series,
)


class QuickSelect(forms.Select):
    """A drop-down built in Python instead of one template per option.

    Django renders each option through a template; for the few hundred people
    of a collaboration that cost more than all the rest of the meeting list.
    Same markup, no option groups.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(item) for item in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


class QuickCheckboxes(forms.CheckboxSelectMultiple):
    """Check boxes built in Python, each inside its label, for the same reason
    as ``QuickSelect``: one template per box cost more than the rest of a
    filter form."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs or {})
        base_id = attrs.pop("id", f"id_{name}")
        chosen = {str(item) for item in self.format_value(value)}
        return format_html_join(
            " ",
            '<label class="choice" for="{}_{}"><input type="checkbox" name="{}" '
            'value="{}" id="{}_{}"{}{}> {}</label>',
            (
                (
                    base_id,
                    index,
                    name,
                    key,
                    base_id,
                    index,
                    flatatt(attrs),
                    mark_safe(" checked") if str(key) in chosen else "",
                    label,
                )
                for index, (key, label) in enumerate(self.choices)
            ),
        )


class PersonInput(forms.TextInput):
    """A text box for a person, with suggestions as the user types.

    A drop-down of every person costs most of a list page once a collaboration
    has a few hundred people, and is hard to use. Here the page carries only
    the box; htmx asks ``person-suggest`` for matching names and fills the
    box's ``<datalist>``. Without JavaScript the typed name works just the same.
    """

    input_type = "search"

    def format_value(self, value):
        # An id (from a link, or the API's spelling) is shown as the name.
        if isinstance(value, Person):
            return value.name
        if isinstance(value, str) and value.strip().isdigit():
            name = (
                Person.objects.filter(pk=int(value))
                .values_list("name", flat=True)
                .first()
                if len(value.strip()) < 19
                else None
            )
            return name or value
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        options_id = f"{attrs.get('id', 'id_' + name)}-suggestions"
        attrs.update(
            {
                "list": options_id,
                "autocomplete": "off",
                "placeholder": "Name, initials or alias",
                "hx-get": f"{reverse('meetings:person-suggest')}?for={name}",
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{options_id}",
                "hx-swap": "innerHTML",
            }
        )
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', box, options_id)


class PersonField(forms.Field):
    """A person named by id, or by name, initials or alias as people type them.

    An exact name, initials or alias wins; otherwise a fragment of three or
    more characters that fits exactly one person. Anything else is a form error
    that says what matched, never a guess.
    """

    widget = PersonInput

    def to_python(self, value):
        text = " ".join(str(value or "").split())
        if not text:
            return None
        if text.isdigit():
            person = (
                Person.objects.filter(pk=int(text)).first() if len(text) < 19 else None
            )
            if person is None:
                raise ValidationError(
                    f"There is no person with id {text}.", code="invalid_choice"
                )
            return person
        return resolve_person(text)


def resolve_person(text: str) -> Person:
    """The one person ``text`` names (see ``PersonField``)."""
    people = list(Person.objects.named(text)[:6])
    if not people and len(text) >= 3:
        people = list(Person.objects.matching(text)[:6])
    if len(people) == 1:
        return people[0]
    if not people and len(text) < 3:
        raise ValidationError(
            f"“{text}” is not anyone's initials or alias: type at least three "
            "letters of a name.",
            code="invalid_choice",
        )
    if not people:
        raise ValidationError(
            f"Nobody is called “{text}”: type a name, initials or an alias.",
            code="invalid_choice",
        )
    names = ", ".join(person.name for person in people[:5])
    more = " and others" if len(people) > 5 else ""
    raise ValidationError(
        f"“{text}” fits several people ({names}{more}): type more of the name.",
        code="ambiguous",
    )


class PersonByNameFilter(filters.Filter):
    """A person by id or by name; see ``PersonField``."""

    field_class = PersonField


class SeriesFilter(filters.ModelChoiceFilter):
    """A series by its slug (``?series=collaboration``), as a drop-down."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Series.objects.only("name", "slug"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("empty_label", "All series")
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(**kwargs)


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class IdFilter(filters.NumberFilter):
    """A row id: a whole number the database can hold, else a form error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class StableOrderingFilter(filters.OrderingFilter):
    """Orders as asked, then by primary key, so pages never overlap or skip rows."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            descending = bool(ordering) and ordering[0].startswith("-")
            ordering.append("-pk" if descending else "pk")
        return qs.order_by(*ordering)


def _ranges_form(*ranges: tuple[str, str]) -> type[forms.Form]:
    """A FilterSet form that refuses a range whose end comes before its start
    (named by the end's field), instead of quietly finding nothing."""

    class RangesForm(forms.Form):
        def clean(self):
            cleaned = super().clean()
            for start, end in ranges:
                first, last = cleaned.get(start), cleaned.get(end)
                if first and last and last < first:
                    self.add_error(
                        end, f"This date is before the one in “{self[start].label}”."
                    )
            return cleaned

    return RangesForm


class MeetingFilter(filters.FilterSet):
    q = filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Title contains"
    )
    series = SeriesFilter()
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
    chair = PersonByNameFilter(field_name="chair")
    attendee = PersonByNameFilter(method="filter_attendee", label="Attended by")
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.only("short_name"),
        method="filter_organisation",
        label="Organisation present",
        widget=QuickSelect,
    )
    status = filters.ChoiceFilter(choices=Meeting.Status.choices, widget=QuickSelect)
    ordering = StableOrderingFilter(
        fields=(("date", "date"), ("number", "number"), ("title", "title")),
    )

    class Meta:
        model = Meeting
        fields = []
        form = _ranges_form(("date_from", "date_to"))

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


class ActionItemFilter(filters.FilterSet):
    """The action register's filters, shared by ``/actions/``, its CSV and the API."""

    q = filters.CharFilter(method="filter_text", label="Reference or description")
    # Status is a column, not a to-many relation: no DISTINCT is needed.
    status = filters.MultipleChoiceFilter(
        choices=ActionItem.Status.choices,
        widget=QuickCheckboxes,
        distinct=False,
    )
    owner = PersonByNameFilter(method="filter_owner", label="Owner")
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.only("short_name"),
        method="filter_organisation",
        label="Owning organisation",
        widget=QuickSelect,
    )
    series = SeriesFilter()
    # A number rather than a choice of meetings: the list of every meeting would
    # be long, and its choices would reveal which draft meetings exist.
    meeting = IdFilter(field_name="meeting", label="Raised at meeting")
    due_after = filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label="Due on or after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label="Due on or before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # A strict choice: a boolean filter would read any other word as "no filter".
    # The empty choice keeps a submitted HTML form from filtering by default.
    overdue = filters.TypedChoiceFilter(
        choices=[("", "Any"), ("true", "Overdue"), ("false", "Not overdue")],
        coerce=lambda value: value == "true",
        method="filter_overdue",
        label="Overdue",
        widget=QuickSelect,
    )
    ordering = StableOrderingFilter(
        fields=(
            ("reference", "reference"),
            ("due_date", "due_date"),
            ("status", "status"),
            ("meeting__date", "meeting_date"),
        ),
    )

    class Meta:
        model = ActionItem
        fields = []
        form = _ranges_form(("due_after", "due_before"))

    def filter_text(self, queryset, name, text):
        return queryset.filter(
            Q(reference__icontains=text)
            | Q(description__icontains=text)
            | Q(owners_text__icontains=text)
        )

    def filter_owner(self, queryset, name, person):
        return queryset.owned_by(person)

    def filter_organisation(self, queryset, name, organisation):
        return queryset.owned_by_organisation(organisation)

    def filter_overdue(self, queryset, name, overdue):
        late = queryset.overdue()
        return late if overdue else queryset.exclude(pk__in=late.values("pk"))


class PersonFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_text", label="Name, initials or alias")
    organisation = filters.ModelChoiceFilter(queryset=Organisation.objects.all())
    is_active = filters.TypedChoiceFilter(
        choices=[("", "Any"), ("true", "Active"), ("false", "Inactive")],
        coerce=lambda value: value == "true",
        label="Active",
    )
    ordering = StableOrderingFilter(fields=(("name", "name"),))

    class Meta:
        model = Person
        fields = []

    def filter_text(self, queryset, name, text):
        return queryset.matching(text)


class OrganisationFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_text", label="Name contains")
    country = filters.CharFilter(lookup_expr="iexact")
    ordering = StableOrderingFilter(
        fields=(("short_name", "short_name"), ("country", "country"))
    )

    class Meta:
        model = Organisation
        fields = []

    def filter_text(self, queryset, name, text):
        return queryset.filter(Q(short_name__icontains=text) | Q(name__icontains=text))
