"""Estimators of the CX measures, from counts, each with its 95% confidence interval.

Every measure Vínculo shows is a function of a few sums over the answers in a cell (see
``Counts``), so any roll-up of cells is again a ``Counts`` and its estimate is exact, never
an average of averages. The methods are the published ones:

- NPS: the difference of two multinomial proportions (promoters minus detractors) with
  variance ``(p+ + p- - (p+ - p-)²) / n`` and a normal interval, computed on shares
  adjusted by three pseudo-answers (an adjusted Wald interval, as Agresti and Coull did
  for one proportion), so that an all-promoter sample does not claim certainty.
- A proportion (CSAT top-2-box, % easy, % yes): the Wilson score interval (Wilson 1927;
  Newcombe 1998, method 3).
- A mean (CSAT and CES means, ratings): Student's t interval with ``n - 1`` degrees of
  freedom.
- Differences between independent samples: NPS as above with the two variances added;
  proportions by Newcombe's hybrid score interval (Newcombe 1998b, method 10); means by
  Welch's t interval. A difference is *significant* when its interval excludes 0.
- League tables rank units by an empirical-Bayes shrunken estimate (normal-normal model,
  between-unit variance by the method of moments of DerSimonian and Laird 1986), so a
  small unit has to earn its place with evidence rather than luck.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats as sps

CONFIDENCE = 0.95
Z = float(sps.norm.ppf(0.5 + CONFIDENCE / 2))  # 1.959963984540054


@dataclass(frozen=True)
class Counts:
    """The sufficient statistics of one measure over a set of answers.

    ``top`` and ``bottom`` count answers in the measure's good and bad boxes: promoters
    and detractors for NPS, 4-5 and 1-2 for CSAT, "easy" (5-7) and "difficult" (1-3) for
    CES, yes and no for a yes/no question (see ``boxes.py``).
    """

    n: int = 0
    total: int = 0
    total_sq: int = 0
    top: int = 0
    bottom: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.n + other.n,
            self.total + other.total,
            self.total_sq + other.total_sq,
            self.top + other.top,
            self.bottom + other.bottom,
        )

    def __sub__(self, other: Counts) -> Counts:
        return Counts(
            self.n - other.n,
            self.total - other.total,
            self.total_sq - other.total_sq,
            self.top - other.top,
            self.bottom - other.bottom,
        )


@dataclass(frozen=True)
class Estimate:
    """A figure with its sample size and 95% interval; ``value`` is None when there is no
    answer at all or the sample is below the minimum (``suppressed``)."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    suppressed: bool = False

    def suppress_below(self, min_n: int) -> Estimate:
        if self.n >= min_n or self.value is None:
            return self
        return Estimate(None, None, None, self.n, suppressed=True)


@dataclass(frozen=True)
class Difference:
    """``a - b`` with its 95% interval; significant when the interval excludes 0."""

    value: float
    low: float
    high: float

    @property
    def significant(self) -> bool:
        return self.low > 0 or self.high < 0


EMPTY = Estimate(None, None, None, 0)


def t_quantile(df: float) -> float:
    """The two-sided 95% critical value of Student's t with ``df`` degrees of freedom."""
    return float(sps.t.ppf(0.5 + CONFIDENCE / 2, df))


# -- NPS ---------------------------------------------------------------------------------


# Pseudo-answers added before an NPS interval is computed (adjusted Wald, Agresti and
# Coull's idea for one proportion carried to the three NPS groups): three answers, 3/4 of
# a promoter, 3/2 of a passive and 3/4 of a detractor. Without them a sample of ten
# promoters has a variance of 0 and an "interval" of [100, 100].
NPS_PSEUDO = (0.75, 1.5, 0.75)


def _adjusted(counts: Counts) -> tuple[float, float, float]:
    """Adjusted n, share of promoters and share of detractors."""
    n = counts.n + sum(NPS_PSEUDO)
    return n, (counts.top + NPS_PSEUDO[0]) / n, (counts.bottom + NPS_PSEUDO[2]) / n


def nps_variance(counts: Counts) -> float:
    """Variance of the (adjusted) NPS on the -1..1 scale: (p+ + p- - (p+ - p-)²) / n."""
    n, promoters, detractors = _adjusted(counts)
    return (promoters + detractors - (promoters - detractors) ** 2) / n


def nps(counts: Counts) -> Estimate:
    """Net Promoter Score, -100..100: % promoters minus % detractors; the interval is the
    adjusted Wald interval around the adjusted estimate."""
    if counts.n <= 0:
        return Estimate(None, None, None, max(counts.n, 0))
    value = 100 * (counts.top - counts.bottom) / counts.n
    _n, promoters, detractors = _adjusted(counts)
    centre = 100 * (promoters - detractors)
    half = Z * 100 * math.sqrt(nps_variance(counts))
    return Estimate(value, max(-100.0, centre - half), min(100.0, centre + half), counts.n)


