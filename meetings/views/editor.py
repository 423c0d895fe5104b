"""The scribe's editor: plain forms that work without JavaScript.

Every view asks ``meetings.permissions`` whether the user may edit minutes; the
changes themselves are made by ``meetings.editing`` so the admin and the API
share them.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views import View

from meetings import editing, permissions, services
from meetings.forms import (
    ActionItemForm,
    AddAttendeeForm,
    AttendanceFormSet,
    MeetingForm,
    NewSectionForm,
    SectionForm,
    check_length,
)
from meetings.history import meeting_history
from meetings.models import ActionItem, Meeting, Person, Section, Series
from meetings.rendering import render_markdown


class EditorView(LoginRequiredMixin, View):
    """Base of every editing page: logged in, and allowed to edit minutes."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_edit_minutes(
            request.user
        ):
            raise PermissionDenied("Only scribes and chairs edit minutes.")
        return super().dispatch(request, *args, **kwargs)

    def get_meeting(self, pk: int) -> Meeting:
        meetings = Meeting.objects.visible_to(self.request.user).select_related(
            "series"
        )
        return get_object_or_404(meetings, pk=pk)

    def get_section(self, pk: int) -> Section:
        sections = Section.objects.visible_to(self.request.user).select_related(
            "meeting__series"
        )
        return get_object_or_404(sections, pk=pk)

    def conflict(self, form, error: editing.EditConflict) -> None:
        """Explain a refused save; the form keeps what this person typed."""
        form.add_error(None, str(error))
        form.conflict_changes = error.changes
        # The next save is checked against what the other person saved.
        data = form.data.copy()
        data["loaded_version"] = error.current.version
        form.data = data


def _back_to_editor(meeting: Meeting, anchor: str = ""):
    response = redirect("meetings:meeting-edit", pk=meeting.pk)
    response["Location"] += anchor
    return response


# Meetings


class MeetingCreateView(EditorView):
    template_name = "meetings/meeting_form.html"

    def get(self, request):
        return self.show(MeetingForm(initial=self.initial()))

    def post(self, request):
        form = MeetingForm(request.POST)
        if not form.is_valid():
            return self.show(form)
        meeting = form.save(commit=False)
        editing.create_meeting(meeting, scribes=form.cleaned_data["scribes"])
        messages.success(request, f"Draft “{meeting}” created.")
        return _back_to_editor(meeting)

    def initial(self) -> dict:
        series = Series.objects.filter(slug=self.request.GET.get("series")).first()
        series = series or Series.objects.order_by("pk").first()
        initial = {"date": timezone.localdate(), "timezone": "", "series": series}
        person = Person.objects.filter(user=self.request.user).first()
        if person:
            initial["scribes"] = [person]
        if series:
            number = editing.next_meeting_number(series)
            recent = list(series.meetings.order_by("-date", "-pk")[:2])
            initial.update(
                number=number,
                title=f"{series.name} {number}",
                date=editing.next_meeting_date(
                    [meeting.date for meeting in recent], today=initial["date"]
                ),
            )
            if recent:
                last = recent[0]
                initial.update(
                    start_time=last.start_time,
                    timezone=last.timezone,
                    location=last.location,
                    video_url=last.video_url,
                    chair=last.chair_id,
                )
        return initial

    def show(self, form):
        return render(self.request, self.template_name, {"form": form})


class MeetingEditView(EditorView):
    """The editor's home for one meeting: details, outline, attendance, actions."""

    template_name = "meetings/meeting_edit.html"

    def get(self, request, pk):
        meeting = self.get_meeting(pk)
        return self.show(meeting, MeetingForm(instance=meeting))

    def post(self, request, pk):
        meeting = self.get_meeting(pk)
        form = MeetingForm(request.POST, instance=meeting)
        if form.is_valid():
            form.save(commit=False)
            try:
                editing.save_edit(form.instance, form.loaded(), form.edited_fields())
            except editing.EditConflict as error:
                self.conflict(form, error)
            else:
                form.save_m2m()
                messages.success(request, "Meeting details saved.")
                return _back_to_editor(meeting)
        return self.show(meeting, form, status=409 if form.non_field_errors() else 200)

    def show(self, meeting, form, status=200):
        loaded = Meeting.objects.with_tree().get(pk=meeting.pk)
        context = {
            "meeting": loaded,
            "form": form,
            "section_tree": loaded.section_tree(),
            "new_section_form": NewSectionForm(meeting=loaded),
            "previous_meeting": editing.previous_meeting(loaded),
            "can_publish": permissions.can_publish(self.request.user),
        }
        return render(self.request, self.template_name, context, status=status)


