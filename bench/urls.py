"""The site's URLs plus the floors, for benchmarks only (never deployed)."""

from django.urls import include, path

from bench import floors

urlpatterns = [
    path("_floor/home/", floors.home),
    path("_floor/meetings/", floors.meeting_list),
    path("_floor/meetings/<int:pk>/", floors.meeting_detail),
    path("_floor/meetings/<int:pk>/review/", floors.review),
    path("_floor/actions/", floors.action_list),
    path("_floor/search/", floors.search_rows),
    path("_floor/api/meetings/", floors.api_meeting_list),
    path("_floor/api/meetings/<int:pk>/", floors.api_meeting_detail),
    path("_floor/api/actions/", floors.api_action_list),
    path("", include("minutes_site.urls")),
]
