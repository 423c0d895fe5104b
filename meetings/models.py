"""The domain of the minutes site, and the QuerySets every caller reads through.

Views, the API, the admin and management commands all start from the QuerySet
methods defined here, so that what "open", "visible" or "a meeting with its tree"
means is decided once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from meetings.folding import Folded, fold
from meetings.wallclock import check_wall_time, known_time_zones


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A row whose ``version`` grows by one on every save after the first.

    Editors send back the version they loaded; a save that finds another version
    in the database was preceded by someone else's and is refused (see
    ``meetings.services.save_versioned``).
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)


def _not_blank(field_name: str) -> Q:
    return ~Q(**{field_name: ""})


# Organisations and people


class Organisation(TimeStampedModel):
    short_name = models.CharField(max_length=40, unique=True, help_text="e.g. ESRF")
    name = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=_not_blank("short_name"), name="organisation_short_name"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("meetings:organisation-detail", args=[self.pk])


class PersonQuerySet(models.QuerySet):
    def active(self) -> PersonQuerySet:
        return self.filter(is_active=True)

    def with_organisation(self) -> PersonQuerySet:
        return self.select_related("organisation")

    def matching(self, text: str) -> PersonQuerySet:
        """People whose name, initials or an alias contain ``text``, capitals
        and accents aside ("jorg" finds "Jörg")."""
        return self._spelled(text, "contains")

    def named(self, text: str) -> PersonQuerySet:
        """People whose whole name, initials or an alias is ``text``, capitals
        and accents aside."""
        return self._spelled(text, "exact")

    def _spelled(self, text: str, lookup: str) -> PersonQuerySet:
        # Initials are always compared whole: "a" is in too many of them.
        text = fold(text.strip())
        if not text:
            return self.none()
        aliases = (
            PersonAlias.objects.filter(person=OuterRef("pk"))
            .alias(folded=Folded("alias"))
            .filter(**{f"folded__{lookup}": text})
        )
        return self.alias(
            folded_name=Folded("name"), folded_initials=Folded("initials")
        ).filter(
            Q(**{f"folded_name__{lookup}": text})
            | Q(folded_initials=text)
            | Exists(aliases)
        )


class Person(TimeStampedModel):
    name = models.CharField(max_length=200)
    initials = models.CharField(max_length=10, blank=True)
    email = models.EmailField(
        blank=True, help_text="Personal data: shown to staff only."
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    is_active = models.BooleanField("active", default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "people"
        indexes = [models.Index(Lower("name"), name="person_name_lower")]
        constraints = [
            models.CheckConstraint(condition=_not_blank("name"), name="person_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:person-detail", args=[self.pk])


class PersonAlias(TimeStampedModel):
    """Another way a person is written: a first name, a nickname, a misspelling."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "aliases"
        indexes = [models.Index(Lower("alias"), name="alias_lower")]
        constraints = [
            models.UniqueConstraint(
                "person", Lower("alias"), name="alias_unique_per_person"
            ),
            models.CheckConstraint(condition=_not_blank("alias"), name="alias_text"),
        ]

    def __str__(self) -> str:
        return self.alias

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()


# Series and meetings


