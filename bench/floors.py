"""Floors: the least a view could do to answer each benchmarked page.

Each floor reads the same rows as its page, with ``.values()`` and the same
QuerySet methods for what the user may read, and returns them as JSON: no
model instances, no templates, no serializers. A page's time over its floor's
is what the framework, templates and our own code add.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.http import JsonResponse
from django.utils import timezone

from meetings import reviewing
from meetings.models import ActionItem, ActionUpdate, Attendance, Meeting, Section
from meetings.search import search

MEETING_ROW = ("pk", "title", "date", "number", "status", "series__name")
ACTION_ROW = (
    "pk",
    "reference",
    "description",
    "status",
    "due_date",
    "meeting__title",
    "meeting__series__name",
)


def _json(data) -> JsonResponse:
    return JsonResponse(data, encoder=DjangoJSONEncoder, safe=False)


def _open_actions(request):
    return ActionItem.objects.visible_to(request.user).open()


def home(request):
    today = timezone.localdate()
    meetings = Meeting.objects.visible_to(request.user).order_by("-date", "-pk")
    actions = ActionItem.objects.visible_to(request.user)
    return _json(
        {
            "latest": list(meetings.past(today).values(*MEETING_ROW)[:5]),
            "next": list(
                meetings.upcoming(today).order_by("date", "pk").values(*MEETING_ROW)[:3]
            ),
            "open": actions.open().count(),
            "overdue": actions.overdue(on=today).count(),
        }
    )


def meeting_list(request):
    meetings = Meeting.objects.visible_to(request.user).filter(
        series__slug=request.GET["series"], date__year=request.GET["year"]
    )
    return _json(
        {
            "count": meetings.count(),
            # The page shows how many attended and how many actions were raised.
            "rows": list(
                meetings.for_list()
                .order_by("-date", "-pk")
                .values(*MEETING_ROW, "chair__name", "attendee_count", "action_count")[
                    :25
                ]
            ),
        }
    )


def _meeting_rows(request, pk: int) -> dict:
    """What both the meeting page and the API's meeting detail show."""
    meeting = (
        Meeting.objects.visible_to(request.user)
        .values(*MEETING_ROW, "series")
        .get(pk=pk)
    )
    return {
        "meeting": meeting,
        "scribes": list(
            Meeting.scribes.through.objects.filter(meeting=pk).values("person__name")
        ),
        "sections": list(
            Section.objects.filter(meeting=pk)
            .order_by("position", "pk")
            .values("pk", "parent", "title", "body", "presenter__name")
        ),
        "attendance": list(
            Attendance.objects.filter(meeting=pk).values(
                "person__name", "status", "person__organisation__short_name"
            )
        ),
        "actions": list(
            ActionItem.objects.filter(meeting=pk).values(*ACTION_ROW, "owners__name")
        ),
    }


def meeting_detail(request, pk: int):
    """The meeting page also names the owners of the actions it reviewed and
    links the previous and the next meeting of the series."""
    rows = _meeting_rows(request, pk)
    rows["updates"] = list(
        ActionUpdate.objects.filter(meeting=pk).values(
            "status",
            "comment",
            "action__reference",
            "action__description",
            "action__owners__name",
        )
    )
    meeting = rows["meeting"]
    siblings = Meeting.objects.visible_to(request.user).filter(series=meeting["series"])
    rows["previous"] = (
        siblings.filter(date__lt=meeting["date"])
        .order_by("-date", "-pk")
        .values("pk", "title")
        .first()
    )
    rows["next"] = (
        siblings.filter(date__gt=meeting["date"])
        .order_by("date", "pk")
        .values("pk", "title")
        .first()
    )
    return _json(rows)


def api_meeting_detail(request, pk: int):
    rows = _meeting_rows(request, pk)
    rows["updates"] = list(
        ActionUpdate.objects.filter(meeting=pk).values(
            "pk", "action", "action__reference", "status", "comment"
        )
    )
    return _json(rows)


def action_list(request):
    actions = _open_actions(request).order_by("series_id", "reference", "pk")
    return _json(
        {
            "count": actions.count(),
            "rows": list(actions.values(*ACTION_ROW, "owners__name")[:25]),
            # The register shows how many actions each status has, besides.
            "statuses": ActionItem.objects.visible_to(request.user).status_counts(),
        }
    )


def review(request, pk: int):
    """The review's first page: its count, rows in the page's order, owners."""
    meeting = Meeting.objects.get(pk=pk)
    rows = reviewing.review_rows(meeting, request.user).prefetch_related(None)
    page = list(
        rows.values(*ACTION_ROW, "review_group")[: reviewing.review_page_size()]
    )
    owners = ActionItem.owners.through.objects.filter(
        actionitem__in=[row["pk"] for row in page]
    ).values("actionitem", "person__name")
    return _json({"count": rows.count(), "rows": page, "owners": list(owners)})


def search_rows(request):
    """The ranked rows of the search, without loading hits or snippets."""
    ranked = search(request.user, request.GET["q"]).rows
    return _json({"count": ranked.count(), "rows": list(ranked[:25])})


def api_meeting_list(request):
    meetings = Meeting.objects.visible_to(request.user).order_by("-date", "-pk")
    return _json(
        {
            "count": meetings.count(),
            # The list shows how many attended and how many actions were raised.
            "rows": list(
                meetings.for_list().values(
                    *MEETING_ROW,
                    "attendee_count",
                    "action_count",
                    chair_name=F("chair__name"),
                )[:25]
            ),
        }
    )


def api_action_list(request):
    actions = ActionItem.objects.visible_to(request.user).order_by(
        "series_id", "reference", "pk"
    )
    return _json(
        {
            "count": actions.count(),
            "rows": list(actions.values(*ACTION_ROW, "owners__name")[:25]),
        }
    )
