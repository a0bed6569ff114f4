"""The sales signal rule form: who to watch (the segment, as rows of customer attribute,
operator and value), where, which department's contacts, whom to tell, the window in
which a sale counts and the share held out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department, Unit
from vinculo.cases.models import SalesSignalRule
from vinculo.cases.rules import CHOICE, CONTEXT, OPS, OPS_OF, value_text
from vinculo.cases.rules_forms import ConditionRows
from vinculo.cases.signals import SEGMENT_FIELDS
from vinculo.cases.signals_services import (
    MAX_HOLDOUT,
    MAX_WINDOW_DAYS,
    check_segment,
    frozen_changes,
)


class SignalRuleForm(ConditionRows):
    name = forms.CharField(label=_("Name"), max_length=150)
    source_department = forms.ModelChoiceField(
        label=_("When a customer of the segment contacts"), queryset=Department.objects.all()
    )
    target_department = forms.ModelChoiceField(label=_("Tell"), queryset=Department.objects.all())
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.order_by("path"),
        required=False,
        help_text=_("Each unit with everything below it; none means the whole company."),
    )
    window_days = forms.IntegerField(
        label=_("A sale counts within (days)"), min_value=1, max_value=MAX_WINDOW_DAYS, initial=30
    )
    holdout_percent = forms.IntegerField(
        label=_("Held out (%)"),
        min_value=0,
        max_value=MAX_HOLDOUT,
        initial=10,
        help_text=_("Customers nobody is told about, to measure the uplift against."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    min_rows = 3
    max_rows = 10

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        rule: SalesSignalRule | None = None,
        actor: Actor | None = None,
        **kwargs: Any,
    ) -> None:
        if rule is not None and data is None:
            kwargs.setdefault(
                "initial",
                {
                    "name": rule.name,
                    "source_department": rule.source_department,
                    "target_department": rule.target_department,
                    "units": list(rule.units.all()),
                    "window_days": rule.window_days,
                    "holdout_percent": rule.holdout_percent,
                    "active": rule.active,
                },
            )
        super().__init__(data, **kwargs)
        self.rule = rule
        labels = {f.name: f.label for f in CONTEXT}
        self.attributes = [("", "—"), *((name, labels[name]) for name in SEGMENT_FIELDS)]
        self.ops = [("", "—"), *((op, OPS[op]) for op in OPS_OF[CHOICE])]
        self.setup(rule.segment if rule is not None else [], actor)

    def row_fields(self, given: Mapping[str, Any]) -> dict[str, forms.Field]:
        return {
            "field": forms.ChoiceField(
                label=_("Customer attribute"),
                required=False,
                choices=self.attributes,
                initial=given.get("field", ""),
            ),
            "op": forms.ChoiceField(
                label=_("Operator"), required=False, choices=self.ops, initial=given.get("op", "")
            ),
            "value": forms.CharField(
                label=_("Value"), required=False, initial=value_text(given.get("value", ""))
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["segment"], errors = check_segment(self.raw_conditions(data))
        for error in errors:
            self.add_error(None, error)
        source, target = data.get("source_department"), data.get("target_department")
        if source is not None and source == target:
            self.add_error(
                "target_department", _("Tell another department than the one contacted.")
            )
        if self.rule is not None:
            changes = {k: data[k] for k in ("window_days", "holdout_percent") if k in data}
            for name, message in frozen_changes(self.rule, **changes).items():
                self.add_error(name, message)
        return data
