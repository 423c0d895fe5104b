"""Forms of the chairs' action pages: the review of a meeting, superseding."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formsets

from meetings.models import ActionItem
from meetings.reviewing import ReviewChange, review_status

Status = ActionItem.Status

# "Superseded" needs a successor, which the action's own page asks for.
_REVIEW_CHOICES = [
    choice for choice in Status.choices if choice[0] != Status.SUPERSEDED
]


class ReviewRowForm(forms.Form):
    """One action in a meeting's review: what the chair records about it."""

    action = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=_REVIEW_CHOICES)
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
    )

    def __init__(self, *args, action_item: ActionItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.action_item = action_item
        if action_item.status == Status.SUPERSEDED:
            # Kept as a choice so that saving the row as it stands is possible.
            self.fields["status"].choices = Status.choices
        label = f"Status of {action_item.reference}"
        self.fields["status"].widget.attrs["aria-label"] = label
        self.fields["comment"].widget.attrs["aria-label"] = (
            f"Comment on {action_item.reference}"
        )

    @property
    def is_edited(self) -> bool:
        """Whether the chair changed the status or the comment of this row."""
        return bool({"status", "comment"} & set(self.changed_data))

    def to_change(self) -> ReviewChange:
        data = self.cleaned_data
        return ReviewChange(
            action_id=data["action"],
            version=data["version"],
            status=data["status"],
            comment=data["comment"],
        )


class BaseReviewFormSet(forms.BaseFormSet):
    """One page of the review of a meeting: one ``ReviewRowForm`` per action.

    ``rows`` are actions from ``reviewing.review_rows``: the page's rows in
    the order shown or, for a POST, the actions it names (``posted_action_ids``)
    in the order posted. The form posted for each position must name the
    action in that position.
    """

    def __init__(self, *args, rows, **kwargs):
        self.rows = list(rows)
        kwargs["initial"] = [
            {
                "action": row.pk,
                "version": row.version,
                "status": review_status(row),
                "comment": row.review_update[0].comment if row.review_update else "",
            }
            for row in self.rows
        ]
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        # Only positions within ``rows`` exist: the formset is built with
        # max_num equal to their number and no extra forms.
        kwargs["action_item"] = self.rows[index]
        return kwargs

    def clean(self):
        if any(self.errors):
            return
        posted = [form.cleaned_data.get("action") for form in self.forms]
        if posted != [row.pk for row in self.rows]:
            raise ValidationError(
                "The list of actions to review changed since you opened this "
                "page. Nothing was saved; reload the page and review again.",
                code="stale_list",
            )

    def changes(self) -> list[ReviewChange]:
        """The rows the chair edited, for ``reviewing.record_review``."""
        return [form.to_change() for form in self.forms if form.is_edited]


REVIEW_PREFIX = "review"


def posted_action_ids(data, max_rows: int) -> list[int] | None:
    """The actions a posted review page names, in order; ``None`` if garbled.

    Read from the management form's ``TOTAL_FORMS`` and each row's hidden
    ``action`` field. ``None`` when these are missing or not whole numbers,
    when there are more than ``max_rows`` rows, or when an action repeats.
    """
    total = str(data.get(f"{REVIEW_PREFIX}-{formsets.TOTAL_FORM_COUNT}", ""))
    if not (total.isascii() and total.isdigit() and len(total) < 7):
        return None
    if int(total) > max_rows:
        return None
    ids = []
    for index in range(int(total)):
        value = str(data.get(f"{REVIEW_PREFIX}-{index}-action", ""))
        if not value.isascii() or not value.isdigit() or len(value) > 18:
            return None
        ids.append(int(value))
    if len(set(ids)) != len(ids):
        return None
    return ids


def review_formset(data=None, *, rows) -> BaseReviewFormSet:
    rows = list(rows)
    formset_class = forms.formset_factory(
        ReviewRowForm,
        formset=BaseReviewFormSet,
        extra=0,
        min_num=len(rows),
        max_num=len(rows),
        absolute_max=len(rows),
        validate_min=True,
        validate_max=True,
    )
    return formset_class(data, rows=rows, prefix=REVIEW_PREFIX)


class SupersedeForm(forms.Form):
    """Which action of the same series replaces this one."""

    successor = forms.CharField(
        label="Superseded by (reference)",
        max_length=20,
        help_text='The reference of the action that replaces this one, e.g. "61.02".',
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: ActionItem, candidates, **kwargs):
        """``candidates``: the actions the user may read, where to look it up."""
        kwargs.setdefault("initial", {"version": action.version})
        super().__init__(*args, **kwargs)
        self.action = action
        self.candidates = candidates

    def clean_successor(self) -> ActionItem:
        reference = self.cleaned_data["successor"].strip()
        successor = (
            self.candidates.filter(series=self.action.series_id)
            .filter(reference__iexact=reference)
            .first()
        )
        if successor is None:
            raise ValidationError(
                f"There is no action {reference!r} in {self.action.series}.",
                code="unknown_reference",
            )
        if successor.pk == self.action.pk:
            raise ValidationError("An action cannot supersede itself.", code="self")
        return successor
