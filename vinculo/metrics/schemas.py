"""Schemas of the metrics API: the filters every call takes, and the figures it returns
(each with n, its 95% interval, and ``suppressed`` when below the minimum sample)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ninja import Field, Schema

from vinculo.metrics.choices import Breakdown, Interval, Metric
from vinculo.metrics.figures import Figure
from vinculo.metrics.filters import RawFilter
from vinculo.metrics.periods import PRESETS
from vinculo.metrics.stats import Difference, Estimate

PeriodCode = Literal["30d", "90d", "12m", "mtd", "qtd", "ytd", "24m", "custom"]
assert set(PeriodCode.__args__) == {*PRESETS, "custom"}  # type: ignore[attr-defined]


class MetricQuery(Schema):
    metric: Metric = Field(Metric.NPS, description="The measure: nps, csat, ces or enps.")
    unit: str | None = Field(
        None, description="Unit code: that unit's whole subtree (default: your top unit)."
    )
    period: PeriodCode | None = Field(
        None, description="A named period ending today (default 90d), or custom with since/until."
    )
    since: date | None = Field(None, description="First day (custom period), local time.")
    until: date | None = Field(None, description="Last day (custom period), included.")
    survey: int | None = Field(None, description="Only this survey's questions.")
    question: str | None = Field(None, max_length=40, description="Only questions with this key.")
    touchpoint: int | None = Field(None, description="Touchpoint id.")
    interaction_type: str | None = Field(None, description="Interaction type code.")
    stage: str | None = Field(None, description="Journey stage code.")
    channel: str | None = Field(None, description="Channel code the answers came through.")
    segment: str | None = Field(None, max_length=60, description="Customer segment.")
    lifecycle: str | None = Field(None, description="Customer lifecycle stage when answering.")

    def raw(self) -> RawFilter:
        return RawFilter(
            metric=self.metric,
            unit=self.unit,
            period=self.period,
            since=self.since,
            until=self.until,
            survey=self.survey,
            question=self.question,
            touchpoint=self.touchpoint,
            interaction_type=self.interaction_type,
            stage=self.stage,
            channel=self.channel,
            segment=self.segment,
            lifecycle=self.lifecycle,
        )


class TrendQuery(MetricQuery):
    interval: Interval | None = Field(None, description="Bucket; default depends on the period.")


class BreakdownQuery(MetricQuery):
    by: Breakdown = Field(description="What to break the measure down by.")


class DistributionQuery(MetricQuery):
    key: str = Field(max_length=40, description="The choice or matrix question's key.")


class EstimateOut(Schema):
    value: float | None = Field(description="None when there are no answers or too few.")
    low: float | None = Field(description="95% confidence interval, lower end.")
    high: float | None
    n: int = Field(description="Answers behind the figure.")
    suppressed: bool = Field(description="True below the minimum sample: value not shown.")


class DifferenceOut(Schema):
    value: float
    low: float
    high: float
    significant: bool = Field(description="The 95% interval of the difference excludes 0.")


class FigureOut(Schema):
    kind: str = Field(description="The question kind whose scale the figure uses.")
    headline: EstimateOut
    details: dict[str, EstimateOut]


class PeriodOut(Schema):
    since: date
    until: date
    preset: str


class ScopeOut(Schema):
    unit: str
    unit_name: str
    metric: Metric
    period: PeriodOut
    min_sample: int


class ParentOut(Schema):
    unit: str
    unit_name: str
    figure: FigureOut
    versus: DifferenceOut | None = Field(description="This unit minus the rest of the parent.")


class TileOut(Schema):
    metric: Metric
    figure: FigureOut
    previous: FigureOut = Field(description="The same measure over the period just before.")
    change: DifferenceOut | None
    parent: ParentOut | None = Field(description="Only when you may see the parent unit.")


class SummaryOut(Schema):
    scope: ScopeOut
    tiles: list[TileOut]


class TrendPointOut(Schema):
    start: date
    figure: FigureOut


class TrendOut(Schema):
    scope: ScopeOut
    interval: Interval
    points: list[TrendPointOut]


class RowOut(Schema):
    key: str
    label: str
    figure: FigureOut
    versus_rest: DifferenceOut | None = Field(description="This group minus the rest.")


class BreakdownOut(Schema):
    scope: ScopeOut
    by: Breakdown
    rows: list[RowOut]


class LeagueRowOut(Schema):
    rank: int | None = Field(description="None: below the minimum sample, not ranked.")
    unit: str
    unit_name: str
    figure: FigureOut
    shrunk: float | None = Field(description="Empirical-Bayes estimate the ranking uses.")


class LeagueOut(Schema):
    scope: ScopeOut
    grand_mean: float
    between_variance: float
    rows: list[LeagueRowOut]


class OptionOut(Schema):
    code: str
    label: str
    figure: FigureOut


class DistributionOut(Schema):
    scope: ScopeOut
    key: str
    options: list[OptionOut]


def estimate_out(e: Estimate) -> dict[str, Any]:
    return {"value": e.value, "low": e.low, "high": e.high, "n": e.n, "suppressed": e.suppressed}


def figure_out(f: Figure) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "headline": estimate_out(f.headline),
        "details": {name: estimate_out(e) for name, e in f.details.items()},
    }


def difference_out(d: Difference | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"value": d.value, "low": d.low, "high": d.high, "significant": d.significant}
