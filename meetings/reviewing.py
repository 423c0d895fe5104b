"""The chairs' side of actions: reviewing them at a meeting, superseding, reminders.

Reads that answer "what was open when this meeting began?" and the per-owner
summaries live here beside the changes that depend on them, so that the review
page, the API and the reminder command agree on one meaning.

An action's state *as of a meeting* is read from two records: its closure
(``closed_on``, which every save keeps in step with the status) and the
``ActionUpdate`` rows of reviews at other meetings held on or before that
meeting's date. An action closed before that date is closed; any other has the
status its latest such review recorded or, never reviewed, is open as raised.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone

from meetings import permissions
from meetings.models import (
    ActionItem,
    ActionLink,
    ActionUpdate,
    Meeting,
    Organisation,
    Person,
    ReminderLog,
)
from meetings.services import save_versioned

logger = logging.getLogger(__name__)

Status = ActionItem.Status


class ReviewError(Exception):
    """A review or superseding that cannot be saved; nothing of it was written."""


class StaleReview(ReviewError):
    """Someone changed the actions after the chair loaded the review page."""

    def __init__(self, references: Sequence[str]):
        self.references = list(references)
        super().__init__(
            f"Not saved: {', '.join(self.references)} changed since you opened "
            "this page (someone else saved first). Reload the page to see their "
            "changes, then make yours again."
        )


# Reading the state of actions at a meeting


def _before(meeting: Meeting, prefix: str = "") -> Q:
    """Meetings held before ``meeting``: earlier days, or earlier rows that day."""
    return Q(**{f"{prefix}date__lt": meeting.date}) | Q(
        **{f"{prefix}date": meeting.date, f"{prefix}pk__lt": meeting.pk}
    )


def raised_before(meeting: Meeting, queryset: QuerySet | None = None) -> QuerySet:
    """Actions of ``meeting``'s series raised at meetings held before it."""
    queryset = ActionItem.objects.all() if queryset is None else queryset
    earlier = Meeting.objects.filter(series=meeting.series_id).filter(_before(meeting))
    return queryset.filter(series=meeting.series_id, meeting__in=earlier)


def with_status_as_of(queryset: QuerySet, meeting: Meeting) -> QuerySet:
    """Annotate ``status_as_of``: each action's state when ``meeting`` began.

    Updates recorded at ``meeting`` itself do not count, so the review of a
    meeting keeps listing the actions it closed. Also annotates
    ``reviewed_later``: whether a meeting after this one recorded an update.
    """
    updates = ActionUpdate.objects.filter(action=OuterRef("pk"))
    before = (
        updates.filter(meeting__date__lte=meeting.date)
        .exclude(meeting=meeting)
        .order_by("-meeting__date", "-meeting_id", "-pk")
        .values("status")[:1]
    )
    # A review that reopens an action clears its closure, and a later closure
    # is dated after that review: a closure before the meeting is the last word.
    status_as_of = Case(
        When(closed_on__lt=meeting.date, then=F("status")),
        default=Coalesce(Subquery(before), Value(Status.OPEN)),
        output_field=CharField(),
    )
    later = updates.filter(meeting__date__gt=meeting.date)
    return queryset.annotate(
        status_as_of=status_as_of,
        reviewed_later=Exists(later),
    )


def open_as_of(meeting: Meeting, queryset: QuerySet | None = None) -> QuerySet:
    """Actions open when ``meeting`` began, raised at earlier meetings of its series.

    This is the list a chair goes through at ``meeting``. Pass ``queryset`` to
    start from e.g. ``ActionItem.objects.visible_to(user)``.
    """
    actions = with_status_as_of(raised_before(meeting, queryset), meeting)
    return actions.filter(status_as_of__in=ActionItem.OPEN_STATUSES)


REVIEW_PAGE_SIZE = 50
REVIEW_GROUPINGS = ("owner", "organisation")


def review_page_size() -> int:
    """Rows on one page of a review: ``MINUTES_REVIEW_PAGE_SIZE``, else 50."""
    return getattr(settings, "MINUTES_REVIEW_PAGE_SIZE", REVIEW_PAGE_SIZE)


