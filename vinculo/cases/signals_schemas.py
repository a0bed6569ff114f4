"""Schemas of the sales signals API (/api/v1/sales-signals)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from vinculo.cases.models import SalesSignalRule
from vinculo.cases.rules import plain_value
from vinculo.cases.signals_services import MAX_HOLDOUT, MAX_WINDOW_DAYS


class SignalRuleIn(Schema):
    name: str = Field(..., min_length=1, max_length=150)
    segment: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Conditions on value_tier, lifecycle_stage or segment; none: everyone.",
    )
    units: list[str] = Field(default_factory=list, description="Unit codes; none: everywhere.")
    source_department: str = Field(..., description="The department contacted (a code).")
    target_department: str = Field(..., description="The department told (a code).")
    window_days: int = Field(30, ge=1, le=MAX_WINDOW_DAYS)
    holdout_percent: int = Field(10, ge=0, le=MAX_HOLDOUT)
    active: bool = True


class SignalRuleOut(Schema):
    id: int
    name: str
    segment: list[dict[str, Any]]
    units: list[str]
    source_department: str
    target_department: str
    window_days: int
    holdout_percent: int
    active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_segment(rule: SalesSignalRule) -> list[dict[str, Any]]:
        return [{**c, "value": plain_value(c["value"])} for c in rule.segment]

    @staticmethod
    def resolve_units(rule: SalesSignalRule) -> list[str]:
        return [unit.code for unit in rule.units.all()]

    @staticmethod
    def resolve_source_department(rule: SalesSignalRule) -> str:
        return rule.source_department.code

    @staticmethod
    def resolve_target_department(rule: SalesSignalRule) -> str:
        return rule.target_department.code


class SignalRulePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SignalRuleOut]


class SignalOut(Schema):
    id: int
    rule: int = Field(..., alias="rule_id")
    customer: int = Field(..., alias="customer_id")
    customer_name: str = Field(..., alias="customer.name")
    unit: str = Field(..., alias="unit.code")
    interaction: int = Field(..., alias="interaction_id")
    contact_type: str = Field(..., alias="interaction.touchpoint.interaction_type.code")
    held_out: bool
    created_at: datetime
    sale: int | None = Field(None, alias="sale_id")
    sale_at: datetime | None = None


class SignalPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SignalOut]


class RateOut(Schema):
    n: int
    sales: int | None = Field(None, description="Null when suppressed, with the rate.")
    rate: float | None = Field(None, description="Conversion %; null when below the minimum.")
    low: float | None = None
    high: float | None = None
    suppressed: bool


class DifferenceOut(Schema):
    value: float
    low: float
    high: float
    significant: bool


class ReportOut(Schema):
    rule: int
    notified: RateOut
    held_out: RateOut
    difference: DifferenceOut | None = Field(
        None, description="Notified minus held out, percentage points; null when suppressed."
    )
    min_sample: int
    waiting: int = Field(..., description="Signals still in their window, not counted yet.")
