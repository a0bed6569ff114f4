"""Schemas of the outer-loop API: root causes and case metrics
(/api/v1/cases-insights/...) and improvement actions (/api/v1/improvements)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from vinculo.cases.choices import ImprovementStatus
from vinculo.cases.insights import CauseRow
from vinculo.cases.insights_filters import GROUPINGS, RawInsightFilter
from vinculo.cases.models import ImprovementAction
from vinculo.lib.apiedge import PageQuery
from vinculo.metrics.schemas import EstimateOut


class InsightQuery(Schema):
    since: date | None = Field(None, description="First day, local time (default: 90 days ago).")
    until: date | None = Field(None, description="Last day, included (default: today).")
    unit: str | None = Field(None, description="Unit code: that unit and everything below it.")
    department: str | None = Field(None, description="Department code.")
    touchpoint: int | None = Field(None, description="Touchpoint id.")
    by: str | None = Field(None, description=f"Root causes alone or by: {', '.join(GROUPINGS)}.")
    depth: int | None = Field(None, description="Unit level of the unit rows (0 = company).")

    def raw(self) -> RawInsightFilter:
        return RawInsightFilter(**self.model_dump())


class ScopeOut(Schema):
    since: date
    until: date
    previous_since: date
    previous_until: date
    unit: str | None
    department: str | None
    touchpoint: int | None
    by: str
    depth: int
    min_sample: int


class CauseRowOut(Schema):
    root_cause: int
    name: str
    parent: str = Field(description="The parent cause in the taxonomy; empty at the top.")
    group_id: int | None = Field(description="The unit or touchpoint id of the row, if grouped.")
    group: str
    n: int = Field(description="Resolved cases in the period.")
    previous_n: int = Field(description="Resolved cases in the period of equal length before.")
    change: int
    share: EstimateOut = Field(description="% of all resolved cases in the period and filters.")
    time_to_close: EstimateOut = Field(description="Median hours from opening to resolution.")
    reopen_rate: EstimateOut = Field(description="% of the row's cases reopened at least once.")

    @staticmethod
    def resolve_root_cause(row: CauseRow) -> int:
        return row.cause_id

    @staticmethod
    def resolve_name(row: CauseRow) -> str:
        return row.cause


class CausesOut(Schema):
    scope: ScopeOut
    total: int
    previous_total: int
    rows: list[CauseRowOut]


class MetricsRowOut(Schema):
    key: str
    label: str
    opened: int = Field(description="Cases opened in the period.")
    resolved: int
    first_response: EstimateOut = Field(
        description="Median hours to the first response; n is the cases opened, those not "
        "answered yet counting as slower than every answered one."
    )
    first_response_open: bool = Field(
        description="The median is withheld: too many cases still wait for a first response."
    )
    first_response_sla: EstimateOut = Field(description="% first responses by the due time.")
    time_to_resolve: EstimateOut = Field(
        description="Median hours from opening to resolution; n is the cases opened, those "
        "still open counting as slower than every resolved one."
    )
    time_to_resolve_open: bool = Field(
        description="The median is withheld: too many cases are still open."
    )
    resolution_sla: EstimateOut = Field(description="% resolved by the due time.")
    first_contact_resolution: EstimateOut = Field(
        description="% of the resolved cases never reopened, with at most one contact logged."
    )
    resolved_without_contact: int = Field(
        description="Resolved cases with no contact logged (counted as first-contact resolved)."
    )
    follow_up_nps: EstimateOut
    follow_up_solved: EstimateOut


class MetricsOut(Schema):
    scope: ScopeOut
    total: MetricsRowOut
    departments: list[MetricsRowOut]
    units: list[MetricsRowOut]


class ImprovementIn(Schema):
    root_cause: int = Field(description="A root cause id (GET /cases/root-causes).")
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    owner: str = Field(..., min_length=1, description="Username of a person who sees cases.")
    unit: str | None = Field(None, description="Unit code; none: the whole company.")
    due_on: date | None = None


class ImprovementPatch(Schema):
    status: ImprovementStatus | None = None
    outcome: str | None = None
    owner: str | None = Field(None, description="Username of the new owner.")
    due_on: date | None = None


class ImprovementQuery(PageQuery):
    status: ImprovementStatus | None = None
    owner: str | None = Field(
        None, description="Username of the owner; one who owns nothing gives an empty list."
    )


class ImprovementOut(Schema):
    id: int
    root_cause: int
    root_cause_path: str
    title: str
    description: str
    owner: str
    unit: str | None
    status: str
    due_on: date | None
    outcome: str
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None

    @staticmethod
    def resolve_root_cause(action: ImprovementAction) -> int:
        return action.root_cause_id

    @staticmethod
    def resolve_root_cause_path(action: ImprovementAction) -> str:
        cause = action.root_cause
        return f"{cause.parent.name} > {cause.name}" if cause.parent else cause.name

    @staticmethod
    def resolve_owner(action: ImprovementAction) -> str:
        return action.owner.get_username()

    @staticmethod
    def resolve_unit(action: ImprovementAction) -> str | None:
        return action.unit.code if action.unit else None


class ImprovementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ImprovementOut]