def review_rows(meeting: Meeting, user, by: str = "owner") -> QuerySet:
    """The review page's rows: ``open_as_of`` plus what the page shows of each.

    ``review_update`` (a list of at most one) holds what ``meeting`` already
    recorded about the action. Rows come in the page's order, computed by the
    database (``in_review_order``) so that a page loads only its own rows. The
    number of queries does not depend on the number of actions.
    """
    recorded_here = ActionUpdate.objects.filter(meeting=meeting)
    rows = (
        open_as_of(meeting, ActionItem.objects.visible_to(user))
        .for_list()
        .select_related("superseded_by")
        .prefetch_related(
            Prefetch("updates", queryset=recorded_here, to_attr="review_update"),
        )
    )
    return in_review_order(rows, by)


def in_review_order(queryset: QuerySet, by: str = "owner") -> QuerySet:
    """Actions ordered by the group the review shows them under, then reference.

    Annotates ``review_group``: the name of the action's first owner by name
    or, without one, its owning organisation or its owners as written; with
    ``by="organisation"``, the owning organisation, else the first owner's
    organisation (short names). ``None`` when there is nothing to group by:
    those come last. Groups sort case-insensitively (``Lower``), and rows
    within a group by reference.
    """
    if by not in REVIEW_GROUPINGS:
        raise ValueError(f"Unknown grouping {by!r}")
    owners = ActionItem.owners.through.objects.filter(
        actionitem=OuterRef("pk")
    ).order_by("person__name", "person_id")
    if by == "organisation":
        name = "person__organisation__short_name"
        parts = [F("owner_organisation__short_name"), _first(owners, name)]
        sort_parts = [
            Lower("owner_organisation__short_name"),
            _first(owners, name, lower=True),
        ]
    else:
        text = NullIf(F("owners_text"), Value(""))
        parts = [
            _first(owners, "person__name"),
            F("owner_organisation__short_name"),
            text,
        ]
        sort_parts = [
            _first(owners, "person__name", lower=True),
            Lower("owner_organisation__short_name"),
            Lower(text),
        ]
    # Each group expression is a subquery run per row: annotated once each and
    # ordered by position, not repeated inside the ORDER BY. The lower-case key
    # sorts, the key as written keeps "ACME" and "Acme" apart, NULLS LAST puts
    # the ungrouped at the end.
    return queryset.annotate(
        review_group=Coalesce(*parts, output_field=CharField()),
        review_group_sort=Coalesce(*sort_parts, output_field=CharField()),
    ).order_by(
        F("review_group_sort").asc(nulls_last=True),
        F("review_group").asc(nulls_last=True),
        "reference",
        "pk",
    )


def _first(owners: QuerySet, field: str, *, lower: bool = False) -> Subquery:
    """``field`` of the first owner by name, in lower case if asked."""
    if lower:
        owners = owners.annotate(first_value=Lower(field))
        return Subquery(owners.values("first_value")[:1])
    return Subquery(owners.values(field)[:1])


def review_status(action: ActionItem) -> str:
    """The status a review row starts from.

    What this meeting recorded, if anything; else the action's current status,
    unless a later meeting has spoken since, in which case its state back then.
    """
    if action.review_update:
        return action.review_update[0].status
    return action.status_as_of if action.reviewed_later else action.status


# Recording a review


@dataclass(frozen=True)
class ReviewChange:
    """What the chair said about one action: the version they saw, status, comment."""

    action_id: int
    version: int
    status: str
    comment: str = ""


