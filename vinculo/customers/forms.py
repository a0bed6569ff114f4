"""Forms of the customer pages: search, timeline filters and merges. They validate only."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.journeys.queries import TimelineFilter, channels, interaction_types


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search customers"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("E-mail, phone, customer number, CRM id, card, tax id or name"),
            }
        ),
    )

    def query(self) -> str:
        return self.cleaned_data["q"] if self.is_valid() else ""


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        # The browser's date picker always sends ISO dates, whatever the page's language.
        super().__init__(format="%Y-%m-%d")


class TimelineFilterForm(forms.Form):
    """Filters of a customer's timeline, read from the query string (GET)."""

    channel = forms.ChoiceField(label=_("Channel"), required=False)
    interaction_type = forms.ChoiceField(label=_("Interaction type"), required=False)
    since = forms.DateField(label=_("Since"), required=False, widget=_DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=_DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = ("", _("All"))
        self.fields["channel"].choices = [every, *channels().values_list("code", "name")]  # type: ignore[attr-defined]
        self.fields["interaction_type"].choices = [  # type: ignore[attr-defined]
            every,
            *interaction_types().values_list("code", "name"),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("“Until” must be on or after “Since”."))
            self.cleaned_data.pop("since", None)  # a contradictory period filters by neither date
        return self.cleaned_data

    def timeline_filter(self) -> TimelineFilter:
        """The filter from the fields that are valid; an invalid field does not filter."""
        self.is_valid()
        data = self.cleaned_data
        return TimelineFilter(
            channel=data.get("channel") or "",
            interaction_type=data.get("interaction_type") or "",
            since=data.get("since"),
            until=data.get("until"),
        )


class MergeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the customer to merge"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Customer id, any identity or name")}
        ),
    )

    def query(self) -> str:
        return self.cleaned_data["q"] if self.is_valid() else ""


class MergeForm(forms.Form):
    merged_id = forms.IntegerField(
        label=_("Customer to merge"), min_value=1, widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason for the merge"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the merge history, e.g. “same person: same tax id and phone”."),
    )


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        min_length=3,
        max_length=2000,
        help_text=_("For example the reference of the customer's request."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
