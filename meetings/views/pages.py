"""Server-rendered pages. Reads go through the QuerySets in ``meetings.models``."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from meetings import permissions
from meetings.filters import MeetingFilter
from meetings.models import ActionItem, Attendance, Meeting, Organisation, Person


class ReadAccessMixin:
    """Pages for readers: members, or everyone when the minutes are public."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_read_published(request.user):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class ForgivingPaginationMixin:
    """A page number that is out of range or not a number shows the nearest page."""

    paginate_by = settings.MINUTES_PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class HomeView(ReadAccessMixin, TemplateView):
    template_name = "meetings/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        meetings = Meeting.objects.visible_to(self.request.user).for_list()
        actions = ActionItem.objects.visible_to(self.request.user)
        return super().get_context_data(
            latest_meetings=meetings.past(today)[:5],
            next_meetings=meetings.upcoming(today).order_by("date", "pk")[:3],
            open_count=actions.open().count(),
            overdue_count=actions.overdue(on=today).count(),
            today=today,
            **kwargs,
        )


class MeetingListView(ReadAccessMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = MeetingFilter
    template_name = "meetings/meeting_filter.html"

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).for_list()


class MeetingDetailView(ReadAccessMixin, DetailView):
    template_name = "meetings/meeting_detail.html"

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).with_tree()

    def get_context_data(self, **kwargs):
        meeting = self.object
        siblings = Meeting.objects.visible_to(self.request.user).filter(
            series=meeting.series_id
        )
        earlier = siblings.filter(date__lt=meeting.date) | siblings.filter(
            date=meeting.date, pk__lt=meeting.pk
        )
        later = siblings.filter(date__gt=meeting.date) | siblings.filter(
            date=meeting.date, pk__gt=meeting.pk
        )
        return super().get_context_data(
            section_tree=meeting.section_tree(),
            attendance_groups=meeting.attendance_by_status(),
            previous_meeting=earlier.order_by("-date", "-pk").only("title").first(),
            next_meeting=later.order_by("date", "pk").only("title").first(),
            **kwargs,
        )


class PersonDetailView(ReadAccessMixin, DetailView):
    template_name = "meetings/person_detail.html"
    queryset = Person.objects.with_organisation().prefetch_related("aliases")

    def get_context_data(self, **kwargs):
        user, person = self.request.user, self.object
        attendances = (
            Attendance.objects.visible_to(user)
            .filter(person=person)
            .select_related("meeting__series", "organisation")
            .order_by("-meeting__date", "-meeting__pk")
        )
        actions = ActionItem.objects.visible_to(user).owned_by(person).for_list()
        return super().get_context_data(
            attendances=attendances,
            open_actions=actions.open().order_by("due_date", "reference", "pk"),
            closed_actions=actions.closed().order_by("-meeting__date", "-pk")[:50],
            show_email=permissions.can_see_personal_data(user),
            **kwargs,
        )


class OrganisationDetailView(ReadAccessMixin, DetailView):
    template_name = "meetings/organisation_detail.html"
    model = Organisation

    def get_context_data(self, **kwargs):
        user, organisation = self.request.user, self.object
        attendances = (
            Attendance.objects.visible_to(user)
            .filter(person__organisation=organisation)
            .select_related("meeting__series", "person")
            .order_by("-meeting__date", "-meeting__pk", "person__name")
        )
        actions = (
            ActionItem.objects.visible_to(user)
            .owned_by_organisation(organisation)
            .for_list()
        )
        return super().get_context_data(
            members=organisation.members.order_by("name"),
            attendances=attendances[:100],
            open_actions=actions.open().order_by("due_date", "reference", "pk"),
            **kwargs,
        )


class ActionDetailView(ReadAccessMixin, DetailView):
    template_name = "meetings/actionitem_detail.html"

    def get_queryset(self):
        return (
            ActionItem.objects.visible_to(self.request.user)
            .for_list()
            .select_related("section", "superseded_by", "closed_at")
        )

    def get_context_data(self, **kwargs):
        action, user = self.object, self.request.user
        visible = Meeting.objects.visible_to(user)
        updates = action.updates.visible_to(user).select_related("meeting")
        # Links may point to actions of drafts: show only what this reader may read.
        links = action.links_out.filter(target__meeting__in=visible)
        backlinks = action.links_in.filter(source__meeting__in=visible)
        successor = action.superseded_by
        if successor is not None and not visible.filter(pk=successor.meeting_id):
            successor = None
        closed_at = action.closed_at
        if closed_at is not None and not visible.filter(pk=closed_at.pk):
            closed_at = None
        return super().get_context_data(
            updates=updates.order_by("meeting__date", "pk"),
            links=links.select_related("target"),
            backlinks=backlinks.select_related("source"),
            successor=successor,
            closed_at=closed_at,
            **kwargs,
        )


class PersonSuggestView(ReadAccessMixin, View):
    """``<option>`` elements for a person box's datalist (see ``PersonInput``).

    ``?for=chair&chair=ash`` suggests the people whose name, initials or alias
    contain "ash": active people first, at most ``LIMIT``. Names only; emails
    and other personal data never appear here.
    """

    LIMIT = 10

    def get(self, request):
        field = request.GET.get("for", "q")
        text = request.GET.get(field, "")[:100].strip()
        people = (
            Person.objects.matching(text)
            .select_related("organisation")
            .only("name", "organisation__short_name")
            .order_by("-is_active", "name", "pk")[: self.LIMIT]
            if len(text) >= 2
            else []
        )
        return render(request, "meetings/_person_options.html", {"people": people})
