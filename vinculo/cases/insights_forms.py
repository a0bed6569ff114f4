"""The filter form of the outer-loop pages (root causes, case metrics) and the unit
choices the improvement forms share. The form only fills a ``RawInsightFilter``;
``insights_filters.resolve`` checks it, as it does the API's query."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.choices import UnitKind
from vinculo.accounts.models import Department, Unit
from vinculo.cases.insights_filters import BY_CAUSE, BY_TOUCHPOINT, BY_UNIT, RawInsightFilter
from vinculo.journeys.models import Touchpoint

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def scope_units(actor: Actor) -> list[Unit]:
    units = Unit.objects.order_by("path")
    if actor.unit_ids is not None:
        units = units.filter(pk__in=actor.unit_ids)
    return list(units)


def unit_choices(units: list[Unit], *, blank: bool = True) -> list[tuple[str, str]]:
    rows = [(u.code, f"{'· ' * u.depth}{u.name}") for u in units]
    return [("", "—"), *rows] if blank else rows


def depth_choices(units: list[Unit]) -> list[tuple[str, str]]:
    """One choice per level of the tree the actor sees, named by the kinds of unit found
    there ("Region", "Store / Branch"), since trees differ from company to company."""
    kinds: dict[int, list[str]] = defaultdict(list)
    for unit in units:
        if unit.kind not in kinds[unit.depth]:
            kinds[unit.depth].append(unit.kind)
    labels = {
        depth: " / ".join(str(UnitKind(k).label) if k in UnitKind.values else k for k in found)
        for depth, found in kinds.items()
    }
    return [("", "—"), *((str(depth), labels[depth]) for depth in sorted(labels))]


class InsightFilterForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    touchpoint = forms.ChoiceField(label=_("Touchpoint"), required=False)
    by = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[
            (BY_CAUSE, _("Root cause")),
            (BY_UNIT, _("Root cause and unit")),
            (BY_TOUCHPOINT, _("Root cause and touchpoint")),
        ],
    )
    depth = forms.ChoiceField(label=_("Unit level"), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        units = scope_units(actor)
        fields["unit"].choices = unit_choices(units)
        fields["depth"].choices = depth_choices(units)
        departments = Department.objects.values_list("code", "name")
        fields["department"].choices = [("", "—"), *departments]
        touchpoints = Touchpoint.objects.values_list("pk", "name")
        fields["touchpoint"].choices = [("", "—"), *((str(pk), n) for pk, n in touchpoints)]

    def raw(self) -> RawInsightFilter:
        """The filter as given; call after ``is_valid()``."""
        d = self.cleaned_data
        touchpoint, depth = d.get("touchpoint"), d.get("depth")
        return RawInsightFilter(
            since=d.get("since"),
            until=d.get("until"),
            unit=d.get("unit") or None,
            department=d.get("department") or None,
            touchpoint=int(touchpoint) if touchpoint else None,
            by=d.get("by") or None,
            depth=int(depth) if depth else None,
        )
