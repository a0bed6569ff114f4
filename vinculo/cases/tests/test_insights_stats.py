"""The median's distribution-free interval and the case figures' estimators, against values
worked out by hand from the binomial distribution and against scipy's own quantile test."""

import math

import numpy as np
import pytest
from scipy import stats as sps

from vinculo.cases.insights_stats import (
    cohort_median,
    median,
    median_of,
    median_ranks,
    net_promoter,
    share,
)
from vinculo.metrics.stats import Z


def test_ten_values_are_bounded_by_the_second_and_ninth():
    # P(B <= 1) = 11/1024 = 1.07% <= 2.5% < P(B <= 2) = 56/1024 = 5.47%, B ~ Bin(10, 1/2).
    ranks = median_ranks(10)

    assert ranks is not None
    assert (ranks.lower_rank, ranks.upper_rank) == (2, 9)
    assert ranks.coverage == pytest.approx(1 - 2 * 11 / 1024)


def test_twenty_values_are_bounded_by_the_sixth_and_fifteenth():
    # P(B <= 5) = 21700/2^20 = 2.07%; P(B <= 6) = 60460/2^20 = 5.77%.
    ranks = median_ranks(20)

    assert ranks is not None
    assert (ranks.lower_rank, ranks.upper_rank) == (6, 15)
    assert ranks.coverage == pytest.approx(1 - 2 * 21700 / 2**20)


def test_below_six_values_the_median_has_no_interval():
    # 1/2^5 = 3.1% > 2.5%: not even the extremes bound the median with 95% confidence.
    assert median_ranks(5) is None
    six = median_ranks(6)
    assert six is not None
    assert (six.lower_rank, six.upper_rank, six.coverage) == (1, 6, 1 - 2 / 64)

    small = median([3.0, 1.0, 2.0])
    assert (small.value, small.low, small.high, small.n) == (2.0, None, None, 3)


def test_the_median_of_an_even_sample_is_the_mean_of_the_middle_two():
    estimate = median([5, 1, 9, 3, 7, 2, 8, 4, 10, 6])

    assert (estimate.value, estimate.low, estimate.high, estimate.n) == (5.5, 2, 9, 10)


@pytest.mark.parametrize("n", [6, 7, 11, 24, 37, 60, 101, 250])
def test_the_interval_is_scipys_quantile_test_interval(n):
    values = np.random.default_rng(n).exponential(10.0, n).round(2)

    ours = median(list(values))
    theirs = sps.quantile_test(values, q=float(np.median(values)), p=0.5).confidence_interval(0.95)

    assert (ours.low, ours.high) == (pytest.approx(theirs.low), pytest.approx(theirs.high))


def test_an_empty_sample_has_no_median():
    assert median([]).value is None
    assert median([]).n == 0


def test_nps_of_follow_up_scores_uses_the_adjusted_interval():
    # 3 promoters, 1 passive, 1 detractor: NPS 40. Adjusted: n 8, p+ 3.75/8, p- 1.75/8.
    estimate = net_promoter([10, 9, 9, 7, 3], min_sample=1)

    pp, pd = 3.75 / 8, 1.75 / 8
    half = Z * 100 * math.sqrt((pp + pd - (pp - pd) ** 2) / 8)
    assert estimate.value == pytest.approx(40.0)
    assert estimate.low == pytest.approx(25.0 - half)  # -29.78
    assert estimate.high == pytest.approx(25.0 + half)  # 79.78
    assert estimate.n == 5


def test_a_share_has_the_wilson_interval_and_is_suppressed_below_the_minimum():
    # Wilson, 8 of 10: centre (0.8 + z²/20)/(1 + z²/10), half-width as published.
    estimate = share(8, 10, min_sample=10)
    z2 = Z * Z
    centre = (0.8 + z2 / 20) / (1 + z2 / 10)
    half = Z * math.sqrt(0.8 * 0.2 / 10 + z2 / 400) / (1 + z2 / 10)

    assert estimate.value == pytest.approx(80.0)
    assert estimate.low == pytest.approx(100 * (centre - half))  # 49.0
    assert estimate.high == pytest.approx(100 * (centre + half))  # 94.3
    hidden = share(8, 10, min_sample=11)
    assert (hidden.value, hidden.low, hidden.n, hidden.suppressed) == (None, None, 10, True)


def test_a_median_below_six_values_is_suppressed_whatever_the_policys_minimum():
    five = median_of([1.0, 2.0, 3.0, 4.0, 5.0], min_sample=1)
    six = median_of([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], min_sample=1)

    assert (five.value, five.n, five.suppressed) == (None, 5, True)
    # Six values: 3.5, between the extremes (coverage 1 - 2/64).
    assert (six.value, six.low, six.high, six.suppressed) == (3.5, 1.0, 6.0, False)


def test_open_cases_count_as_the_slowest_so_a_recent_median_is_not_biased_low():
    # 20 cases, 16 finished in 1..16 hours, 4 still open. The median (mean of the 10th and
    # 11th) is 10.5 and the interval the 6th and 15th values, all finished ones; the
    # finished cases alone would say 8.5.
    shown = cohort_median([float(h) for h in range(1, 17)], unfinished=4, min_sample=1)

    assert (shown.estimate.value, shown.estimate.low, shown.estimate.high) == (10.5, 6.0, 15.0)
    assert (shown.estimate.n, shown.too_many_open) == (20, False)


def test_a_median_that_open_cases_would_decide_is_withheld():
    # 20 cases, 14 finished: the 15th value, the interval's upper end, is an open case.
    held = cohort_median([float(h) for h in range(1, 15)], unfinished=6, min_sample=1)
    few = cohort_median([1.0, 2.0], unfinished=1, min_sample=1)

    assert (held.estimate.value, held.estimate.n, held.estimate.suppressed) == (None, 20, True)
    assert held.too_many_open
    assert (few.estimate.suppressed, few.too_many_open) == (True, False)
