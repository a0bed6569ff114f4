"""The statistics of the case figures that ``metrics.stats`` lacks: a median with its
distribution-free 95% interval.

``metrics.stats`` estimates from counts (every CX measure is a sum); a median needs the
values themselves, so it lives here. The interval is the classic one from order
statistics (e.g. Conover, *Practical Nonparametric Statistics*, §3.2): the number of
values below the true median is Binomial(n, 1/2), so for the largest ``k`` with
``P(B <= k - 1) <= alpha/2`` the interval ``[x(k), x(n - k + 1)]`` of the sorted values
covers the median with probability at least ``1 - 2 P(B <= k - 1)`` >= 95%, whatever the
distribution. Below six values no such ``k`` exists (1/2^5 = 3.1% > 2.5%): the median
has no interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats as sps

from vinculo.metrics.stats import CONFIDENCE, Counts, Estimate, nps, proportion

ALPHA = 1 - CONFIDENCE
# The smallest n whose median has a 95% order-statistic interval (see above).
MEDIAN_MIN_N = 6


@dataclass(frozen=True)
class MedianInterval:
    """Ranks (1-based) of the sorted values that bound the median, and the exact coverage."""

    lower_rank: int
    upper_rank: int
    coverage: float


def median_ranks(n: int, alpha: float = ALPHA) -> MedianInterval | None:
    """The order statistics bounding the median of ``n`` values; None when ``n`` is too
    small for any pair to reach the confidence asked for."""
    if n <= 0:
        return None
    k = int(sps.binom.ppf(alpha / 2, n, 0.5))
    # ppf gives the smallest k with P(B <= k) >= alpha/2; we need P(B <= k - 1) <= alpha/2.
    while k >= 1 and sps.binom.cdf(k - 1, n, 0.5) > alpha / 2:
        k -= 1
    while sps.binom.cdf(k, n, 0.5) <= alpha / 2:
        k += 1
    if k < 1:
        return None
    coverage = 1 - 2 * float(sps.binom.cdf(k - 1, n, 0.5))
    return MedianInterval(k, n - k + 1, coverage)


def median(values: Sequence[float]) -> Estimate:
    """The sample median (the mean of the two middle values when n is even) with its
    distribution-free 95% interval (none below six values)."""
    n = len(values)
    if n == 0:
        return Estimate(None, None, None, 0)
    ordered = sorted(values)
    middle = n // 2
    value = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    ranks = median_ranks(n)
    if ranks is None:
        return Estimate(value, None, None, n)
    return Estimate(value, ordered[ranks.lower_rank - 1], ordered[ranks.upper_rank - 1], n)


def share(successes: int, n: int, min_sample: int) -> Estimate:
    """A percentage with its Wilson interval, suppressed below the minimum sample."""
    return proportion(successes, n).suppress_below(min_sample)


def net_promoter(scores: Sequence[int], min_sample: int) -> Estimate:
    """NPS of 0-10 scores (promoters 9-10 minus detractors 0-6), the project's interval,
    suppressed below the minimum sample."""
    counts = Counts(
        n=len(scores),
        total=sum(scores),
        total_sq=sum(s * s for s in scores),
        top=sum(1 for s in scores if s >= 9),
        bottom=sum(1 for s in scores if s <= 6),
    )
    return nps(counts).suppress_below(min_sample)


def median_of(values: Sequence[float], min_sample: int) -> Estimate:
    """The median with its interval, suppressed below the minimum sample and, whatever
    the policy says, below ``MEDIAN_MIN_N``: a median is never shown without its interval."""
    return median(values).suppress_below(max(min_sample, MEDIAN_MIN_N))


@dataclass(frozen=True)
class CohortMedian:
    """The median duration of a cohort some of which has not finished yet."""

    estimate: Estimate
    too_many_open: bool  # held back because unfinished cases decide it


def cohort_median(finished: Sequence[float], unfinished: int, min_sample: int) -> CohortMedian:
    """The median duration of a cohort (``finished`` durations plus ``unfinished`` cases
    still running), n being the whole cohort.

    Unfinished cases count as slower than every finished one, so the figure can err high
    (a case still open may yet close fast) but never low, as a median of the finished
    cases alone would for a recent period. When an unfinished case falls on the median or
    on its interval's upper bound, the figure is not known: it is withheld with
    ``too_many_open``. Below ``max(min_sample, MEDIAN_MIN_N)`` it is suppressed as usual.
    """
    n = len(finished) + unfinished
    if n == 0:
        return CohortMedian(Estimate(None, None, None, 0), False)
    if n < max(min_sample, MEDIAN_MIN_N):
        return CohortMedian(Estimate(None, None, None, n, suppressed=True), False)
    ordered = sorted(finished)
    ranks = median_ranks(n)
    assert ranks is not None  # n >= MEDIAN_MIN_N
    middle_high = n // 2 + 1  # the rank of the upper middle value (of the two when n is even)
    if max(ranks.upper_rank, middle_high) > len(ordered):
        return CohortMedian(Estimate(None, None, None, n, suppressed=True), True)
    middle = n // 2
    value = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    low, high = ordered[ranks.lower_rank - 1], ordered[ranks.upper_rank - 1]
    return CohortMedian(Estimate(value, low, high, n), False)
