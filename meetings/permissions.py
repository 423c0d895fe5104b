"""Who may read and change what: the one place views, API and admin ask.

Roles are Django groups (``Scribe`` and ``Chair``, created by a data migration)
carrying model permissions, so an admin can also grant a single permission to a
single account.
"""

from django.conf import settings

SCRIBE_GROUP = "Scribe"
CHAIR_GROUP = "Chair"


def can_read_published(user) -> bool:
    """Published minutes: every member, and everyone when the site is public."""
    return bool(user.is_authenticated or settings.MINUTES_PUBLIC)


def can_view_drafts(user) -> bool:
    """Draft minutes: scribes, chairs and staff."""
    return bool(
        user.is_authenticated
        and (user.is_staff or user.has_perm("meetings.view_draft_meeting"))
    )


def can_see_personal_data(user) -> bool:
    """E-mail addresses and other personal details: staff only."""
    return bool(user.is_authenticated and user.is_staff)


def can_view_meeting(user, meeting) -> bool:
    if meeting.is_published:
        return can_read_published(user)
    return can_view_drafts(user)


def can_change(user, model, action: str) -> bool:
    """Add, change or delete rows of ``model``: the model permission of that name.

    ``action`` is ``"add"``, ``"change"`` or ``"delete"``. The Scribe and Chair
    groups carry these permissions; superusers hold them all.
    """
    codename = f"{action}_{model._meta.model_name}"
    return bool(
        user.is_authenticated and user.has_perm(f"{model._meta.app_label}.{codename}")
    )


def can_edit_minutes(user) -> bool:
    """Creating and editing meetings, sections, attendance and actions: scribes,
    chairs and superusers, also after the minutes are published."""
    return bool(
        user.is_authenticated
        and user.has_perms(["meetings.add_meeting", "meetings.change_meeting"])
    )


def can_publish(user) -> bool:
    """Publishing minutes: chairs and superusers."""
    return bool(user.is_authenticated and user.has_perm("meetings.publish_meeting"))


# Scribes also hold add_actionupdate and change_actionitem; the chair's own
# permission, publish_meeting, is what sets a chair apart. A dedicated
# "review_actions" permission would say this more plainly (needs a migration).
REVIEW_PERMISSIONS = (
    "meetings.add_actionupdate",
    "meetings.change_actionitem",
    "meetings.publish_meeting",
)


def can_review_actions(user) -> bool:
    """Reviewing open actions at a meeting, and superseding: chairs, superusers."""
    return bool(user.is_authenticated and user.has_perms(REVIEW_PERMISSIONS))