@transaction.atomic
def record_review(
    meeting: Meeting, changes: Iterable[ReviewChange], user
) -> list[ActionUpdate]:
    """Record at ``meeting`` the status and comment the chair gave each action.

    Each change becomes the one ``ActionUpdate`` of its action at ``meeting``
    (created, or replaced when the review is saved again). Unless a later
    meeting has already recorded something, the action takes the new status:
    closing records ``closed_at``/``closed_on`` from ``meeting``, re-opening
    clears them, and leaving "superseded" forgets the successor.

    All or nothing: raises ``StaleReview`` when any action's version is no
    longer the one the chair saw, ``ReviewError`` for an action that is not
    part of this meeting's review or a status it cannot take, and
    ``PermissionDenied`` unless ``user`` may review actions.
    """
    if not permissions.can_review_actions(user):
        raise PermissionDenied("Only chairs may review actions.")
    changes = list(changes)
    ids = [change.action_id for change in changes]
    if len(set(ids)) != len(ids):
        raise ReviewError("Not saved: the review lists an action more than once.")

    # Locked in a fixed order so that two reviews saved at once cannot deadlock.
    locked = ActionItem.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    actions = {action.pk: action for action in locked}
    allowed = set(
        raised_before(meeting).filter(pk__in=ids).values_list("pk", flat=True)
    )
    outsiders = [str(pk) for pk in ids if pk not in allowed]
    if outsiders:
        raise ReviewError(
            f"Not saved: action(s) with id {', '.join(outsiders)} were not raised "
            f"at an earlier meeting of {meeting.series}, so {meeting} cannot "
            "review them."
        )

    stale = [
        actions[change.action_id].reference
        for change in changes
        if actions[change.action_id].version != change.version
    ]
    if stale:
        raise StaleReview(stale)

    updates = []
    for change in changes:
        action = actions[change.action_id]
        _check_review_status(action, change.status)
        updates.append(
            save_versioned(
                action,
                change.version,
                lambda a=action, c=change: _apply_review(a, meeting, c, user),
            )
        )
    logger.info(
        "Review at meeting %s recorded %s update(s) by user %s",
        meeting.pk,
        len(updates),
        user.pk,
    )
    return updates


def _check_review_status(action: ActionItem, status: str) -> None:
    if status not in Status.values:
        raise ReviewError(
            f"Not saved: {status!r} is not a status ({action.reference})."
        )
    if status == Status.SUPERSEDED and not action.superseded_by_id:
        raise ReviewError(
            f"Not saved: to mark {action.reference} superseded, use the form on "
            "its page, which asks which action replaces it."
        )


def _apply_review(action, meeting, change: ReviewChange, user) -> ActionUpdate:
    update, _ = ActionUpdate.objects.update_or_create(
        action=action,
        meeting=meeting,
        defaults={"status": change.status, "comment": change.comment},
        create_defaults={
            "status": change.status,
            "comment": change.comment,
            "created_by": user,
        },
    )
    # A review of an older meeting, entered late, must not undo what a later
    # meeting decided: the history records it, the current status stays.
    reviewed_later = action.updates.filter(meeting__date__gt=meeting.date).exists()
    if not reviewed_later:
        _set_status(action, change.status, meeting)
    action.save()
    return update


def _set_status(action: ActionItem, status: str, meeting: Meeting) -> None:
    previous = action.status
    if status == previous:
        return
    if previous == Status.SUPERSEDED:
        _forget_successor(action)
    action.status = status
    if status in ActionItem.OPEN_STATUSES:
        action.closed_at, action.closed_on = None, None
    elif previous in ActionItem.OPEN_STATUSES or action.closed_on is None:
        action.closed_at, action.closed_on = meeting, meeting.date


def _forget_successor(action: ActionItem) -> None:
    ActionLink.objects.filter(
        source=action, target=action.superseded_by_id, kind=ActionLink.Kind.SUBSUMED_BY
    ).delete()
    action.superseded_by = None


# Superseding