class PublishView(EditorView):
    def post(self, request, pk):
        meeting = self.get_meeting(pk)
        if not permissions.can_publish(request.user):
            raise PermissionDenied("Only chairs publish minutes.")
        services.publish_meeting(meeting, request.user)
        messages.success(request, f"“{meeting}” is published.")
        return redirect(meeting)


class ApprovePreviousView(EditorView):
    def post(self, request, pk):
        meeting = self.get_meeting(pk)
        approved = editing.approve_previous_minutes(meeting)
        if approved is None:
            messages.warning(request, "There is no earlier meeting in this series.")
        else:
            messages.success(request, f"Minutes of “{approved}” recorded as approved.")
        return _back_to_editor(meeting)


# Attendance


class AttendanceEditView(EditorView):
    template_name = "meetings/attendance_form.html"

    def get(self, request, pk):
        meeting = self.get_meeting(pk)
        return self.show(meeting, self.formset(meeting), AddAttendeeForm())

    def post(self, request, pk):
        meeting = self.get_meeting(pk)
        if "add" in request.POST:
            return self.add(meeting)
        formset = self.formset(meeting, data=request.POST)
        if not formset.is_valid():
            return self.show(meeting, formset, AddAttendeeForm())
        formset.save()
        messages.success(request, "Attendance saved.")
        return _back_to_editor(meeting, "#attendance")

    def add(self, meeting):
        form = AddAttendeeForm(self.request.POST)
        if form.is_valid():
            try:
                attendance, created = editing.add_attendee(
                    meeting,
                    form.cleaned_data["name"],
                    form.cleaned_data["status"],
                    form.cleaned_data["note"],
                )
            except editing.AmbiguousName as error:
                form.add_error("name", str(error))
            else:
                note = " (a new person)" if created else ""
                messages.success(self.request, f"{attendance.person} added{note}.")
                return redirect("meetings:meeting-attendance", pk=meeting.pk)
        return self.show(meeting, self.formset(meeting), form)

    def formset(self, meeting, data=None):
        rows = meeting.attendances.select_related("person__organisation").order_by(
            "person__name", "pk"
        )
        return AttendanceFormSet(data, queryset=rows, prefix="attendance")

    def show(self, meeting, formset, add_form):
        context = {
            "meeting": meeting,
            "formset": formset,
            "add_form": add_form,
            "people_names": Person.objects.active().values_list("name", flat=True),
        }
        return render(self.request, self.template_name, context)


# Sections


class SectionAddView(EditorView):
    def post(self, request, pk):
        meeting = self.get_meeting(pk)
        form = NewSectionForm(request.POST, meeting=meeting)
        if not form.is_valid():
            for field, errors in form.errors.items():
                messages.error(request, f"Section not added: {field}: {errors[0]}")
            return _back_to_editor(meeting, "#sections")
        section = editing.add_section(
            meeting, form.cleaned_data["title"], form.cleaned_data["parent"]
        )
        messages.success(request, f"Section “{section}” added.")
        return redirect("meetings:section-edit", pk=section.pk)


class SectionMoveView(EditorView):
    def post(self, request, pk):
        section = self.get_section(pk)
        try:
            editing.move_section(section, request.POST.get("how", ""))
        except editing.MoveRefused as refusal:
            messages.error(request, str(refusal))
        return _back_to_editor(section.meeting, f"#outline-{section.pk}")


class SectionDeleteView(EditorView):
    def post(self, request, pk):
        section = self.get_section(pk)
        try:
            editing.delete_section(section)
        except editing.MoveRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, f"Section “{section}” removed; its history keeps the text."
            )
        return _back_to_editor(section.meeting, "#sections")


class CopyAgendaView(EditorView):
    def post(self, request, pk):
        meeting = self.get_meeting(pk)
        try:
            copied = editing.copy_previous_agenda(meeting)
        except editing.MoveRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"{copied} sections copied from the last agenda.")
        return _back_to_editor(meeting, "#sections")


