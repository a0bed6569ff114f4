"""Writing sales signal rules: create or change one, switch it on or off, delete it. The
page and the API call these after checking the segment (``check_segment``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department, Unit
from vinculo.cases.models import SalesSignalRule
from vinculo.cases.rule_choices import RuleEvent
from vinculo.cases.rules import check_conditions
from vinculo.cases.signals import SEGMENT_FIELDS

MAX_WINDOW_DAYS = 365
MAX_HOLDOUT = 50
FROZEN = ("window_days", "holdout_percent")  # fixed once a rule has signals


def check_segment(conditions: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The segment's conditions, cleaned, and the problems found, each naming its
    condition; only the customer's value tier, lifecycle stage and segment may be used."""
    return check_conditions(RuleEvent.INTERACTION, conditions, only=SEGMENT_FIELDS)


def frozen_changes(rule: SalesSignalRule, **changes: int) -> dict[str, str]:
    """The changes to ``window_days`` or ``holdout_percent`` refused, by field, with why.
    Once a rule has signals, a new holdout would move customers between the groups and a
    new window would count sales over unequal spans: the uplift would be biased."""
    changed = [name for name in FROZEN if name in changes and changes[name] != getattr(rule, name)]
    if not changed or not rule.signals.exists():
        return {}
    message = _(
        "This rule has signals already: changing this would bias its uplift. Make a new "
        "rule instead."
    )
    return {name: message for name in changed}


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
    was created. Its window and holdout are fixed once it has signals: check
    ``frozen_changes`` first."""
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
