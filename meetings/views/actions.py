"""The action register, the chairs' review of a meeting, and action exports.

Reads go through ``ActionItem.objects.visible_to(user)`` and the selectors in
``meetings.reviewing``; changes go through its services.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView

from meetings import permissions, reviewing
from meetings.action_forms import (
    SupersedeForm,
    posted_action_ids,
    review_formset,
)
from meetings.exporting import csv as csv_export
from meetings.exporting import ical
from meetings.filters import ActionItemFilter
from meetings.models import ActionItem, Meeting, Person, Series
from meetings.views.pages import ForgivingPaginationMixin, ReadAccessMixin


class ChairRequiredMixin:
    """Pages that change actions: chairs only; others are told they may not."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_review_actions(request.user):
            raise PermissionDenied("Only chairs may review or supersede actions.")
        return super().dispatch(request, *args, **kwargs)


# The register


class ActionListView(ReadAccessMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = ActionItemFilter
    template_name = "meetings/actionitem_filter.html"

    def get_queryset(self):
        return ActionItem.objects.visible_to(self.request.user).for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["status_links"] = self._status_links()
        return context

    def _status_links(self) -> list[dict]:
        """Each status with its count under the other filters, and a link to it."""
        query = self.request.GET.copy()
        for name in ("status", "page"):
            query.pop(name, None)
        if query:
            others = ActionItemFilter(
                query, queryset=self.get_queryset(), request=self.request
            )
            if not others.is_valid():
                return []
            counts = others.qs.status_counts()
        else:
            # No other filter: count over everything, without a second FilterSet.
            queryset = ActionItem.objects.visible_to(self.request.user)
            counts = queryset.status_counts()
        links = []
        for status in ActionItem.Status:
            query.setlist("status", [status.value])
            links.append(
                {
                    "status": status.value,
                    "label": status.label,
                    "count": counts[status],
                    "query": query.urlencode(),
                }
            )
        return links


class ActionCsvView(ReadAccessMixin, View):
    """The register as CSV, filtered like the page; no pagination."""

    def get(self, request):
        queryset = ActionItem.objects.visible_to(request.user).for_list()
        filterset = ActionItemFilter(request.GET, queryset=queryset, request=request)
        if not filterset.is_valid():
            return _filter_errors_response(filterset)

        rows = csv_export.action_rows(filterset.qs, request.build_absolute_uri)
        response = StreamingHttpResponse(
            csv_export.stream(rows), content_type="text/csv; charset=utf-8"
        )
        filename = f"actions-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _filter_errors_response(filterset) -> HttpResponse:
    lines = ["The filters are not valid:"]
    for name, errors in filterset.errors.items():
        lines += [f"- {name}: {error}" for error in errors]
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


class MyActionsView(TemplateView):
    """The logged-in user's own actions, through the person linked to the account."""

    template_name = "meetings/my_actions.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        person = Person.objects.filter(user=self.request.user).first()
        context = super().get_context_data(person=person, today=today, **kwargs)
        if person is None:
            return context

        actions = (
            ActionItem.objects.visible_to(self.request.user).owned_by(person).for_list()
        )
        year_ago = today - datetime.timedelta(days=365)
        context.update(
            open_actions=actions.open().order_by("due_date", "reference", "pk"),
            overdue_count=actions.overdue(on=today).count(),
            closed_actions=actions.closed()
            .filter(closed_on__gte=year_ago)
            .order_by("-closed_on", "-pk")[:50],
        )
        return context


class ActionSummaryView(ReadAccessMixin, TemplateView):
    """Open, overdue and recently done actions per person and per organisation."""

    template_name = "meetings/action_summary.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        return super().get_context_data(
            today=today,
            people=reviewing.person_summaries(user, on=today),
            organisations=reviewing.organisation_summaries(user, on=today),
            **kwargs,
        )


# The review of a meeting

GROUPINGS = {"owner": "owner", "organisation": "organisation"}
LIST_CHANGED = (
    "Nothing was saved: the list of actions to review changed since you opened "
    "this page (an action on it is no longer open before this meeting, or no "
    "longer yours to read). Here is the current page; please make your changes "
    "again."
)
INCOMPLETE_FORM = (
    "Nothing was saved: the form arrived incomplete (its management data or the "
    "ids of its actions are missing or not valid). Reload the page and try again."
)


