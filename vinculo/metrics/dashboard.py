"""The dashboard as one object: what the page, its PDF and its XLSX export all show, read
once per request from the roll-ups."""

from __future__ import annotations

from dataclasses import dataclass, field

from vinculo.accounts.actors import Actor
from vinculo.metrics import queries
from vinculo.metrics.choices import Breakdown, Dimension
from vinculo.metrics.comments import Comment, comments
from vinculo.metrics.filters import MetricFilter
from vinculo.metrics.league import League, LeagueRow, league
from vinculo.metrics.periods import default_interval
from vinculo.metrics.queries import Row, Tile, TrendPoint
from vinculo.metrics.results import QuestionResult, survey_results

LEAGUE_EDGE = 5  # units shown at each end of the league on the page


@dataclass(frozen=True)
class Dashboard:
    filter: MetricFilter
    tiles: list[Tile]
    interval: str
    trend: list[TrendPoint]
    units: list[Row]  # the scope's direct units
    league: League
    by: str
    breakdown: list[Row]
    comments: list[Comment]
    results: list[QuestionResult] = field(default_factory=list)  # when a survey is chosen

    @property
    def tile(self) -> Tile:
        """The tile of the measure the page is about."""
        return next(t for t in self.tiles if t.metric == self.filter.metric)

    @property
    def top(self) -> list[LeagueRow]:
        return self.league.ranked[:LEAGUE_EDGE]

    @property
    def bottom(self) -> list[LeagueRow]:
        """The last ranked units, worst last; none repeated from the top."""
        ranked = self.league.ranked
        return ranked[max(LEAGUE_EDGE, len(ranked) - LEAGUE_EDGE) :]

    @property
    def unranked(self) -> int:
        return len(self.league.rows) - len(self.league.ranked)


def build(
    actor: Actor,
    f: MetricFilter,
    *,
    interval: str = "",
    by: str = "",
    language: str = "es",
    with_comments: bool = True,
) -> Dashboard:
    interval = interval or default_interval(f.period)
    # By touchpoint unless a filter on another dimension is on: two dimensions at once
    # can only be read from the daily roll-up, which is slow at scale (metrics.md).
    other = f.where.dimensions() - {Dimension.TOUCHPOINT}
    by = by or (Breakdown.SURVEY if other else Breakdown.TOUCHPOINT)
    return Dashboard(
        filter=f,
        tiles=queries.tiles(actor, f),
        interval=interval,
        trend=queries.trend(f, interval),
        units=queries.breakdown(actor, f, Breakdown.UNIT, language),
        league=league(f),
        by=by,
        breakdown=queries.breakdown(actor, f, by, language),
        comments=comments(f) if with_comments else [],
        results=survey_results(f, language),
    )