@transaction.atomic
def supersede(
    action: ActionItem, successor: ActionItem, user, expected_version: int
) -> ActionItem:
    """Mark ``action`` superseded by ``successor``; both pages then link each other.

    Sets the status and ``superseded_by``, records an ``ActionLink`` of kind
    "subsumed by" (replacing the link to a previous successor) and, if the
    action was open, ``closed_on`` today. Raises ``ReviewError`` for an action
    superseding itself or a loop (``successor`` already superseded, directly
    or through others, by ``action``), ``StaleReview`` when ``action`` is no
    longer at ``expected_version``, and ``PermissionDenied`` unless ``user``
    may review actions.
    """
    if not permissions.can_review_actions(user):
        raise PermissionDenied("Only chairs may supersede actions.")
    if successor.pk == action.pk:
        raise ReviewError("An action cannot supersede itself.")
    ids = sorted([action.pk, successor.pk])
    locked = ActionItem.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    rows = {row.pk: row for row in locked}
    if len(rows) != len(ids):
        raise ReviewError("Not saved: one of the two actions no longer exists.")
    action, successor = rows[action.pk], rows[successor.pk]

    chain = _successors(successor)
    if action.pk in (row.pk for row in chain):
        path = " → ".join(row.reference for row in [successor, *chain])
        raise ReviewError(
            f"{successor.reference} cannot supersede {action.reference}: it is "
            f"itself superseded by it ({path}), which would make a loop."
        )
    if action.version != expected_version:
        raise StaleReview([action.reference])

    def write() -> ActionItem:
        if action.superseded_by_id and action.superseded_by_id != successor.pk:
            _forget_successor(action)
        if action.is_open:
            action.closed_on = timezone.localdate()
        action.status = Status.SUPERSEDED
        action.superseded_by = successor
        action.save()
        ActionLink.objects.get_or_create(
            source=action, target=successor, kind=ActionLink.Kind.SUBSUMED_BY
        )
        return action

    save_versioned(action, expected_version, write)
    logger.info("Action %s superseded by %s", action.pk, successor.pk)
    return action


def _successors(action: ActionItem) -> list[ActionItem]:
    """The chain of actions superseding ``action``, stopping at any loop."""
    chain: list[ActionItem] = []
    seen = {action.pk}
    current = action
    while current.superseded_by_id and current.superseded_by_id not in seen:
        current = ActionItem.objects.only("reference", "superseded_by").get(
            pk=current.superseded_by_id
        )
        seen.add(current.pk)
        chain.append(current)
    return chain


# Summaries per owner


def _count(queryset: QuerySet) -> Coalesce:
    """The number of rows of a correlated ``queryset``, as an annotation.

    ``COUNT`` as a plain function adds no GROUP BY, so the filter may use OR
    across the action's own owners and its owning organisation.
    """
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT"))
    return Coalesce(
        Subquery(counted.values("n"), output_field=IntegerField()), Value(0)
    )


def _summary_counts(actions: QuerySet, on: datetime.date) -> dict[str, Coalesce]:
    year_ago = on - datetime.timedelta(days=365)
    return {
        "open_count": _count(actions.open()),
        "overdue_count": _count(actions.overdue(on=on)),
        "done_count": _count(
            actions.filter(status=Status.DONE, closed_on__gte=year_ago)
        ),
    }


def person_summaries(user, on: datetime.date | None = None) -> QuerySet:
    """People with open actions or actions done in the last year, with counts.

    Annotates ``open_count``, ``overdue_count`` (as of ``on``, today by default)
    and ``done_count`` (closed as done in the 365 days before ``on``), counting
    only actions ``user`` may read. Busiest people first.
    """
    on = on or timezone.localdate()
    owners = ActionItem.owners.through.objects.filter(
        actionitem=OuterRef("pk"), person=OuterRef(OuterRef("pk"))
    )
    actions = ActionItem.objects.visible_to(user).filter(Exists(owners))
    return (
        Person.objects.with_organisation()
        .annotate(**_summary_counts(actions, on))
        .filter(Q(open_count__gt=0) | Q(done_count__gt=0))
        .order_by("-overdue_count", "-open_count", "name", "pk")
    )


def organisation_summaries(user, on: datetime.date | None = None) -> QuerySet:
    """Organisations with the counts of ``person_summaries``.

    An organisation's actions are those it owns itself and those of its people
    (``ActionItemQuerySet.owned_by_organisation``); each counts once.
    """
    on = on or timezone.localdate()
    members = ActionItem.owners.through.objects.filter(
        actionitem=OuterRef("pk"), person__organisation=OuterRef(OuterRef("pk"))
    )
    actions = ActionItem.objects.visible_to(user).filter(
        Q(owner_organisation=OuterRef("pk")) | Exists(members)
    )
    return (
        Organisation.objects.annotate(**_summary_counts(actions, on))
        .filter(Q(open_count__gt=0) | Q(done_count__gt=0))
        .order_by("-overdue_count", "-open_count", "short_name", "pk")
    )


# Reminders