class Series(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting-list") + f"?series={self.slug}"


def visibility(user, prefix: str = "") -> Q | None:
    """The condition on a meeting (reached through ``prefix``, e.g.
    ``"meeting__"``) that ``user`` may read it; ``None`` when they may read none.

    A condition on the joined row rather than ``meeting__in=<subquery>``, so that
    rows of other tables filter through the join they need anyway.
    """
    from meetings import permissions

    if permissions.can_view_drafts(user):
        return Q()
    if permissions.can_read_published(user):
        return Q(**{f"{prefix}status": Meeting.Status.PUBLISHED})
    return None


class MeetingPartQuerySet(models.QuerySet):
    """Rows that belong to meetings: a row is readable where its meetings are."""

    #: Paths to the meetings a row belongs to; it is readable if all of them are.
    meeting_paths: tuple[str, ...] = ("meeting__",)

    def visible_to(self, user):
        """The rows ``user`` may read (see ``meetings.permissions``)."""
        conditions = [visibility(user, path) for path in self.meeting_paths]
        if None in conditions:
            return self.none()
        return self.filter(*conditions)


class ActionUpdateQuerySet(MeetingPartQuerySet):
    # An update is read at its meeting, about an action raised at another.
    meeting_paths = ("meeting__", "action__meeting__")


class MeetingQuerySet(models.QuerySet):
    def published(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.PUBLISHED)

    def drafts(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.DRAFT)

    def visible_to(self, user) -> MeetingQuerySet:
        """The meetings ``user`` may read (see ``meetings.permissions``)."""
        visible = visibility(user)
        return self.none() if visible is None else self.filter(visible)

    def past(self, on: datetime.date | None = None) -> MeetingQuerySet:
        return self.filter(date__lte=on or timezone.localdate())

    def upcoming(self, on: datetime.date | None = None) -> MeetingQuerySet:
        return self.filter(date__gt=on or timezone.localdate())

    def for_list(self) -> MeetingQuerySet:
        """Rows for a list page: related names joined, counts annotated."""
        attendees = Attendance.objects.filter(
            meeting=OuterRef("pk"), status__in=Attendance.ATTENDED
        )
        actions = ActionItem.objects.filter(meeting=OuterRef("pk"))
        # A list shows no notes, which can be long.
        return (
            self.select_related("series", "chair")
            .defer("notes")
            .annotate(
                attendee_count=_count_subquery(attendees, "meeting"),
                action_count=_count_subquery(actions, "meeting"),
            )
        )

    def with_tree(self, *, owners_of_updates: bool = True) -> MeetingQuerySet:
        """A meeting with everything its page shows, in a fixed number of queries.

        Sections come ordered so that ``Meeting.section_tree()`` can build the
        tree in Python without further queries. ``owners_of_updates=False``
        leaves out the owners of the actions the meeting reviewed (one query),
        for readers that name those actions only.
        """
        updates = ActionUpdate.objects.select_related("action__owner_organisation")
        if owners_of_updates:
            updates = updates.prefetch_related("action__owners")
        return self.select_related(
            "series", "chair__organisation", "published_by", "approved_at"
        ).prefetch_related(
            "scribes",
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related(
                    "person__organisation", "organisation"
                ).order_by("person__name", "pk"),
            ),
            Prefetch(
                "sections",
                queryset=Section.objects.select_related("presenter").order_by(
                    "position", "pk"
                ),
            ),
            Prefetch(
                "actions_raised",
                queryset=ActionItem.objects.for_list().order_by("reference", "pk"),
            ),
            Prefetch(
                "action_updates",
                queryset=updates.order_by("action__reference", "pk"),
            ),
        )


def _count_subquery(queryset: models.QuerySet, outer_field: str) -> Coalesce:
    """Count rows of ``queryset`` per ``outer_field`` as a correlated subquery.

    A subquery, unlike ``Count()`` over a join, does not multiply rows when a
    list needs several counts.
    """
    counted = queryset.order_by().values(outer_field).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


@dataclass
class SectionNode:
    section: Section
    children: list[SectionNode] = field(default_factory=list)
    depth: int = 1


class Meeting(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number within the series, if it has one."
    )
    title = models.CharField(max_length=200)
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    timezone = models.CharField(
        max_length=64, blank=True, help_text="IANA name, e.g. Europe/Paris"
    )
    location = models.CharField(max_length=200, blank=True)
    video_url = models.URLField("video link", blank=True)
    chair = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings_chaired",
    )
    scribes = models.ManyToManyField(
        Person, blank=True, related_name="meetings_scribed"
    )
    notes = models.TextField(
        blank=True, help_text="Markdown shown before the first section."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_minutes",
        help_text="The later meeting at which these minutes were approved.",
    )
    source = models.CharField(
        max_length=500, blank=True, help_text="File this meeting was imported from."
    )
    source_hash = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    imported_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The version the last import left; a higher one means edited since.",
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[scribes])

    class Meta:
        ordering = ["-date", "-pk"]
        get_latest_by = "date"
        permissions = [
            ("view_draft_meeting", "Can read draft minutes"),
            ("publish_meeting", "Can publish minutes"),
        ]
        indexes = [
            models.Index(fields=["date", "id"], name="meeting_date"),
            models.Index(fields=["series", "date"], name="meeting_series_date"),
            models.Index(fields=["status", "date"], name="meeting_status_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number"], name="meeting_number_unique_in_series"
            ),
            models.UniqueConstraint(
                fields=["source"],
                condition=~Q(source=""),
                name="meeting_source_unique",
            ),
            models.CheckConstraint(condition=_not_blank("title"), name="meeting_title"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="meeting_status"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="meeting_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting-detail", args=[self.pk])

    def clean(self) -> None:
        if self.timezone and self.timezone not in known_time_zones():
            raise ValidationError(
                {
                    "timezone": f"{self.timezone!r} is not a known time zone; use "
                    "a name such as Europe/Paris."
                }
            )
        zone = self.timezone or settings.TIME_ZONE
        if self.date and self.start_time:
            try:
                check_wall_time(self.date, self.start_time, zone)
            except ValidationError as error:
                raise ValidationError({"start_time": error.messages}) from None

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def section_tree(self) -> list[SectionNode]:
        """The sections as a tree, from the (prefetched) flat list."""
        nodes = {section.pk: SectionNode(section) for section in self.sections.all()}
        roots: list[SectionNode] = []
        for node in nodes.values():
            parent = nodes.get(node.section.parent_id)
            (parent.children if parent else roots).append(node)
        _set_depths(roots, 1)
        return roots

    def attendance_by_status(self) -> list[tuple[str, list[Attendance]]]:
        """Attendance grouped by status, in the order of ``Attendance.Status``."""
        groups: dict[str, list[Attendance]] = {s: [] for s in Attendance.Status}
        for attendance in self.attendances.all():
            groups[attendance.status].append(attendance)
        return [
            (Attendance.Status(status).label, rows)
            for status, rows in groups.items()
            if rows
        ]


