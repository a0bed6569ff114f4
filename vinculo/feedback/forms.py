"""The inbox's filters, read from the query string so a view can be shared."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.accounts.queries import units_in_scope
from vinculo.feedback.choices import Source
from vinculo.feedback.queries import FeedbackFilter
from vinculo.journeys.models import Channel
from vinculo.lib.forms import date_input
from vinculo.textan.choices import Emotion, Sentiment
from vinculo.textan.queries import topic_paths

ALL = ("", _("All"))


class FeedbackFilterForm(forms.Form):
    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    source = forms.ChoiceField(label=_("Source"), choices=[ALL, *Source.choices], required=False)
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), choices=[ALL, *Sentiment.choices], required=False
    )
    emotion = forms.ChoiceField(label=_("Emotion"), choices=[ALL, *Emotion.choices], required=False)
    topic = forms.TypedChoiceField(label=_("Topic"), coerce=int, required=False, empty_value=None)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=date_input())
    until = forms.DateField(label=_("To"), required=False, widget=date_input())

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_scope(actor)  # type: ignore[attr-defined]
        channels = Channel.objects.order_by("name").values_list("code", "name")
        self.fields["channel"].choices = [ALL, *channels]  # type: ignore[attr-defined]
        paths = sorted(topic_paths().items(), key=lambda kv: kv[1])
        self.fields["topic"].choices = [ALL, *paths]  # type: ignore[attr-defined]

    def feedback_filter(self) -> FeedbackFilter:
        """The filter from the fields that are valid; an invalid field does not filter."""
        self.is_valid()
        data = self.cleaned_data
        return FeedbackFilter(
            source=data.get("source") or "",
            channel=data.get("channel") or "",
            sentiment=data.get("sentiment") or "",
            emotion=data.get("emotion") or "",
            topic=data.get("topic"),
            unit=data.get("unit"),
            since=data.get("since"),
            until=data.get("until"),
            text=(data.get("q") or "").strip(),
        )