class SectionEditView(EditorView):
    template_name = "meetings/section_form.html"

    def get(self, request, pk):
        section = self.get_section(pk)
        return self.show(
            section, SectionForm(instance=section, meeting=section.meeting)
        )

    def post(self, request, pk):
        section = self.get_section(pk)
        form = SectionForm(request.POST, instance=section, meeting=section.meeting)
        if not form.is_valid() or "preview" in request.POST:
            return self.show(section, form, preview="preview" in request.POST)
        try:
            editing.save_edit(form.instance, form.loaded(), form.edited_fields())
        except editing.EditConflict as error:
            self.conflict(form, error)
            return self.show(section, form, status=409)
        messages.success(request, f"Section “{form.instance}” saved.")
        return _back_to_editor(section.meeting, f"#outline-{section.pk}")

    def show(self, section, form, preview=False, status=200):
        body = form["body"].value() or ""
        context = {
            "section": section,
            "meeting": section.meeting,
            "form": form,
            "preview": render_markdown(body) if preview else None,
        }
        return render(self.request, self.template_name, context, status=status)


class MarkdownPreviewView(EditorView):
    """The rendered body for the live preview (htmx), same sanitiser as the page."""

    def post(self, request):
        text = request.POST.get("body", "")
        try:
            check_length(text)
        except ValidationError as error:
            return HttpResponse(
                format_html('<p class="errorlist">{}</p>', error.messages[0])
            )
        return HttpResponse(render_markdown(text))


# Actions


class ActionEditView(EditorView):
    template_name = "meetings/actionitem_form.html"

    def get(self, request, pk=None, meeting_pk=None):
        action, meeting = self.load(pk, meeting_pk)
        initial = {}
        if action.pk is None:
            initial["reference"] = editing.next_action_reference(meeting)
            initial["section"] = request.GET.get("section")
        form = ActionItemForm(instance=action, meeting=meeting, initial=initial)
        return self.show(meeting, form)

    def post(self, request, pk=None, meeting_pk=None):
        action, meeting = self.load(pk, meeting_pk)
        form = ActionItemForm(request.POST, instance=action, meeting=meeting)
        if not form.is_valid():
            return self.show(meeting, form)
        if action.pk is None:
            form.save()
        else:
            form.save(commit=False)
            # The model dates the closure (or clears it) as it saves.
            fields = [*form.edited_fields(), "closed_at", "closed_on"]
            try:
                editing.save_edit(form.instance, form.loaded(), fields)
            except editing.EditConflict as error:
                self.conflict(form, error)
                return self.show(meeting, form, status=409)
            form.save_m2m()
        messages.success(request, f"Action {form.instance.reference} saved.")
        return _back_to_editor(meeting, "#actions")

    def load(self, pk, meeting_pk):
        if pk is None:
            return ActionItem(), self.get_meeting(meeting_pk)
        actions = ActionItem.objects.visible_to(self.request.user).select_related(
            "meeting__series"
        )
        action = get_object_or_404(actions, pk=pk)
        return action, action.meeting

    def show(self, meeting, form, status=200):
        context = {"meeting": meeting, "form": form}
        return render(self.request, self.template_name, context, status=status)


# History


class MeetingHistoryView(EditorView):
    template_name = "meetings/meeting_history.html"

    def get(self, request, pk):
        meeting = self.get_meeting(pk)
        context = {"meeting": meeting, "entries": meeting_history(meeting)}
        return render(request, self.template_name, context)


class SectionRestoreView(EditorView):
    def post(self, request, pk, history_id):
        section = self.get_section(pk)
        record = get_object_or_404(section.history.all(), history_id=history_id)
        try:
            loaded = int(request.POST.get("loaded_version", section.version))
        except ValueError:
            loaded = section.version
        try:
            editing.restore_section(section, record, loaded)
        except editing.EditConflict as error:
            messages.error(request, f"Not restored: {error}")
            return redirect("meetings:meeting-history", pk=section.meeting_id)
        when = timezone.localtime(record.history_date)
        messages.success(
            request, f"“{section}” restored to its text of {when:%d %b %Y %H:%M}."
        )
        return _back_to_editor(section.meeting, f"#outline-{section.pk}")
