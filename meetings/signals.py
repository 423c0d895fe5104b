"""Keeping rows consistent when something they point to is deleted."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from meetings.models import ActionItem


@receiver(pre_delete, sender=ActionItem)
def reopen_actions_it_superseded(sender, instance: ActionItem, **kwargs) -> None:
    """An action superseded by one that is deleted is open again.

    Its work is no longer covered by anything; leaving it "superseded" by
    nothing would also break the rule that a superseded action names its
    successor.
    """
    superseded = ActionItem.objects.filter(superseded_by=instance)
    for action in superseded:
        action.status = ActionItem.Status.OPEN
        action.superseded_by = None
        action.closed_at, action.closed_on = None, None
        action.save()
