"""Downloads of minutes in other formats. Reads go through ``meetings.models``."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views import View

from meetings.exporting.markdown import export_meeting
from meetings.models import Meeting
from meetings.views.pages import ReadAccessMixin


class MeetingMarkdownView(ReadAccessMixin, View):
    """A meeting as a Markdown file in the archive's format, for whoever may
    read the meeting."""

    def get(self, request, pk: int) -> HttpResponse:
        meetings = Meeting.objects.visible_to(request.user).with_tree()
        meeting = get_object_or_404(meetings, pk=pk)
        name = f"{meeting.date:%Y-%m-%d}-{slugify(meeting.title)[:60] or 'meeting'}.md"
        return HttpResponse(
            export_meeting(meeting),
            content_type="text/markdown; charset=utf-8",
            headers={
                "Content-Disposition": content_disposition_header(True, name),
            },
        )
