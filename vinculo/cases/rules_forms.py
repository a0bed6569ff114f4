"""The alert rule form: the rule's settings and its conditions as rows of field, operator,
value (and days, for repeats), which people fill in without writing JSON. The rows and
the units one may choose are shared with the sales signal rule form (``ConditionRows``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department, Unit
from vinculo.cases.choices import Assignment, Priority
from vinculo.cases.models import AlertRule
from vinculo.cases.rule_choices import RuleAction, RuleEvent
from vinculo.cases.rules import OPS, check_conditions, check_title, field_choices, value_text
from vinculo.cases.rules_scope import units_problem

MIN_ROWS = 4
MAX_ROWS = 12


class ConditionRows(forms.Form):
    """A rule form's conditions as rows of fields ``cond_<i>_<part>`` and its units
    limited to the actor's scope. A subclass says which fields a row has
    (``row_fields``); rows come prefilled from the rule's conditions when unbound."""

    row_parts: tuple[str, ...] = ("field", "op", "value")
    min_rows = MIN_ROWS
    max_rows = MAX_ROWS

    def setup(self, existing: Sequence[Mapping[str, Any]], actor: Actor | None) -> None:
        self.actor = actor
        if actor is not None and actor.unit_ids is not None:  # only units one may act in
            units = self.fields["units"]
            units.queryset = units.queryset.filter(pk__in=actor.unit_ids)  # type: ignore[attr-defined]
        if self.is_bound:
            existing = []
            # The last row posted, not the count of filled ones: a row left empty in the
            # middle must not drop the rows after it.
            filled = 1 + max(
                (i for i in range(self.max_rows) if f"cond_{i}_field" in self.data), default=-1
            )
            self.row_count = min(self.max_rows, max(self.min_rows, filled))
        else:
            self.row_count = min(self.max_rows, max(self.min_rows, len(existing) + 1))
        for i in range(self.row_count):
            given = existing[i] if i < len(existing) else {}
            for part, field in self.row_fields(given).items():
                self.fields[f"cond_{i}_{part}"] = field

    def row_fields(self, given: Mapping[str, Any]) -> dict[str, forms.Field]:
        raise NotImplementedError

    def rows(self) -> list[list[forms.BoundField]]:
        """The condition rows for the template, one list of cells per row."""
        return [[self[f"cond_{i}_{p}"] for p in self.row_parts] for i in range(self.row_count)]

    def raw_conditions(self, data: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The rows with a field, as conditions to check (``rules.check_conditions``)."""
        raw = []
        for i in range(self.row_count):
            name = str(data.get(f"cond_{i}_field") or "").strip()
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
        return raw

    def clean_units(self) -> Any:
        units = self.cleaned_data.get("units")
        if self.actor is not None and (problem := units_problem(self.actor, list(units or []))):
            raise forms.ValidationError(problem)
        return units


class RuleForm(ConditionRows):
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
            "Who of the department's agents whose units cover the case's owns each new "
            "case (its unit managers when it has no such agent)."
        ),
    )
    title = forms.CharField(
        label=_("Case title"),
        max_length=200,
        initial="{rule}: {unit}",
        help_text=_("May use {rule}, {unit} and {customer}."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    row_parts = ("field", "op", "value", "days")

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        rule: AlertRule | None = None,
        actor: Actor | None = None,
        **kwargs: Any,
    ) -> None:
        if rule is not None and data is None:
            kwargs.setdefault(
                "initial",
                {
                    "name": rule.name,
                    "event": rule.event,
                    "units": list(rule.units.all()),
                    "action": rule.action,
                    "priority": rule.priority,
                    "department": rule.department,
                    "assignment": rule.assignment,
                    "title": rule.title,
                    "active": rule.active,
                },
            )
        super().__init__(data, **kwargs)
        self.ops = [("", "—"), *((op, label) for op, label in OPS.items())]
        self.setup(rule.conditions if rule is not None else [], actor)

    def row_fields(self, given: Mapping[str, Any]) -> dict[str, forms.Field]:
        return {
            "field": forms.CharField(
                label=_("Field"),
                required=False,
                initial=given.get("field", ""),
                widget=forms.TextInput(attrs={"list": "rule-fields"}),
            ),
            "op": forms.ChoiceField(
                label=_("Operator"), required=False, choices=self.ops, initial=given.get("op", "")
            ),
            "value": forms.CharField(
                label=_("Value"), required=False, initial=value_text(given.get("value", ""))
            ),
            "days": forms.IntegerField(
                label=_("In days"), required=False, min_value=1, initial=given.get("days")
            ),
        }

    def field_suggestions(self) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for event in RuleEvent.values:
            for name, label in field_choices(event):
                seen.setdefault(name, label)
        seen.setdefault("answer:", str(_("Answer to a question: answer:<question key>")))
        return sorted(seen.items())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = self.raw_conditions(data)
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