class MeetingReviewView(ChairRequiredMixin, View):
    """A chair records, for each action open before the meeting, its status there.

    The review is paged: ``reviewing.review_page_size()`` rows a page, in the
    order of ``reviewing.in_review_order`` (computed by the database, so a page
    loads only its rows). Saving a page records only the rows it posted, which
    are looked up by the action ids posted rather than by position.
    """

    template_name = "meetings/meeting_review.html"

    def get(self, request, pk):
        meeting = self._meeting(pk)
        queryset = self._queryset(meeting)
        page = self._page(queryset)
        rows, before = self._page_rows(queryset, page)
        formset = review_formset(rows=rows)
        return self._render(meeting, page, formset, before)

    def post(self, request, pk):
        meeting = self._meeting(pk)
        queryset = self._queryset(meeting)
        ids = posted_action_ids(request.POST, reviewing.review_page_size())
        if ids is None:
            return self._render_current(meeting, queryset, INCOMPLETE_FORM, 400)
        found = {row.pk: row for row in queryset.filter(pk__in=ids)}
        if len(found) != len(ids):
            # A posted action left the review (closed at an earlier meeting,
            # deleted, no longer readable): show the page as it is now rather
            # than save part of what the chair meant.
            return self._render_current(meeting, queryset, LIST_CHANGED, 409)
        formset = review_formset(request.POST, rows=[found[pk] for pk in ids])
        if not formset.management_form.is_valid():
            return self._render_current(meeting, queryset, INCOMPLETE_FORM, 400)
        if not formset.is_valid():
            return self._render_posted(meeting, queryset, formset)

        changes = formset.changes()
        try:
            reviewing.record_review(meeting, changes, request.user)
        except reviewing.StaleReview as error:
            return self._render_posted(
                meeting, queryset, formset, error=str(error), status=409
            )
        except reviewing.ReviewError as error:
            return self._render_posted(meeting, queryset, formset, error=str(error))

        if changes:
            messages.success(
                request, f"Recorded {len(changes)} update(s) at {meeting.title}."
            )
        else:
            messages.info(request, "Nothing changed, so nothing was recorded.")
        return HttpResponseRedirect(self._self_url(meeting, self._next_page_number()))

    def _meeting(self, pk) -> Meeting:
        meetings = Meeting.objects.visible_to(self.request.user)
        return get_object_or_404(meetings.select_related("series"), pk=pk)

    def _grouping(self) -> str:
        return GROUPINGS.get(self.request.GET.get("group", ""), "owner")

    def _page_number(self) -> int:
        """The page asked for in the URL, 1 unless it is a positive number."""
        number = self.request.GET.get("page", "")
        if number.isascii() and number.isdigit() and len(number) < 7:
            return max(int(number), 1)
        return 1

    def _next_page_number(self) -> int:
        """Where a save goes: the page the chair asked to see next ("Save and
        show page N"), else the page saved."""
        then = self.request.POST.get("then", "")
        if then.isascii() and then.isdigit() and len(then) < 7:
            return max(int(then), 1)
        return self._page_number()

    def _queryset(self, meeting):
        return reviewing.review_rows(meeting, self.request.user, self._grouping())

    def _page(self, queryset) -> Page:
        """The page asked for; the nearest one when out of range or not a number."""
        paginator = Paginator(queryset, reviewing.review_page_size())
        return paginator.get_page(self.request.GET.get("page"))

    def _page_rows(self, queryset, page: Page) -> tuple[list[ActionItem], list]:
        """The page's rows, and the group of the row before them (a list of 0 or 1).

        The row before tells whether the page's first group continues one
        from the previous page; reading it in the same query costs one row.
        """
        start = page.start_index()  # 1-based; 0 when the review is empty
        if start <= 1:
            return list(page.object_list), []
        rows = list(queryset[start - 2 : page.end_index()])
        return rows[1:], [row.review_group for row in rows[:1]]

    def _self_url(self, meeting, page_number: int = 1) -> str:
        url = reverse("meetings:meeting-review", args=[meeting.pk])
        query = {"group": self._grouping()}
        if page_number > 1:
            query["page"] = page_number
        return f"{url}?{urlencode(query)}"

    def _render_current(self, meeting, queryset, error: str, status: int):
        """The page as it is now, with ``error``: what the chair posted is lost."""
        page = self._page(queryset)
        rows, before = self._page_rows(queryset, page)
        formset = review_formset(rows=rows)
        return self._render(meeting, page, formset, before, error, status)

    def _render_posted(
        self, meeting, queryset, formset, error: str = "", status: int = 200
    ):
        """The rows as posted, with what the chair typed, and ``error``."""
        page = self._page(queryset)
        before = []
        start = page.start_index()
        if start > 1:
            groups = queryset.prefetch_related(None).values_list(
                "review_group", flat=True
            )
            before = list(groups[start - 2 : start - 1])
        return self._render(meeting, page, formset, before, error, status)

    def _render(
        self, meeting, page, formset, before, error: str = "", status: int = 200
    ):
        by = self._grouping()
        forms_by_action = {form.action_item.pk: form for form in formset.forms}
        groups = group_actions(formset.rows, by)
        first_group = formset.rows[0].review_group if formset.rows else None
        context = {
            "meeting": meeting,
            "formset": formset,
            "groups": [
                (label, [forms_by_action[row.pk] for row in rows])
                for label, rows in groups
            ],
            # The first heading continues a group from the previous page.
            "continued": bool(before and formset.rows and before[0] == first_group),
            "grouping": by,
            "page_obj": page,
            "paginator": page.paginator,
            "querystring": urlencode({"group": by}),
            "error": error,
            "today": timezone.localdate(),
            "form_action": self._self_url(meeting, page.number),
        }
        return render(self.request, self.template_name, context, status=status)