def nps_difference(a: Counts, b: Counts) -> Difference:
    """NPS(a) - NPS(b) for independent samples: the (adjusted) variances add."""
    value = 100 * ((a.top - a.bottom) / a.n - (b.top - b.bottom) / b.n)
    _na, pa, da = _adjusted(a)
    _nb, pb, db = _adjusted(b)
    centre = 100 * ((pa - da) - (pb - db))
    half = Z * 100 * math.sqrt(nps_variance(a) + nps_variance(b))
    return Difference(value, centre - half, centre + half)


# -- proportions -------------------------------------------------------------------------


def wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson score interval of a proportion, on the 0..1 scale."""
    p = successes / n
    z2 = Z * Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def proportion(successes: int, n: int) -> Estimate:
    """A percentage (0..100) with its Wilson interval."""
    if n <= 0:
        return Estimate(None, None, None, max(n, 0))
    low, high = wilson(successes, n)
    return Estimate(100 * successes / n, 100 * low, 100 * high, n)


def proportion_difference(x1: int, n1: int, x2: int, n2: int) -> Difference:
    """p1 - p2 in percentage points, Newcombe's hybrid score interval (method 10)."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1)
    l2, u2 = wilson(x2, n2)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Difference(100 * d, 100 * low, 100 * high)


# -- means -------------------------------------------------------------------------------


def sample_variance(counts: Counts) -> float:
    """s² from the sums, exact in integers before the one division."""
    if counts.n < 2:
        return 0.0
    return (counts.n * counts.total_sq - counts.total**2) / (counts.n * (counts.n - 1))


def mean(counts: Counts) -> Estimate:
    """The mean with Student's t interval; a single answer has no interval."""
    if counts.n <= 0:
        return Estimate(None, None, None, max(counts.n, 0))
    value = counts.total / counts.n
    if counts.n == 1:
        return Estimate(value, None, None, 1)
    half = t_quantile(counts.n - 1) * math.sqrt(sample_variance(counts) / counts.n)
    return Estimate(value, value - half, value + half, counts.n)


def mean_difference(a: Counts, b: Counts) -> Difference:
    """mean(a) - mean(b), Welch's t interval (unequal variances)."""
    va, vb = sample_variance(a) / a.n, sample_variance(b) / b.n
    value = a.total / a.n - b.total / b.n
    se2 = va + vb
    if se2 == 0:
        return Difference(value, value, value)
    df = se2**2 / (va**2 / (a.n - 1) + vb**2 / (b.n - 1))
    half = t_quantile(df) * math.sqrt(se2)
    return Difference(value, value - half, value + half)


# -- shrinkage ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shrunk:
    """Empirical-Bayes estimates of each group's mean, and the model's parameters."""

    values: list[float | None]  # in the order given; None for a group with no answers
    grand_mean: float
    between_variance: float  # tau²


def shrink(sums: Sequence[tuple[int, float, float]]) -> Shrunk:
    """Shrunken means of groups given ``(n, sum, sum of squares)`` of a per-answer score.

    The sampling variance of group i is ``s²_w / n_i``, with ``s²_w`` the pooled
    within-group variance (so a group whose answers all agree still has an honest
    variance). tau² comes from the DerSimonian-Laird moment estimator; each group moves
    towards the precision-weighted grand mean by ``v_i / (v_i + tau²)``.
    """
    groups = [(n, s, ss) for n, s, ss in sums if n > 0]
    if not groups:
        return Shrunk([None] * len(sums), 0.0, 0.0)
    means = [s / n for n, s, _ in groups]
    total_n = sum(n for n, _, _ in groups)
    within_ss = sum(ss - s * s / n for n, s, ss in groups)
    dof = total_n - len(groups)
    within = within_ss / dof if dof > 0 else 0.0
    if within <= 0 or len(groups) == 1:
        # Nothing to learn about the spread: every group is its own best estimate.
        grand = sum(s for _, s, _ in groups) / total_n
        return Shrunk(_aligned(sums, means), grand, 0.0)
    variances = [within / n for n, _, _ in groups]
    weights = [1 / v for v in variances]
    w_sum = sum(weights)
    fixed = sum(w * m for w, m in zip(weights, means, strict=True)) / w_sum
    q = sum(w * (m - fixed) ** 2 for w, m in zip(weights, means, strict=True))
    c = w_sum - sum(w * w for w in weights) / w_sum
    tau2 = max(0.0, (q - (len(groups) - 1)) / c)
    random_weights = [1 / (v + tau2) for v in variances]
    grand = sum(w * m for w, m in zip(random_weights, means, strict=True)) / sum(random_weights)
    values = [
        grand + (tau2 / (tau2 + v)) * (m - grand) for m, v in zip(means, variances, strict=True)
    ]
    return Shrunk(_aligned(sums, values), grand, tau2)


def _aligned(sums: Sequence[tuple[int, float, float]], values: list[float]) -> list[float | None]:
    found = iter(values)
    return [next(found) if n > 0 else None for n, _, _ in sums]
