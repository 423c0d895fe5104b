"""Django admin for the people who manage attendees, organisations and accounts."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.shortcuts import render

from meetings import editing, services
from meetings.models import (
    ActionItem,
    ActionLink,
    ActionUpdate,
    Attendance,
    Meeting,
    Organisation,
    Person,
    PersonAlias,
    ReminderLog,
    Section,
    Series,
)


class VersionCheckedForm(forms.ModelForm):
    """Refuses to save over someone else's save made since this form was opened.

    The admin runs each change page's POST in one transaction; the row is
    locked while its version is compared, so the check holds until the save.
    On a refusal the person's own input stays in the form, fields they did not
    touch take the other person's values, and the next save goes through.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if not self.instance.pk or loaded is None:
            return cleaned
        model = type(self.instance)
        current = model._default_manager.select_for_update().get(pk=self.instance.pk)
        if current.version == loaded:
            return cleaned
        fields = [f for f in self.fields if f in _columns(model)]
        changes = editing.changes_since(self.instance, loaded, fields)
        self._take_theirs_where_untouched(current, loaded, changes)
        listed = "; ".join(f"{c.label}: now “{c.after[:80]}”" for c in changes)
        raise ValidationError(
            "Someone else saved this since you opened it (%(changes)s). Your input "
            "is still here; check it and save again.",
            params={"changes": listed or "no visible field"},
            code="stale",
        )

    def _take_theirs_where_untouched(self, current, loaded, changes) -> None:
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = current.version
        then = self.instance.history.filter(version=loaded).first()
        for change in changes:
            field = type(current)._meta.get_field(change.name)
            key = self.add_prefix(change.name)
            posted = self.cleaned_data.get(change.name)
            posted = getattr(posted, "pk", posted)
            if then is not None and posted == getattr(then, field.attname):
                data[key] = getattr(current, field.attname)
        self.data = data


def _columns(model) -> set[str]:
    return {field.name for field in model._meta.concrete_fields}


class PersonInline(admin.TabularInline):
    model = Person
    fields = ["name", "initials", "is_active"]
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "country", "member_count"]
    list_filter = ["country"]
    search_fields = ["short_name", "name"]
    inlines = [PersonInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(ordering="member_count", description="members")
    def member_count(self, obj: Organisation) -> int:
        return obj.member_count


class PersonAliasInline(admin.TabularInline):
    model = PersonAlias
    extra = 1


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "initials", "organisation", "email", "is_active", "user"]
    list_filter = ["is_active", "organisation"]
    list_select_related = ["organisation", "user"]
    search_fields = ["name", "initials", "email", "aliases__alias"]
    autocomplete_fields = ["organisation", "user"]
    inlines = [PersonAliasInline]
    actions = ["merge_people"]

    @admin.action(description="Merge selected people into one")
    def merge_people(self, request, queryset):
        people = list(queryset.order_by("name", "pk"))
        if len(people) < 2:
            self.message_user(
                request, "Select at least two people to merge.", messages.WARNING
            )
            return None
        target_pk = request.POST.get("merge_into")
        if target_pk is None:
            return render(
                request,
                "admin/meetings/person/merge.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Merge people",
                    "people": people,
                    "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        target = next((p for p in people if str(p.pk) == target_pk), None)
        if target is None:
            self.message_user(
                request, "Choose one of the selected people.", messages.ERROR
            )
            return None
        others = [p for p in people if p.pk != target.pk]
        summary = services.merge_people(target, others)
        self.message_user(
            request,
            f"Merged {len(others)} into {target}: {summary}.",
            messages.SUCCESS,
        )
        return None


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "meeting_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_count=Count("meetings"))

    @admin.display(ordering="meeting_count", description="meetings")
    def meeting_count(self, obj: Series) -> int:
        return obj.meeting_count


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fields = ["person", "status", "organisation", "note"]
    autocomplete_fields = ["person", "organisation"]
    extra = 0


class SectionInline(admin.TabularInline):
    model = Section
    form = VersionCheckedForm
    fields = ["position", "parent", "title", "body", "presenter"]
    autocomplete_fields = ["parent", "presenter"]
    extra = 0


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    form = VersionCheckedForm
    fk_name = "meeting"
    fields = ["reference", "description", "owners", "owner_organisation", "status"]
    autocomplete_fields = ["owners", "owner_organisation"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    form = VersionCheckedForm
    list_display = ["title", "date", "series", "number", "chair", "status"]
    list_filter = ["status", "series"]
    list_select_related = ["series", "chair"]
    search_fields = ["title", "number"]
    date_hierarchy = "date"
    autocomplete_fields = ["chair", "scribes", "approved_at"]
    readonly_fields = ["version", "created_at", "updated_at", "source", "source_hash"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [AttendanceInline, SectionInline, ActionItemInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "status", "note"]
    list_filter = ["status", "meeting__series"]
    list_select_related = ["person", "meeting"]
    search_fields = ["person__name", "meeting__title"]
    autocomplete_fields = ["person", "meeting", "organisation"]
    date_hierarchy = "meeting__date"


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    form = VersionCheckedForm
    list_display = ["title", "meeting", "parent", "position", "presenter"]
    list_filter = ["meeting__series"]
    list_select_related = ["meeting", "parent", "presenter"]
    search_fields = ["title", "body", "meeting__title"]
    autocomplete_fields = ["meeting", "parent", "presenter"]
    date_hierarchy = "meeting__date"
    readonly_fields = ["version"]


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    fields = ["meeting", "status", "comment"]
    autocomplete_fields = ["meeting"]
    extra = 0


class ActionLinkInline(admin.TabularInline):
    model = ActionLink
    fk_name = "source"
    autocomplete_fields = ["target"]
    extra = 0


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    form = VersionCheckedForm
    list_display = [
        "reference",
        "description",
        "owner_list",
        "due_date",
        "status",
        "meeting",
    ]
    list_filter = ["status", "series", "owner_organisation"]
    list_select_related = ["meeting", "owner_organisation"]
    search_fields = ["reference", "description", "owners__name"]
    autocomplete_fields = [
        "meeting",
        "section",
        "owners",
        "owner_organisation",
        "superseded_by",
        "closed_at",
    ]
    date_hierarchy = "meeting__date"
    readonly_fields = ["version"]
    inlines = [ActionUpdateInline, ActionLinkInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("owners")

    @admin.display(description="owners")
    def owner_list(self, obj: ActionItem) -> str:
        return ", ".join(obj.owner_names())


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "meeting", "status", "comment"]
    list_filter = ["status"]
    list_select_related = ["action", "meeting"]
    search_fields = ["action__reference", "comment"]
    autocomplete_fields = ["action", "meeting"]
    date_hierarchy = "meeting__date"


@admin.register(PersonAlias)
class PersonAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "person"]
    list_select_related = ["person"]
    search_fields = ["alias", "person__name"]
    autocomplete_fields = ["person"]


@admin.register(ActionLink)
class ActionLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "target"]
    list_filter = ["kind"]
    list_select_related = ["source", "target"]
    search_fields = ["source__reference", "target__reference"]
    autocomplete_fields = ["source", "target"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["person", "sent_on", "action_count"]
    list_select_related = ["person"]
    search_fields = ["person__name"]
    autocomplete_fields = ["person"]
    date_hierarchy = "sent_on"
