"""From counts to the figures people read: each measure's headline estimate, the details
shown beside it, the test of a difference, and the score league tables rank by.

| kind          | headline                          | details                              |
|---------------|-----------------------------------|--------------------------------------|
| NPS, eNPS     | NPS (-100..100)                   | % promoters, passives, detractors    |
| CSAT          | % satisfied (4-5, top-2-box)      | mean (1-5), % dissatisfied (1-2)     |
| CES           | mean effort score (1-7, 7 = easy) | % easy (5-7), % difficult (1-3)      |
| rating        | mean                              | % top-2-box                          |
| yes / no      | % yes                             |                                      |
| matrix row    | mean position on its scale        | % top box                            |
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vinculo.metrics import stats
from vinculo.metrics.stats import Counts, Difference, Estimate
from vinculo.surveys.choices import QuestionKind as K

NPS_KINDS = (K.NPS, K.ENPS)
SHARE_KINDS = (K.CSAT, K.YES_NO)  # headline is a percentage


@dataclass(frozen=True)
class Figure:
    kind: str
    headline: Estimate
    details: dict[str, Estimate] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.headline.n

    @property
    def suppressed(self) -> bool:
        return self.headline.suppressed


def figure(kind: str, counts: Counts, min_n: int, *, details: bool = True) -> Figure:
    """The figure of a measure of this question kind; suppressed below ``min_n`` answers.
    ``details=False`` leaves out the details (tables and charts show only the headline)."""
    headline = _headline(kind, counts).suppress_below(min_n)
    if not details:
        return Figure(kind, headline)
    return Figure(
        kind,
        headline,
        {name: e.suppress_below(min_n) for name, e in _details(kind, counts).items()},
    )


def _headline(kind: str, counts: Counts) -> Estimate:
    if kind in NPS_KINDS:
        return stats.nps(counts)
    if kind in SHARE_KINDS:
        return stats.proportion(counts.top, counts.n)
    return stats.mean(counts)


def _details(kind: str, counts: Counts) -> dict[str, Estimate]:
    n = counts.n
    if kind in NPS_KINDS:
        return {
            "promoters": stats.proportion(counts.top, n),
            "passives": stats.proportion(n - counts.top - counts.bottom, n),
            "detractors": stats.proportion(counts.bottom, n),
        }
    if kind == K.CSAT:
        return {"mean": stats.mean(counts), "dissatisfied": stats.proportion(counts.bottom, n)}
    if kind == K.CES:
        return {
            "easy": stats.proportion(counts.top, n),
            "difficult": stats.proportion(counts.bottom, n),
        }
    if kind == K.YES_NO:
        return {}
    return {"top_box": stats.proportion(counts.top, n)}


def difference(kind: str, a: Counts, b: Counts, min_n: int) -> Difference | None:
    """``a - b`` in the headline's units for independent samples; None when either side
    has fewer than ``min_n`` answers (or, for means, fewer than two)."""
    if a.n < max(min_n, 2) or b.n < max(min_n, 2):
        return None
    if kind in NPS_KINDS:
        return stats.nps_difference(a, b)
    if kind in SHARE_KINDS:
        return stats.proportion_difference(a.top, a.n, b.top, b.n)
    return stats.mean_difference(a, b)


def score_sums(kind: str, counts: Counts) -> tuple[int, float, float]:
    """``(n, sum, sum of squares)`` of the per-answer score whose mean is the headline:
    +100/0/-100 for NPS, 100/0 for a share, the value itself for a mean."""
    if kind in NPS_KINDS:
        return counts.n, 100.0 * (counts.top - counts.bottom), 1e4 * (counts.top + counts.bottom)
    if kind in SHARE_KINDS:
        return counts.n, 100.0 * counts.top, 1e4 * counts.top
    return counts.n, float(counts.total), float(counts.total_sq)
