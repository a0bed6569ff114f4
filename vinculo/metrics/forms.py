"""The dashboard's filter form: read from the query string, so a view can be shared by
its URL. It fills the same ``RawFilter`` the API fills; ``resolve`` checks it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.customers.choices import LifecycleStage
from vinculo.journeys.models import Channel, InteractionType, JourneyStage, Touchpoint
from vinculo.metrics.choices import Breakdown, Interval, Metric
from vinculo.metrics.filters import FilterError, MetricFilter, RawFilter, home_unit, resolve
from vinculo.metrics.periods import PRESETS
from vinculo.metrics.queries import seen_segments
from vinculo.surveys.models import Survey

ALL = ("", _("Any"))  # one word for every field, whatever its gender in Spanish


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MetricFilterForm(forms.Form):
    metric = forms.ChoiceField(label=_("Measure"), choices=Metric.choices, required=False)
    # Any unit code in scope is accepted (resolve checks it); the list offers the way up
    # and down the tree from the unit shown, not a thousand stores at once.
    unit = forms.CharField(label=_("Unit"), required=False, max_length=60, widget=forms.Select)
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[*PRESETS.items(), ("custom", _("Custom dates"))],
        required=False,
    )
    since = forms.DateField(label=_("From"), required=False, widget=_date_input())
    until = forms.DateField(label=_("To"), required=False, widget=_date_input())
    survey = forms.TypedChoiceField(label=_("Survey"), coerce=int, required=False, empty_value=None)
    touchpoint = forms.TypedChoiceField(
        label=_("Touchpoint"), coerce=int, required=False, empty_value=None
    )
    interaction_type = forms.ChoiceField(label=_("Interaction type"), required=False)
    stage = forms.ChoiceField(label=_("Journey stage"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    segment = forms.ChoiceField(label=_("Customer segment"), required=False)
    lifecycle = forms.ChoiceField(
        label=_("Lifecycle stage"), choices=[ALL, *LifecycleStage.choices], required=False
    )
    # What the page shows, not what it counts: the trend's buckets, the breakdown's groups.
    interval = forms.ChoiceField(
        label=_("Trend by"), choices=[("", _("Automatic")), *Interval.choices], required=False
    )
    by = forms.ChoiceField(
        label=_("Break down by"),
        choices=[("", _("Automatic")), *(c for c in Breakdown.choices if c[0] != Breakdown.UNIT)],
        required=False,
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        # Choices are read when the form is shown or a value is checked, not before: the
        # dashboard validates its filters on every request but shows the form on demand.
        self.fields["unit"].widget.choices = lambda: [
            (u.code, f"{'— ' * u.depth}{u.name}") for u in self._nearby_units()
        ]
        self._choices("survey", lambda: Survey.objects.order_by("name").values_list("pk", "name"))
        self._choices(
            "touchpoint", lambda: Touchpoint.objects.order_by("name").values_list("pk", "name")
        )
        self._choices(
            "interaction_type",
            lambda: InteractionType.objects.order_by("name").values_list("code", "name"),
        )
        self._choices(
            "stage", lambda: JourneyStage.objects.order_by("name").values_list("code", "name")
        )
        self._choices(
            "channel", lambda: Channel.objects.order_by("name").values_list("code", "name")
        )
        self._choices("segment", lambda: [(s, s) for s in self._segments()])

    def _nearby_units(self) -> list[Unit]:
        """The unit shown, the units above it (within scope) and the units just below it."""
        try:
            current = home_unit(self.actor)
        except FilterError:
            return []
        code = self.data.get("unit") if self.is_bound else None
        asked = Unit.objects.filter(code=code).first() if code else None
        if asked is not None and self.actor.sees_unit(asked.pk):
            current = asked
        above = [int(pk) for pk in current.path.strip("/").split("/")]
        visible = [pk for pk in above if self.actor.sees_unit(pk)]
        units = Unit.objects.filter(Q(pk__in=visible) | Q(parent=current))
        return list(units.order_by("path"))

    def _segments(self) -> list[str]:
        try:
            return seen_segments(home_unit(self.actor))
        except FilterError:
            return []

    def _choices(self, name: str, pairs: Callable[[], Iterable[Any]]) -> None:
        field = self.fields[name]
        field.choices = lambda: [ALL, *pairs()]  # type: ignore[attr-defined]

    def metric_filter(self) -> MetricFilter | None:
        """The checked filter, or None with the errors on the form's fields."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        raw = RawFilter(
            **{
                name: data.get(name) or None
                for name in (
                    "metric",
                    "unit",
                    "period",
                    "since",
                    "until",
                    "survey",
                    "touchpoint",
                    "interaction_type",
                    "stage",
                    "channel",
                    "segment",
                    "lifecycle",
                )
            }
        )
        try:
            f = resolve(self.actor, raw)
        except FilterError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
            return None
        # The fields show what the figures are about, defaults included.
        shown = {name: self.data.get(name) for name in self.data}
        shown.update({"metric": f.metric, "unit": f.unit.code, "period": f.preset})
        if f.preset == "custom":
            shown.update({"since": f.period.since.isoformat(), "until": f.period.until.isoformat()})
        self.data = shown
        return f
