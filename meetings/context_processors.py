from django.conf import settings

from meetings import permissions


def site(request) -> dict:
    return {
        "site_title": settings.MINUTES_SITE_NAME,
        "may_edit_minutes": permissions.can_edit_minutes(request.user),
    }