def group_actions(actions, by: str) -> list[tuple[str, list[ActionItem]]]:
    """Actions split into headings: runs of the same ``review_group``, in order.

    ``actions`` come from ``reviewing.review_rows`` (annotated and ordered by
    their group there). An action appears once, under its first owner (by
    name) or that owner's organisation; its row names all owners. Without a
    person, the owning organisation or the owners as written stand in.
    """
    groups: list[tuple[str | None, list[ActionItem]]] = []
    for action in actions:
        if groups and groups[-1][0] == action.review_group:
            groups[-1][1].append(action)
        else:
            groups.append((action.review_group, [action]))
    return [(_group_label(key, by), rows) for key, rows in groups]


def _group_label(key: str | None, by: str) -> str:
    if key is not None:
        return key
    return "No organisation" if by == "organisation" else "No owner"


# Superseding


class ActionSupersedeView(ChairRequiredMixin, View):
    template_name = "meetings/actionitem_supersede.html"

    def get(self, request, pk):
        action = self._action(pk)
        return self._render(action, self._form(action))

    def post(self, request, pk):
        action = self._action(pk)
        form = self._form(action, request.POST)
        if not form.is_valid():
            return self._render(action, form)

        successor = form.cleaned_data["successor"]
        try:
            reviewing.supersede(
                action, successor, request.user, form.cleaned_data["version"]
            )
        except reviewing.StaleReview as error:
            form.add_error(None, str(error))
            return self._render(action, form, status=409)
        except reviewing.ReviewError as error:
            form.add_error("successor", str(error))
            return self._render(action, form)

        messages.success(
            request, f"{action.reference} is now superseded by {successor.reference}."
        )
        return HttpResponseRedirect(action.get_absolute_url())

    def _visible(self):
        return ActionItem.objects.visible_to(self.request.user)

    def _action(self, pk) -> ActionItem:
        return get_object_or_404(self._visible().select_related("series"), pk=pk)

    def _form(self, action, data=None) -> SupersedeForm:
        return SupersedeForm(data, action=action, candidates=self._visible())

    def _render(self, action, form, status: int = 200):
        context = {"action": action, "form": form}
        return render(self.request, self.template_name, context, status=status)


# Calendars


class SeriesMeetingsCalendarView(ReadAccessMixin, View):
    """The meetings of a series as iCalendar events, drafts only for their readers."""

    def get(self, request, slug):
        series = get_object_or_404(Series, slug=slug)
        meetings = (
            Meeting.objects.visible_to(request.user)
            .filter(series=series)
            .select_related("series")
            .order_by("date", "pk")
        )
        body = ical.meetings_calendar(
            meetings,
            name=series.name,
            absolute_url=request.build_absolute_uri,
            domain=request.get_host(),
        )
        return _calendar_response(body, f"{series.slug}-meetings.ics")


class PersonActionsCalendarView(ReadAccessMixin, View):
    """Due dates of a person's open actions as all-day iCalendar events."""

    def get(self, request, pk):
        person = get_object_or_404(Person, pk=pk)
        actions = (
            ActionItem.objects.visible_to(request.user)
            .owned_by(person)
            .open()
            .filter(due_date__isnull=False)
            .select_related("series")
            .order_by("due_date", "reference", "pk")
        )
        body = ical.actions_calendar(
            actions,
            name=f"Actions of {person.name}",
            absolute_url=request.build_absolute_uri,
            domain=request.get_host(),
        )
        return _calendar_response(body, f"actions-{person.pk}.ics")


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
