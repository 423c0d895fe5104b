"""Template tags for the chairs' action pages; the rules stay in permissions."""

from django import template

from meetings import permissions
from meetings.action_forms import SupersedeForm
from meetings.models import ActionItem

register = template.Library()


@register.filter
def may_review_actions(user) -> bool:
    """``{% if user|may_review_actions %}``: see ``permissions.can_review_actions``."""
    return permissions.can_review_actions(user)


@register.inclusion_tag("meetings/_supersede_form.html", takes_context=True)
def supersede_form(context, action: ActionItem) -> dict:
    """The empty "superseded by" form on ``action``'s page."""
    form = SupersedeForm(action=action, candidates=ActionItem.objects.none())
    return {"action": action, "form": form, "csrf_token": context.get("csrf_token")}


@register.filter
def superseded_actions(action: ActionItem, user):
    """The actions ``action`` supersedes that ``user`` may read."""
    return action.supersedes.visible_to(user).order_by("reference", "pk")
