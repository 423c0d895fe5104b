"""DRF glue for the rules in ``meetings.permissions``; no rule is decided here."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from meetings import permissions

_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class RolePermission(BasePermission):
    """Reading needs read access to the minutes; writing needs the model
    permission for the method (``add``, ``change`` or ``delete``).

    Which rows a reader sees (drafts or not) is decided by each viewset's
    queryset, so a draft is as absent to a member as a row that does not exist.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return permissions.can_read_published(request.user)
        action = _ACTIONS.get(request.method)
        return action is not None and permissions.can_change(
            request.user, view.queryset.model, action
        )


class PublishPermission(BasePermission):
    """Publishing minutes."""

    def has_permission(self, request, view):
        return permissions.can_publish(request.user)


class ReviewPermission(BasePermission):
    """Reviewing actions at a meeting."""

    def has_permission(self, request, view):
        return permissions.can_review_actions(request.user)
