"""The sales signal rule form: who to watch (the segment, as rows of customer attribute,
operator and value), where, which department's contacts, whom to tell, the window in
which a sale counts and the share held out."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department, Unit
from vinculo.cases.models import SalesSignalRule
from vinculo.cases.rules import CHOICE, CONTEXT, OPS, OPS_OF, value_text
from vinculo.cases.signals import SEGMENT_FIELDS
from vinculo.cases.signals_services import MAX_HOLDOUT, MAX_WINDOW_DAYS, check_segment

ROWS = 3
MAX_ROWS = 10


class SignalRuleForm(forms.Form):
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

    def __init__(
        self,
        *args: Any,
        rule: SalesSignalRule | None = None,
        actor: Actor | None = None,
        **kwargs: Any,
    ) -> None:
        if rule is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": rule.name,
                "source_department": rule.source_department,
                "target_department": rule.target_department,
                "units": list(rule.units.all()),
                "window_days": rule.window_days,
                "holdout_percent": rule.holdout_percent,
                "active": rule.active,
            }
        super().__init__(*args, **kwargs)
        if actor is not None and actor.unit_ids is not None:  # only units one may act in
            units = self.fields["units"]
            units.queryset = units.queryset.filter(pk__in=actor.unit_ids)  # type: ignore[attr-defined]
        existing = rule.segment if rule is not None and not self.is_bound else []
        labels = {f.name: f.label for f in CONTEXT}
        fields = [("", "—"), *((name, labels[name]) for name in SEGMENT_FIELDS)]
        ops = [("", "—"), *((op, OPS[op]) for op in OPS_OF[CHOICE])]
        self.row_count = min(MAX_ROWS, max(ROWS, len(existing) + 1))
        if self.is_bound:
            given_rows = sum(1 for i in range(MAX_ROWS) if f"cond_{i}_field" in self.data)
            self.row_count = max(ROWS, given_rows)
        for i in range(self.row_count):
            given = existing[i] if i < len(existing) else {}
            self.fields[f"cond_{i}_field"] = forms.ChoiceField(
                label=_("Customer attribute"),
                required=False,
                choices=fields,
                initial=given.get("field", ""),
            )
            self.fields[f"cond_{i}_op"] = forms.ChoiceField(
                label=_("Operator"), required=False, choices=ops, initial=given.get("op", "")
            )
            self.fields[f"cond_{i}_value"] = forms.CharField(
                label=_("Value"), required=False, initial=value_text(given.get("value", ""))
            )

    def rows(self) -> list[list[forms.BoundField]]:
        parts = ("field", "op", "value")
        return [[self[f"cond_{i}_{p}"] for p in parts] for i in range(self.row_count)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = [
            {
                "field": data.get(f"cond_{i}_field"),
                "op": data.get(f"cond_{i}_op"),
                "value": data.get(f"cond_{i}_value"),
            }
            for i in range(self.row_count)
            if data.get(f"cond_{i}_field")
        ]
        data["segment"], errors = check_segment(raw)
        for error in errors:
            self.add_error(None, error)
        source, target = data.get("source_department"), data.get("target_department")
        if source is not None and source == target:
            self.add_error(
                "target_department", _("Tell another department than the one contacted.")
            )
        return data