@dataclass
class ReminderSummary:
    """What a run of ``send_reminders`` did, for the command to print."""

    dry_run: bool = False
    sent: list[tuple[Person, int]] = field(default_factory=list)
    already_sent: int = 0
    failed: int = 0

    @property
    def action_count(self) -> int:
        return sum(count for _, count in self.sent)


def _remindable_actions() -> QuerySet:
    # Only actions of published minutes: what the owner could read on the site.
    published = Meeting.objects.published()
    return ActionItem.objects.open().filter(meeting__in=published)


def people_to_remind(on: datetime.date) -> QuerySet:
    """Active people with an e-mail address, open actions and no reminder on ``on``.

    Each comes with ``reminder_actions``: their open actions, soonest due first.
    """
    actions = _remindable_actions()
    owns = ActionItem.owners.through.objects.filter(
        person=OuterRef("pk"), actionitem__in=actions
    )
    reminded = ReminderLog.objects.filter(person=OuterRef("pk"), sent_on=on)
    ordered = actions.select_related("series").order_by(
        F("due_date").asc(nulls_last=True), "reference", "pk"
    )
    return (
        Person.objects.active()
        .exclude(email="")
        .filter(Exists(owns))
        .exclude(Exists(reminded))
        .prefetch_related(
            Prefetch("actions_owned", queryset=ordered, to_attr="reminder_actions")
        )
        .order_by("name", "pk")
    )


def reminder_message(
    person: Person, actions: Sequence[ActionItem], on: datetime.date, base_url: str
) -> EmailMessage:
    """The e-mail listing ``person``'s open actions, overdue ones marked."""
    overdue = [action for action in actions if action.is_overdue(on)]
    subject = f"[{settings.MINUTES_SITE_NAME}] {len(actions)} open action(s)"
    if overdue:
        subject += f", {len(overdue)} overdue"
    lines = [
        f"Hello {person.name},",
        "",
        f"These actions from the minutes are still open as of {on:%d %B %Y}:",
        "",
    ]
    for action in actions:
        due = f"due {action.due_date:%d %b %Y}" if action.due_date else "no due date"
        late = " — OVERDUE" if action.is_overdue(on) else ""
        lines.append(f"* {action.reference} ({action.series.name}), {due}{late}")
        lines.append(f"  {action.description.strip()}")
        lines.append(f"  {base_url.rstrip('/')}{action.get_absolute_url()}")
    lines += ["", "Please tell the chair about progress before the next meeting."]
    return EmailMessage(subject=subject, body="\n".join(lines), to=[person.email])


def send_reminders(
    on: datetime.date | None = None, *, dry_run: bool = False, base_url: str = ""
) -> ReminderSummary:
    """E-mail each owner their open actions, at most once per person per day.

    The ``ReminderLog`` row is created in the same transaction as the sending,
    so a failed send leaves no row (the next run tries again) and a second
    process racing this one hits the unique constraint and sends nothing.
    """
    on = on or timezone.localdate()
    summary = ReminderSummary(dry_run=dry_run)
    connection = None if dry_run else get_connection()
    for person in people_to_remind(on):
        count = len(person.reminder_actions)
        if dry_run:
            summary.sent.append((person, count))
            continue
        message = reminder_message(person, person.reminder_actions, on, base_url)
        message.connection = connection
        outcome = _send_once(person, on, count, message)
        if outcome == "sent":
            summary.sent.append((person, count))
        elif outcome == "already sent":
            summary.already_sent += 1
        else:
            summary.failed += 1
    logger.info(
        "Reminders on %s: %s sent, %s already sent, %s failed%s",
        on,
        len(summary.sent),
        summary.already_sent,
        summary.failed,
        " (dry run)" if dry_run else "",
    )
    return summary


def _send_once(person: Person, on: datetime.date, count: int, message) -> str:
    try:
        with transaction.atomic():
            ReminderLog.objects.create(person=person, sent_on=on, action_count=count)
            message.send()
    except IntegrityError:
        logger.info("Reminder to person %s on %s was already sent", person.pk, on)
        return "already sent"
    except OSError:
        # smtplib's errors are OSErrors; one bad address must not stop the rest.
        logger.exception("Reminder to person %s could not be sent", person.pk)
        return "failed"
    return "sent"
