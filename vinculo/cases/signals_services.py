"""Writing sales signal rules: create or change one, switch it on or off, delete it. The
page and the API call these after checking the segment (``check_segment``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department, Unit
from vinculo.cases.models import SalesSignalRule
from vinculo.cases.rule_choices import RuleEvent
from vinculo.cases.rules import check_conditions
from vinculo.cases.signals import SEGMENT_FIELDS

MAX_WINDOW_DAYS = 365
MAX_HOLDOUT = 50


def check_segment(conditions: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The segment's conditions, cleaned, and the problems found, each naming its
    condition; only the customer's value tier, lifecycle stage and segment may be used."""
    return check_conditions(RuleEvent.INTERACTION, conditions, only=SEGMENT_FIELDS)


@dataclass(frozen=True)
class SignalRuleData:
    name: str
    source_department: Department
    target_department: Department
    segment: list[dict[str, Any]] = field(default_factory=list)
    units: Sequence[Unit] = field(default_factory=list)
    window_days: int = 30
    holdout_percent: int = 10
    active: bool = True


@transaction.atomic
def save_signal_rule(
    *, actor: Actor, data: SignalRuleData, rule: SalesSignalRule | None = None
) -> SalesSignalRule:
    """Creates the rule, or changes ``rule``. A rule reads the contacts recorded after it
    was created; changing its holdout changes the group of later signals only."""
    rule = rule or SalesSignalRule()
    rule.name = data.name.strip()
    rule.source_department = data.source_department
    rule.target_department = data.target_department
    rule.segment = data.segment
    rule.window_days = data.window_days
    rule.holdout_percent = data.holdout_percent
    rule.active = data.active
    rule.save()
    rule.units.set(data.units)
    return rule


@transaction.atomic
def delete_signal_rule(*, actor: Actor, rule: SalesSignalRule) -> None:
    """Deletes the rule with its signals; their notifications stay, without the link."""
    rule.delete()
