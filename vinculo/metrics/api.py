"""The metrics API (/api/v1/metrics): the dashboard's figures with the same filters, each
with its n, 95% interval and suppression. ``metrics.view`` reads; a unit-limited key or
person reads their subtree only, and naming another unit is a 422 on ``unit``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router

from vinculo.accounts.actors import Actor
from vinculo.accounts.permissions import Perm
from vinculo.lib.apiedge import ErrorOut, ValidationErrorOut, invalid, require
from vinculo.metrics import queries, results
from vinculo.metrics.filters import FilterError, MetricFilter, resolve
from vinculo.metrics.league import league as league_of
from vinculo.metrics.periods import default_interval
from vinculo.metrics.schemas import (
    BreakdownOut,
    BreakdownQuery,
    DistributionOut,
    DistributionQuery,
    LeagueOut,
    MetricQuery,
    SummaryOut,
    TrendOut,
    TrendQuery,
    difference_out,
    figure_out,
)

router = Router(tags=["metrics"])
ERRORS = {403: ErrorOut, 422: ValidationErrorOut}


def _checked(request: HttpRequest, params: MetricQuery) -> tuple[Actor, MetricFilter]:
    actor = require(request, Perm.VIEW_METRICS)
    try:
        return actor, resolve(actor, params.raw())
    except FilterError as error:
        raise invalid(("query", error.field), "invalid_filter", error.message) from None


def _scope(f: MetricFilter) -> dict[str, Any]:
    return {
        "unit": f.unit.code,
        "unit_name": f.unit.name,
        "metric": f.metric,
        "period": {"since": f.period.since, "until": f.period.until, "preset": f.preset},
        "min_sample": f.min_sample,
    }


@router.get("/summary", response={200: SummaryOut, **ERRORS}, url_name="metrics_summary")
def summary(request: HttpRequest, params: Query[MetricQuery]) -> dict[str, Any]:
    """NPS, CSAT and CES (and eNPS when ``metric=enps``) over the period, each against the
    period just before and, if you may see it, against the rest of the parent unit."""
    actor, f = _checked(request, params)
    tiles = []
    for t in queries.tiles(actor, f):
        parent = None
        if t.parent is not None and t.parent_figure is not None:
            parent = {
                "unit": t.parent.code,
                "unit_name": t.parent.name,
                "figure": figure_out(t.parent_figure),
                "versus": difference_out(t.versus_parent),
            }
        tiles.append(
            {
                "metric": t.metric,
                "figure": figure_out(t.figure),
                "previous": figure_out(t.previous),
                "change": difference_out(t.change),
                "parent": parent,
            }
        )
    return {"scope": _scope(f), "tiles": tiles}


@router.get("/trend", response={200: TrendOut, **ERRORS}, url_name="metrics_trend")
def trend(request: HttpRequest, params: Query[TrendQuery]) -> dict[str, Any]:
    """The measure per day, week, month or quarter of the period, with its band."""
    _actor, f = _checked(request, params)
    interval = params.interval or default_interval(f.period)
    points = [
        {"start": p.start, "figure": figure_out(p.figure)}
        for p in queries.trend(f, interval, details=True)
    ]
    return {"scope": _scope(f), "interval": interval, "points": points}


@router.get("/breakdown", response={200: BreakdownOut, **ERRORS}, url_name="metrics_breakdown")
def breakdown(request: HttpRequest, params: Query[BreakdownQuery]) -> dict[str, Any]:
    """The measure by unit (the scope's direct units), touchpoint, channel, interaction
    type, journey stage, segment, lifecycle stage, survey or question."""
    actor, f = _checked(request, params)
    rows = queries.breakdown(actor, f, params.by, get_language() or "es", details=True)
    return {
        "scope": _scope(f),
        "by": params.by,
        "rows": [
            {
                "key": r.key,
                "label": r.label,
                "figure": figure_out(r.figure),
                "versus_rest": difference_out(r.versus_rest),
            }
            for r in rows
        ],
    }


@router.get("/league", response={200: LeagueOut, **ERRORS}, url_name="metrics_league")
def league(request: HttpRequest, params: Query[MetricQuery]) -> dict[str, Any]:
    """Stores, branches and teams of the scope ranked by a shrunken estimate (so a unit
    with few answers does not top or bottom the table by luck)."""
    _actor, f = _checked(request, params)
    table = league_of(f, details=True)
    return {
        "scope": _scope(f),
        "grand_mean": table.grand_mean,
        "between_variance": table.between_variance,
        "rows": [
            {
                "rank": r.rank,
                "unit": r.unit.code,
                "unit_name": r.unit.name,
                "figure": figure_out(r.figure),
                "shrunk": r.shrunk,
            }
            for r in table.rows
        ],
    }


@router.get(
    "/distribution", response={200: DistributionOut, **ERRORS}, url_name="metrics_distribution"
)
def distribution(request: HttpRequest, params: Query[DistributionQuery]) -> dict[str, Any]:
    """Each option's share of the people who answered a choice question (``key``), or the
    mean of each statement of a matrix."""
    _actor, f = _checked(request, params)
    options = results.distribution(f, params.key, get_language() or "es")
    return {
        "scope": _scope(f),
        "key": params.key,
        "options": [
            {"code": o.code, "label": o.label, "figure": figure_out(o.figure)} for o in options
        ],
    }
