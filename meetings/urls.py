from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path(
        "meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"
    ),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action-detail"),
]
