from django.urls import path

from meetings.api import account
from meetings.views import actions, editor, export, importing, pages, search

app_name = "meetings"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("account/token/", account.TokenView.as_view(), name="account-token"),
    path("meetings/", pages.MeetingListView.as_view(), name="meeting-list"),
    path("search/", search.SearchView.as_view(), name="search"),
    # The scribe's editor
    path("meetings/new/", editor.MeetingCreateView.as_view(), name="meeting-create"),
    path(
        "meetings/import/",
        importing.MinutesImportView.as_view(),
        name="meeting-import",
    ),
    path(
        "meetings/<int:pk>/edit/", editor.MeetingEditView.as_view(), name="meeting-edit"
    ),
    path(
        "meetings/<int:pk>/attendance/",
        editor.AttendanceEditView.as_view(),
        name="meeting-attendance",
    ),
    path(
        "meetings/<int:pk>/publish/",
        editor.PublishView.as_view(),
        name="meeting-publish",
    ),
    path(
        "meetings/<int:pk>/approve-previous/",
        editor.ApprovePreviousView.as_view(),
        name="meeting-approve-previous",
    ),
    path(
        "meetings/<int:pk>/history/",
        editor.MeetingHistoryView.as_view(),
        name="meeting-history",
    ),
    path(
        "meetings/<int:pk>/sections/add/",
        editor.SectionAddView.as_view(),
        name="section-add",
    ),
    path(
        "meetings/<int:pk>/sections/copy-previous/",
        editor.CopyAgendaView.as_view(),
        name="section-copy-previous",
    ),
    path(
        "meetings/<int:meeting_pk>/actions/add/",
        editor.ActionEditView.as_view(),
        name="action-add",
    ),
    path(
        "sections/<int:pk>/edit/", editor.SectionEditView.as_view(), name="section-edit"
    ),
    path(
        "sections/<int:pk>/move/", editor.SectionMoveView.as_view(), name="section-move"
    ),
    path(
        "sections/<int:pk>/delete/",
        editor.SectionDeleteView.as_view(),
        name="section-delete",
    ),
    path(
        "sections/<int:pk>/restore/<int:history_id>/",
        editor.SectionRestoreView.as_view(),
        name="section-restore",
    ),
    path("actions/<int:pk>/edit/", editor.ActionEditView.as_view(), name="action-edit"),
    path(
        "editor/preview/", editor.MarkdownPreviewView.as_view(), name="markdown-preview"
    ),
    path(
        "meetings/<int:pk>/", pages.MeetingDetailView.as_view(), name="meeting-detail"
    ),
    path("people/<int:pk>/", pages.PersonDetailView.as_view(), name="person-detail"),
    path("people/suggest/", pages.PersonSuggestView.as_view(), name="person-suggest"),
    path(
        "organisations/<int:pk>/",
        pages.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("actions/", actions.ActionListView.as_view(), name="action-list"),
    path("actions/mine/", actions.MyActionsView.as_view(), name="my-actions"),
    path(
        "actions/summary/", actions.ActionSummaryView.as_view(), name="action-summary"
    ),
    path("actions/export.csv", actions.ActionCsvView.as_view(), name="action-csv"),
    path("actions/<int:pk>/", pages.ActionDetailView.as_view(), name="action-detail"),
    path(
        "actions/<int:pk>/supersede/",
        actions.ActionSupersedeView.as_view(),
        name="action-supersede",
    ),
    path(
        "meetings/<int:pk>/review/",
        actions.MeetingReviewView.as_view(),
        name="meeting-review",
    ),
    path(
        "series/<slug:slug>/meetings.ics",
        actions.SeriesMeetingsCalendarView.as_view(),
        name="series-meetings-ics",
    ),
    path(
        "people/<int:pk>/actions.ics",
        actions.PersonActionsCalendarView.as_view(),
        name="person-actions-ics",
    ),
    path(
        "meetings/<int:pk>/markdown/",
        export.MeetingMarkdownView.as_view(),
        name="meeting-markdown",
    ),
]
