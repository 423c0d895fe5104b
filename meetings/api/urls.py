"""Addresses of the API, mounted at ``/api/`` under the ``api`` namespace."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from meetings.api import errors, search, views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("series", views.SeriesViewSet, basename="series")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("people", views.PersonViewSet, basename="person")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("sections", views.SectionViewSet, basename="section")
router.register("attendance", views.AttendanceViewSet, basename="attendance")
router.register("actions", views.ActionItemViewSet, basename="actionitem")
router.register("action-updates", views.ActionUpdateViewSet, basename="actionupdate")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("", include(router.urls)),
    # Anything else under /api/ answers in the API's error shape, not HTML.
    re_path(r"^", errors.not_found),
]
