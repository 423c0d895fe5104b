from django.urls import path

from meetings.views import pages

app_name = "meetings"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("meetings/", pages.MeetingListView.as_view(), name="meeting-list"),
    path(
        "meetings/<int:pk>/", pages.MeetingDetailView.as_view(), name="meeting-detail"
    ),
    path("people/<int:pk>/", pages.PersonDetailView.as_view(), name="person-detail"),
    path(
        "organisations/<int:pk>/",
        pages.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("actions/<int:pk>/", pages.ActionDetailView.as_view(), name="action-detail"),
]
