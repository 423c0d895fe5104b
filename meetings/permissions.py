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
