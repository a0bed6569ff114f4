"""Writing alert rules: create or change one, switch it on or off. The page and the API
call these; they check the conditions first (``rules.check_conditions``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department, Unit
from vinculo.cases.choices import Assignment, Priority
from vinculo.cases.models import AlertRule
from vinculo.cases.rule_choices import RuleAction


@dataclass(frozen=True)
class RuleData:
    name: str
    event: str
    conditions: list[dict[str, Any]]
    units: Sequence[Unit] = field(default_factory=list)
    action: str = RuleAction.CASE
    priority: str = Priority.NORMAL
    department: Department | None = None
    assignment: str = Assignment.NONE
    title: str = "{rule}: {unit}"
    active: bool = True


@transaction.atomic
def save_rule(*, actor: Actor, data: RuleData, rule: AlertRule | None = None) -> AlertRule:
    """Creates the rule, or changes ``rule``. Changing which events a rule watches does
    not make it read events before its creation."""
    rule = rule or AlertRule()
    rule.name = data.name.strip()
    rule.event = data.event
    rule.conditions = data.conditions
    rule.action = data.action
    rule.priority = data.priority
    rule.department = data.department
    rule.assignment = data.assignment
    rule.title = data.title.strip() or "{rule}: {unit}"
    rule.active = data.active
    rule.save()
    rule.units.set(data.units)
    return rule


@transaction.atomic
def set_active(*, actor: Actor, rule: AlertRule, active: bool) -> AlertRule:
    if rule.active != active:
        rule.active = active
        rule.save(update_fields=["active", "updated_at"])
    return rule


@transaction.atomic
def delete_rule(*, actor: Actor, rule: AlertRule) -> None:
    """Deletes the rule and its matches; the cases it opened and its notifications stay."""
    rule.delete()