def _set_depths(nodes: Iterable[SectionNode], depth: int) -> None:
    for node in nodes:
        node.depth = depth
        _set_depths(node.children, depth + 1)


class Attendance(TimeStampedModel):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        REMOTE = "remote", "Remote"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    ATTENDED = (Status.PRESENT, Status.REMOTE)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PRESENT
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
        help_text="Whom the person represented at this meeting, if not their own.",
    )
    note = models.CharField(max_length=200, blank=True)

    objects = MeetingPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "person__name"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="attendance_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["present", "remote", "apologies", "absent"]),
                name="attendance_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url() + "#attendance"

    @property
    def represented(self) -> Organisation | None:
        return self.organisation or self.person.organisation


class Section(VersionedModel):
    """An agenda item of a meeting; sections nest through ``parent``."""

    MAX_DEPTH = 4

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="Markdown.")
    presenter = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sections_presented",
    )

    objects = MeetingPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "parent", "position"],
                condition=Q(parent__isnull=False),
                name="section_position_unique_in_parent",
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                condition=Q(parent__isnull=True),
                name="section_position_unique_at_top",
            ),
            models.CheckConstraint(condition=_not_blank("title"), name="section_title"),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="section_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#section-{self.pk}"

    def clean(self) -> None:
        if self.parent_id and self.parent.meeting_id != self.meeting_id:
            raise ValidationError(
                {"parent": "The parent section belongs to another meeting."}
            )
        ancestor, depth = self.parent, 1
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": "A section cannot contain itself."})
            ancestor, depth = ancestor.parent, depth + 1
        if depth > self.MAX_DEPTH:
            raise ValidationError(
                {"parent": f"Sections nest at most {self.MAX_DEPTH} levels deep."}
            )


# Actions


LIST_DEFERRED_MEETING_FIELDS = [
    f"meeting__{name}"
    for name in (
        "notes",
        "source",
        "source_hash",
        "imported_at",
        "imported_version",
        "created_at",
        "updated_at",
    )
] + ["meeting__series__description"]


class ActionItemQuerySet(MeetingPartQuerySet):
    def open(self) -> ActionItemQuerySet:
        """Actions still to be done: open or in progress."""
        return self.filter(status__in=ActionItem.OPEN_STATUSES)

    def closed(self) -> ActionItemQuerySet:
        return self.exclude(status__in=ActionItem.OPEN_STATUSES)

    def overdue(self, on: datetime.date | None = None) -> ActionItemQuerySet:
        """Open actions whose due date is before ``on`` (today by default)."""
        return self.open().filter(due_date__lt=on or timezone.localdate())

    def owned_by(self, person: Person) -> ActionItemQuerySet:
        """Actions that name ``person`` among their owners."""
        owners = ActionItem.owners.through.objects.filter(
            actionitem=OuterRef("pk"), person=person
        )
        return self.filter(Exists(owners))

    def owned_by_organisation(self, organisation: Organisation) -> ActionItemQuerySet:
        """Actions owned by the organisation itself or by one of its people."""
        members = ActionItem.owners.through.objects.filter(
            actionitem=OuterRef("pk"), person__organisation=organisation
        )
        return self.filter(Q(owner_organisation=organisation) | Exists(members))

    def for_list(self) -> ActionItemQuerySet:
        # A row names its meeting and series; their notes, import records and
        # timestamps are never shown in a list, and cost to load 25 at a time.
        return (
            self.select_related("meeting__series", "owner_organisation")
            .defer(*LIST_DEFERRED_MEETING_FIELDS)
            .prefetch_related(
                Prefetch(
                    "owners", queryset=Person.objects.defer("created_at", "updated_at")
                )
            )
        )

    def status_counts(self) -> dict[str, int]:
        rows = self.order_by().values("status").annotate(n=Count("pk"))
        counts = dict.fromkeys(ActionItem.Status, 0)
        counts.update({row["status"]: row["n"] for row in rows})
        return counts


