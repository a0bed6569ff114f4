"""Schemas of the alert rules API (/api/v1/alert-rules)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from vinculo.cases.choices import Assignment, Priority
from vinculo.cases.models import AlertRule
from vinculo.cases.rule_choices import RuleAction, RuleEvent
from vinculo.cases.rules import plain_value


class RuleIn(Schema):
    name: str = Field(..., min_length=1, max_length=150)
    event: RuleEvent
    conditions: list[dict[str, Any]] = Field(..., min_length=1)
    units: list[str] = Field(default_factory=list, description="Unit codes; none: everywhere.")
    action: RuleAction = RuleAction.CASE
    priority: Priority = Priority.NORMAL
    department: str | None = Field(None, description="A department code; none: the event's.")
    assignment: Assignment = Field(
        Assignment.NONE,
        description="round_robin, least_loaded, or empty: the case waits for the department.",
    )
    title: str = Field("{rule}: {unit}", max_length=200)
    active: bool = True


class RuleOut(Schema):
    id: int
    name: str
    event: str
    conditions: list[dict[str, Any]]
    units: list[str]
    action: str
    priority: str
    department: str | None
    assignment: str
    title: str
    active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_conditions(rule: AlertRule) -> list[dict[str, Any]]:
        return [{**c, "value": plain_value(c["value"])} for c in rule.conditions]

    @staticmethod
    def resolve_units(rule: AlertRule) -> list[str]:
        return [unit.code for unit in rule.units.all()]

    @staticmethod
    def resolve_department(rule: AlertRule) -> str | None:
        return rule.department.code if rule.department else None


class RulePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RuleOut]
