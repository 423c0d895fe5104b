"""Changes that touch several rows, each in one transaction.

Views, the API, admin actions and management commands call these functions, so
each rule lives in one place.
"""

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from meetings import permissions
from meetings.models import (
    ActionItem,
    Attendance,
    Meeting,
    Person,
    PersonAlias,
    Section,
)

logger = logging.getLogger(__name__)

# When both people were listed at one meeting, the more engaged status wins.
_ATTENDANCE_RANK = {
    Attendance.Status.PRESENT: 0,
    Attendance.Status.REMOTE: 1,
    Attendance.Status.APOLOGIES: 2,
    Attendance.Status.ABSENT: 3,
}


@transaction.atomic
def merge_people(target: Person, others: Sequence[Person]) -> str:
    """Fold ``others`` into ``target`` and delete them; nothing recorded is lost.

    Attendance, ownership of actions, chairing, scribing, presenting and aliases
    move to ``target``; the others' names and initials become aliases. Where
    both attended one meeting, one attendance row stays, with the better status
    and both notes. Returns a short summary for the person who asked.
    """
    moved = {"attendance": 0, "actions": 0, "aliases": 0}
    for other in others:
        if other.pk == target.pk:
            continue
        moved["attendance"] += _merge_attendance(target, other)
        moved["actions"] += _merge_actions(target, other)
        moved["aliases"] += _merge_aliases(target, other)
        # Saved row by row, not with update(), so the history records each move.
        for meeting in Meeting.objects.filter(chair=other):
            meeting.chair = target
            meeting.save()
        for section in Section.objects.filter(presenter=other):
            section.presenter = target
            section.save()
        for meeting in other.meetings_scribed.all():
            meeting.scribes.add(target)
        _fill_blanks(target, other)
        logger.info("Merged person %s (%s) into %s", other.pk, other, target.pk)
        other.delete()
    target.save()
    return (
        f"{moved['attendance']} attendance rows, {moved['actions']} actions, "
        f"{moved['aliases']} aliases moved"
    )


def _merge_attendance(target: Person, other: Person) -> int:
    existing = {a.meeting_id: a for a in target.attendances.all()}
    count = 0
    for attendance in other.attendances.all():
        kept = existing.get(attendance.meeting_id)
        if kept is None:
            attendance.person = target
            attendance.save(update_fields=["person", "updated_at"])
        else:
            if _ATTENDANCE_RANK[attendance.status] < _ATTENDANCE_RANK[kept.status]:
                kept.status = attendance.status
            notes = [n for n in (kept.note, attendance.note) if n]
            kept.note = "; ".join(dict.fromkeys(notes))[:200]
            kept.save()
            attendance.delete()
        count += 1
    return count


def _merge_actions(target: Person, other: Person) -> int:
    actions = list(ActionItem.objects.owned_by(other))
    for action in actions:
        action.owners.remove(other)
        action.owners.add(target)
    return len(actions)


def _merge_aliases(target: Person, other: Person) -> int:
    known = {a.alias.lower() for a in target.aliases.all()}
    known |= {target.name.lower(), target.initials.lower()}
    spellings = [alias.alias for alias in other.aliases.all()]
    spellings += [other.name, other.initials]
    added = 0
    for spelling in spellings:
        if spelling and spelling.lower() not in known:
            PersonAlias.objects.create(person=target, alias=spelling)
            known.add(spelling.lower())
            added += 1
    return added


def _fill_blanks(target: Person, other: Person) -> None:
    for name in ("initials", "email", "organisation_id"):
        if not getattr(target, name) and getattr(other, name):
            setattr(target, name, getattr(other, name))
    if target.user_id is None and other.user_id is not None:
        user_id = other.user_id
        other.user = None
        other.save(update_fields=["user"])
        target.user_id = user_id


class StaleVersion(Exception):
    """The row was saved by someone else after the editor loaded ``expected``."""

    def __init__(self, instance: models.Model, expected: int, current: int | None):
        self.instance = instance
        self.expected = expected
        self.current = current
        super().__init__(
            f"{instance._meta.verbose_name} {instance.pk} is at version {current}, "
            f"not {expected}"
        )


_Result = TypeVar("_Result")


def save_versioned(
    instance: models.Model,
    expected: int,
    write: Callable[[], _Result] | None = None,
) -> _Result | None:
    """Run ``write`` (by default ``instance.save``) only if the row is at ``expected``.

    The check and the write share one transaction, and the check is a conditional
    UPDATE that locks the row until the transaction ends, so of two editors who
    loaded the same version exactly one succeeds; the other gets ``StaleVersion``
    and nothing of theirs is written.
    """
    manager = type(instance)._default_manager
    with transaction.atomic():
        claimed = manager.filter(pk=instance.pk, version=expected).update(
            version=expected + 1
        )
        if not claimed:
            current = manager.filter(pk=instance.pk).values_list("version", flat=True)
            raise StaleVersion(instance, expected, current.first())
        # VersionedModel.save adds one, which lands on the version claimed above.
        instance.version = expected
        return (write or instance.save)()


@transaction.atomic
def publish_meeting(meeting: Meeting, user) -> Meeting:
    """Publish ``meeting`` as ``user``; publishing published minutes changes nothing.

    Raises ``PermissionDenied`` unless ``user`` may publish minutes.
    """
    if not permissions.can_publish(user):
        raise PermissionDenied("Only chairs may publish minutes.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_published:
        return meeting
    meeting.status = Meeting.Status.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.published_by = user
    meeting.save()
    return meeting