class ActionItem(VersionedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"
        SUPERSEDED = "superseded", "Superseded"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        related_name="actions",
        editable=False,
        help_text="Copied from the meeting: references are unique within a series.",
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="actions_raised"
    )
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    reference = models.CharField(max_length=20, help_text='e.g. "61.03"')
    description = models.TextField()
    owners = models.ManyToManyField(Person, blank=True, related_name="actions_owned")
    owner_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_owned",
    )
    owners_text = models.CharField(
        max_length=200,
        blank=True,
        help_text='Owners as written when they are no one in particular, e.g. "All".',
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.OPEN
    )
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    closed_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_closed",
        help_text="The meeting at which the action was closed.",
    )
    closed_on = models.DateField(null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[owners])

    class Meta:
        # By the series' id, not its name: the unique index on (series,
        # reference) then serves a list's first page without sorting every
        # action. A series' actions stay together, in the order series began.
        ordering = ["series_id", "reference", "pk"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "reference"], name="action_reference_unique"
            ),
            models.CheckConstraint(
                condition=_not_blank("reference"), name="action_reference"
            ),
            models.CheckConstraint(
                condition=_not_blank("description"), name="action_description"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["open", "in_progress", "done", "dropped", "superseded"]
                ),
                name="action_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="superseded") | Q(superseded_by__isnull=False),
                name="action_superseded_has_successor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.description[:60]}"

    def save(self, *args, **kwargs):
        if self.meeting_id and not self.series_id:
            self.series_id = self.meeting.series_id
        self.keep_closure_in_step()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "closed_at", "closed_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meetings:action-detail", args=[self.pk])

    def clean(self) -> None:
        if self.section_id and self.section.meeting_id != self.meeting_id:
            raise ValidationError(
                {"section": "The section belongs to another meeting."}
            )
        if self.superseded_by_id and self.superseded_by_id == self.pk:
            raise ValidationError(
                {"superseded_by": "An action cannot supersede itself."}
            )
        if self.status == self.Status.SUPERSEDED and not self.superseded_by_id:
            raise ValidationError(
                {"superseded_by": "Say which action supersedes this one."}
            )

    def keep_closure_in_step(self) -> None:
        """Make ``closed_at``/``closed_on`` agree with the status.

        Every path that saves an action (editor, admin, API, import, review)
        ends here, so a closed action always has a closing date. Reopening
        clears both. A closure that names no date is dated by what is known:
        a new action closed as it is raised was closed at its own meeting; an
        existing one was closed today, at its meeting only if that is today.
        Reviews and imports name the meeting themselves and are kept as given.
        """
        if self.is_open:
            self.closed_at, self.closed_on = None, None
        elif self.closed_on is None:
            today = timezone.localdate()
            if self.pk is None or self.meeting.date == today:
                self.closed_at, self.closed_on = self.meeting, self.meeting.date
            else:
                self.closed_at, self.closed_on = None, today

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < on

    def owner_names(self) -> list[str]:
        names = [person.name for person in self.owners.all()]
        if self.owner_organisation_id:
            names.append(self.owner_organisation.short_name)
        if self.owners_text:
            names.append(self.owners_text)
        return names


class ActionLink(TimeStampedModel):
    """A cross reference between actions, e.g. "See 12.05" or "Subsumed by 12.05"."""

    class Kind(models.TextChoices):
        SEE = "see", "See"
        SEE_ALSO = "see_also", "See also"
        SUBSUMED_BY = "subsumed_by", "Subsumed by"
        FOLLOW_UP = "follow_up", "Follow-up of"
        MENTIONS = "mentions", "Mentions"
        CLOSE = "close", "Closes"

    source = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="links_out"
    )
    target = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="links_in"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SEE)

    class Meta:
        ordering = ["source", "kind", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="action_link_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="action_link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.source.reference} {self.get_kind_display()} {self.target.reference}"
        )

    def get_absolute_url(self) -> str:
        return self.source.get_absolute_url()


class ActionUpdate(TimeStampedModel):
    """What a later meeting recorded about an action: its status then, a comment."""

    action = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="updates"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_updates"
    )
    status = models.CharField(max_length=12, choices=ActionItem.Status.choices)
    comment = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ActionUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "meeting"], name="action_update_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["open", "in_progress", "done", "dropped", "superseded"]
                ),
                name="action_update_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference} at {self.meeting}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return f"{self.action.get_absolute_url()}#update-{self.pk}"


class ReminderLog(TimeStampedModel):
    """One reminder e-mail sent to one person on one day, so none is sent twice."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="reminders"
    )
    sent_on = models.DateField()
    action_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_on", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "sent_on"], name="reminder_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.person} on {self.sent_on}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()
