"""Which actions a meeting page lists where.

The importer keeps a comment made at the meeting that raised an action as an
``ActionUpdate`` of that same meeting (there is nowhere else for it). Such an
update belongs with the raised action, not among the actions reviewed.
Both filters read the lists ``Meeting.objects.with_tree()`` prefetched, so
they cost no query.
"""

from django import template

from meetings.models import ActionItem, ActionUpdate, Meeting

register = template.Library()


@register.filter
def reviewed_updates(meeting: Meeting) -> list[ActionUpdate]:
    """Updates recorded at ``meeting`` on actions raised at other meetings."""
    return [
        u for u in meeting.action_updates.all() if u.action.meeting_id != meeting.pk
    ]


@register.filter
def raised_with_comments(meeting: Meeting) -> list[ActionItem]:
    """The actions raised at ``meeting``, each with ``comment_here``: what the
    meeting itself said about it."""
    comments = {
        u.action_id: u.comment
        for u in meeting.action_updates.all()
        if u.action.meeting_id == meeting.pk
    }
    actions = list(meeting.actions_raised.all())
    for action in actions:
        action.comment_here = comments.get(action.pk, "")
    return actions
