"""The league of units: the units at the bottom of a scope's tree, ranked by an
empirical-Bayes estimate (``stats.shrink``), so that few answers cannot top or bottom it
by luck."""

from __future__ import annotations

from dataclasses import dataclass, field

from vinculo.accounts.models import Unit
from vinculo.metrics.figures import Figure, figure, score_sums
from vinculo.metrics.filters import MetricFilter
from vinculo.metrics.queries import measure_questions
from vinculo.metrics.reading import Group, read
from vinculo.metrics.stats import Counts, shrink


@dataclass(frozen=True, slots=True)
class UnitRef:
    """What a league row tells of its unit."""

    pk: int
    name: str
    code: str


@dataclass(frozen=True)
class LeagueRow:
    unit: UnitRef
    figure: Figure
    shrunk: float | None  # the estimate ranked on, pulled towards the grand mean
    rank: int | None  # None: too few answers to be ranked
    counts: Counts = field(repr=False, default_factory=Counts)


@dataclass(frozen=True)
class League:
    rows: list[LeagueRow]
    grand_mean: float
    between_variance: float  # 0: the units differ no more than chance explains

    @property
    def undistinguished(self) -> bool:
        """True when the model finds no difference between units beyond chance: every
        unit gets the same estimate and the same rank."""
        return len(self.ranked) > 1 and self.between_variance == 0

    @property
    def ranked(self) -> list[LeagueRow]:
        return [r for r in self.rows if r.rank is not None]


def league(f: MetricFilter, *, details: bool = False) -> League:
    """The units at the bottom of the scope's tree (stores, branches, teams), ranked by an
    empirical-Bayes estimate, so that a unit with few answers does not top or bottom
    the table by luck. Units below the minimum sample are listed last, unranked."""
    # A thousand stores: plain values, not model instances, for what a row shows.
    leaves = [
        UnitRef(*values)
        for values in Unit.objects.filter(path__startswith=f.unit.path)
        .exclude(children__isnull=False)
        .order_by("name")
        .values_list("pk", "name", "code")
    ]
    found = read(
        questions=list(measure_questions(f)),
        units=leaves,
        period=f.period,
        where=f.where,
        group=Group(unit=True),
    )
    answered = [u for u in leaves if (u.pk,) in found]
    counts = [found[(u.pk,)] for u in answered]
    model = shrink([score_sums(f.kind, c) for c in counts])
    min_n = f.min_sample
    scored = [
        (unit, figure(f.kind, c, min_n, details=details), estimate, c)
        for unit, c, estimate in zip(answered, counts, model.values, strict=True)
    ]
    eligible = sorted(
        (s for s in scored if not s[1].suppressed),
        key=lambda s: (-round(s[2] or 0.0, 6), s[0].name),
    )
    # Competition ranking: units the model cannot tell apart share a rank (1, 1, 3...).
    rows: list[LeagueRow] = []
    for place, (unit, fig, estimate, c) in enumerate(eligible, 1):
        tied = rows and rows[-1].shrunk is not None and estimate is not None
        same = tied and round(rows[-1].shrunk or 0.0, 6) == round(estimate or 0.0, 6)
        rank = rows[-1].rank if same and rows[-1].rank is not None else place
        rows.append(LeagueRow(unit, fig, estimate, rank, c))
    rows += [LeagueRow(u, fig, None, None, c) for u, fig, _est, c in scored if fig.suppressed]
    return League(rows, model.grand_mean, model.between_variance)
