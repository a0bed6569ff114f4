"""Every estimator against values worked out by hand or published with the method."""

import math

import pytest

from vinculo.metrics import stats
from vinculo.metrics.stats import Counts

approx = pytest.approx


def test_nps_of_200_answers_with_100_promoters_and_50_detractors():
    # NPS = 50% - 25% = 25. The interval adds 3/4 promoter, 3/2 passive, 3/4 detractor:
    # n' = 203, p+ = 100.75 / 203 = 0.496305, p- = 50.75 / 203 = 0.25, centre 24.6305.
    # Var = (p+ + p- - (p+ - p-)^2) / n' = (0.746305 - 0.060666) / 203 = 0.00337753;
    # SE = 5.81165 points; half-width 1.959964 * 5.81165 = 11.3906.
    estimate = stats.nps(Counts(n=200, top=100, bottom=50))

    assert estimate.value == 25
    assert estimate.low == approx(13.2399, abs=1e-3)
    assert estimate.high == approx(36.0212, abs=1e-3)
    assert estimate.n == 200


def test_an_all_promoter_sample_still_has_an_honest_interval():
    # Ten promoters: unadjusted, the variance would be 0 and the interval [100, 100].
    # n' = 13, p+ = 10.75 / 13 = 0.826923, p- = 0.75 / 13 = 0.057692, centre 76.923;
    # Var = (0.884615 - 0.769231^2) / 13 = 0.022531; half-width 29.420.
    estimate = stats.nps(Counts(n=10, top=10, bottom=0))

    assert estimate.value == 100
    assert estimate.low == approx(47.5036, abs=1e-3)
    assert estimate.high == 100  # clipped to the scale


def test_no_answers_give_no_figure():
    assert stats.nps(Counts()) == stats.Estimate(None, None, None, 0)
    assert stats.proportion(0, 0).value is None
    assert stats.mean(Counts()).value is None


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion",
        # Statistics in Medicine 17:857-872, Table II, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombes_published_examples(successes, n, low, high):
    found = stats.wilson(successes, n)

    assert found == (approx(low, abs=5e-5), approx(high, abs=5e-5))


def test_proportion_is_a_percentage_with_its_wilson_interval():
    estimate = stats.proportion(81, 263)

    assert estimate.value == approx(30.798, abs=1e-3)
    assert (estimate.low, estimate.high) == (approx(25.53, abs=0.005), approx(36.62, abs=0.005))


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        # Newcombe (1998), "Interval estimation for the difference between independent
        # proportions", Statistics in Medicine 17:873-890, Table II, method 10.
        ((56, 70), (48, 80), 0.0524, 0.3339),
        ((9, 10), (3, 10), 0.1705, 0.8090),
        ((6, 7), (2, 7), 0.0582, 0.8062),
    ],
)
def test_difference_of_proportions_matches_newcombes_method_10(a, b, low, high):
    found = stats.proportion_difference(*a, *b)

    assert found.low == approx(100 * low, abs=0.006)
    assert found.high == approx(100 * high, abs=0.006)
    assert found.significant


def test_mean_with_students_t_interval():
    # 2, 4, 4, 4, 5, 5, 7, 9: mean 5, s^2 = 32 / 7, SE = sqrt(32 / 56) = 0.755929;
    # t(0.975, 7) = 2.364624; half-width 1.787488.
    values = [2, 4, 4, 4, 5, 5, 7, 9]
    counts = Counts(n=8, total=sum(values), total_sq=sum(v * v for v in values))

    estimate = stats.mean(counts)

    assert estimate.value == 5
    assert estimate.low == approx(3.212512, abs=1e-6)
    assert estimate.high == approx(6.787488, abs=1e-6)


def test_one_answer_has_a_mean_but_no_interval():
    assert stats.mean(Counts(n=1, total=4, total_sq=16)) == stats.Estimate(4, None, None, 1)


def test_difference_of_two_nps_adds_the_variances():
    # A: n 200, 100 P, 50 D -> 25; adjusted n' 203, centre 24.6305, var 0.00337753.
    # B: n 100, 30 P, 40 D -> -10; n' 103, p+ 0.298544, p- 0.395631, centre -9.7087,
    # var = (0.694175 - 0.009426) / 103 = 0.00664805. SE = sqrt(0.01002558) = 10.0128
    # points; half-width 19.6247; centre 34.3392 -> [14.7146, 53.9640].
    found = stats.nps_difference(
        Counts(n=200, top=100, bottom=50), Counts(n=100, top=30, bottom=40)
    )

    assert found.value == approx(35)
    assert (found.low, found.high) == (approx(14.7146, abs=1e-3), approx(53.9640, abs=1e-3))
    assert found.significant


