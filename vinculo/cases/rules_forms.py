"""The alert rule form: the rule's settings and its conditions as rows of field, operator,
value (and days, for repeats), which people fill in without writing JSON."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department, Unit
from vinculo.cases.choices import Assignment, Priority
from vinculo.cases.models import AlertRule
from vinculo.cases.rule_choices import RuleAction, RuleEvent
from vinculo.cases.rules import OPS, check_conditions, check_title, field_choices, value_text

MIN_ROWS = 4
MAX_ROWS = 12


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    event = forms.ChoiceField(label=_("Watches"), choices=RuleEvent.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.order_by("path"),
        required=False,
        help_text=_("Each unit with everything below it; none means the whole company."),
    )
    action = forms.ChoiceField(label=_("Action"), choices=RuleAction.choices)
    priority = forms.ChoiceField(
        label=_("Case priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("The department of the event's interaction type"),
    )
    assignment = forms.ChoiceField(
        label=_("Assign to"),
        choices=Assignment.choices,
        required=False,
        help_text=_(
            "Who of the department's people (agents and unit managers whose units cover "
            "the case's) owns each new case."
        ),
    )
    title = forms.CharField(
        label=_("Case title"),
        max_length=200,
        initial="{rule}: {unit}",
        help_text=_("May use {rule}, {unit} and {customer}."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: Any, rule: AlertRule | None = None, actor: Actor | None = None, **kwargs: Any
    ) -> None:
        if rule is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": rule.name,
                "event": rule.event,
                "units": list(rule.units.all()),
                "action": rule.action,
                "priority": rule.priority,
                "department": rule.department,
                "assignment": rule.assignment,
                "title": rule.title,
                "active": rule.active,
            }
        super().__init__(*args, **kwargs)
        if actor is not None and actor.unit_ids is not None:  # only units one may act in
            units = self.fields["units"]
            units.queryset = units.queryset.filter(pk__in=actor.unit_ids)  # type: ignore[attr-defined]
        existing = rule.conditions if rule is not None else []
        filled = len(existing)
        if self.is_bound:
            filled = sum(1 for i in range(MAX_ROWS) if self.data.get(f"cond_{i}_field"))
        self.row_count = min(MAX_ROWS, max(MIN_ROWS, filled + 1))
        ops = [("", "—"), *((op, label) for op, label in OPS.items())]
        for i in range(self.row_count):
            given = existing[i] if i < len(existing) and not self.is_bound else {}
            self.fields[f"cond_{i}_field"] = forms.CharField(
                label=_("Field"),
                required=False,
                initial=given.get("field", ""),
                widget=forms.TextInput(attrs={"list": "rule-fields"}),
            )
            self.fields[f"cond_{i}_op"] = forms.ChoiceField(
                label=_("Operator"), required=False, choices=ops, initial=given.get("op", "")
            )
            value = given.get("value", "")
            self.fields[f"cond_{i}_value"] = forms.CharField(
                label=_("Value"),
                required=False,
                initial=value_text(value),
            )
            self.fields[f"cond_{i}_days"] = forms.IntegerField(
                label=_("In days"), required=False, min_value=1, initial=given.get("days")
            )

    def rows(self) -> list[list[forms.BoundField]]:
        """The condition rows for the template: field, operator, value, days."""
        parts = ("field", "op", "value", "days")
        return [[self[f"cond_{i}_{p}"] for p in parts] for i in range(self.row_count)]

    def field_suggestions(self) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for event in RuleEvent.values:
            for name, label in field_choices(event):
                seen.setdefault(name, label)
        seen.setdefault("answer:", str(_("Answer to a question: answer:<question key>")))
        return sorted(seen.items())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = []
        for i in range(self.row_count):
            name = (data.get(f"cond_{i}_field") or "").strip()
            if not name:
                continue
            row = {
                "field": name,
                "op": data.get(f"cond_{i}_op"),
                "value": data.get(f"cond_{i}_value"),
            }
            if data.get(f"cond_{i}_days") is not None:
                row["days"] = data[f"cond_{i}_days"]
            raw.append(row)
        if not raw:
            self.add_error(None, _("Add at least one condition."))
        elif data.get("event"):
            data["conditions"], errors = check_conditions(data["event"], raw)
            for error in errors:
                self.add_error(None, error)
        problem = check_title(data.get("title", ""))
        if problem:
            self.add_error("title", problem)
        return data