def test_a_small_nps_gap_on_few_answers_is_not_significant():
    found = stats.nps_difference(Counts(n=40, top=20, bottom=10), Counts(n=40, top=18, bottom=11))

    assert found.value == approx(7.5)
    assert found.low < 0 < found.high
    assert not found.significant


def test_welch_interval_for_a_difference_of_means():
    # A: 1, 2, 3, 4, 5 (mean 3, s^2 2.5); B: 3, 5, 7, 9, 11 (mean 7, s^2 10).
    # SE^2 = 2.5/5 + 10/5 = 2.5; Welch df = 2.5^2 / (0.5^2/4 + 2^2/4) = 6.25 / 1.0625
    # = 5.882353; t(0.975, 5.882353) = 2.458824; half-width = 2.458824 * 1.581139 = 3.887742.
    a = Counts(n=5, total=15, total_sq=55)
    b = Counts(n=5, total=35, total_sq=285)

    found = stats.mean_difference(a, b)

    assert found.value == -4
    assert stats.t_quantile(6.25 / 1.0625) == approx(2.458824, abs=1e-6)
    assert (found.low, found.high) == (approx(-7.887742, abs=1e-6), approx(-0.112258, abs=1e-6))
    assert found.significant


def test_suppression_hides_the_value_and_keeps_the_sample_size():
    estimate = stats.nps(Counts(n=29, top=20, bottom=2)).suppress_below(30)

    assert estimate == stats.Estimate(None, None, None, 29, suppressed=True)
    assert stats.nps(Counts(n=30, top=20, bottom=2)).suppress_below(30).value == approx(60)


def test_shrinkage_pulls_small_groups_most_towards_the_grand_mean():
    # Three groups of a 0/100 score: A 9/10 (90), B 50/100 (50), C 150/200 (75).
    # Pooled within variance: sum of (ss - s^2/n) / (N - k)
    #   A: 90000 - 810000/10 = 9000; B: 500000 - 250000 = 250000; C: 1500000 - 1125000 = 375000
    #   -> 634000 / 307 = 2065.147
    # v = 206.515, 20.651, 10.326; w = 1/v = 0.0048423, 0.0484227, 0.0968454 (sum 0.1501104);
    # fixed mean = (0.43581 + 2.42114 + 7.26341) / 0.1501104 = 67.419;
    # Q = 0.0048423 * 22.581^2 + 0.0484227 * 17.419^2 + 0.0968454 * 7.581^2
    #   = 2.4691 + 14.6928 + 5.5658 = 22.7277 (k - 1 = 2);
    # c = 0.1501104 - (0.0000234 + 0.0023448 + 0.0093791) / 0.1501104 = 0.0718526;
    # tau^2 = 20.7277 / 0.0718526 = 288.47.
    sums = [(10, 900.0, 90000.0), (100, 5000.0, 500000.0), (200, 15000.0, 1500000.0)]

    model = stats.shrink(sums)

    assert model.between_variance == approx(288.47, rel=1e-4)
    weights = [1 / (v + 288.47) for v in (206.515, 20.651, 10.326)]
    grand = sum(w * m for w, m in zip(weights, (90, 50, 75), strict=True)) / sum(weights)
    assert model.grand_mean == approx(grand, rel=1e-4)
    a, b, c = (v or 0.0 for v in model.values)
    assert a == approx(grand + 288.47 / (288.47 + 206.515) * (90 - grand), rel=1e-4)
    # The 10-answer group moves much more than the 200-answer one.
    assert abs(a - 90) > abs(c - 75) * 5
    assert b < c < a


def test_shrinkage_keeps_the_order_of_groups_with_no_answers():
    model = stats.shrink([(0, 0.0, 0.0), (10, 500.0, 50000.0), (10, 900.0, 90000.0)])

    empty, low, high = model.values
    assert empty is None
    assert low is not None and high is not None and low < high


def test_critical_values_are_the_95_percent_ones():
    assert math.isclose(stats.Z, 1.959964, abs_tol=1e-6)
    assert stats.t_quantile(7) == approx(2.364624, abs=1e-6)
    assert math.isclose(stats.t_quantile(1e9), stats.Z, rel_tol=1e-6)
