"""Reading figures back: roll-up consistency across units, every reading path against a
recount of the raw answers, suppression, significance, trends, leagues and scope."""

from datetime import date

import pytest

from vinculo.accounts.choices import UnitKind
from vinculo.accounts.services import create_unit
from vinculo.metrics.choices import Breakdown, Interval
from vinculo.metrics.comments import comments
from vinculo.metrics.filters import FilterError, RawFilter, resolve
from vinculo.metrics.league import league
from vinculo.metrics.models import MetricPolicy
from vinculo.metrics.queries import breakdown, tile, trend
from vinculo.metrics.results import distribution
from vinculo.metrics.rollups.deltas import local_day
from vinculo.metrics.stats import Counts
from vinculo.metrics.testing import answer, folded, measure_survey
from vinculo.metrics.tests.world import build_world
from vinculo.surveys.models import Answer
from vinculo.test import actor_of, at

approx = pytest.approx
SPRING = {"period": "custom", "since": date(2026, 3, 1), "until": date(2026, 4, 30)}


@pytest.fixture
def world(org):
    return build_world(org)


def filter_for(people, who="bruno", **given):
    actor = actor_of(people.by_name(who))
    return actor, resolve(actor, RawFilter(**{**SPRING, **given}))


def recount(unit_paths=None, since=None, until=None, **where):
    """The NPS counts straight from the answers, by another road than the roll-ups."""
    counts = Counts()
    for a in Answer.objects.filter(question__key="nps").select_related("response__unit"):
        r, number = a.response, a.number or 0
        assert r.completed_at is not None
        day = local_day(r.completed_at)
        if (since and day < since) or (until and day > until):
            continue
        if unit_paths and not any(r.unit.path.startswith(p) for p in unit_paths):
            continue
        if any(getattr(r, field) != value for field, value in where.items()):
            continue
        counts += Counts(1, number, number**2, int(number >= 9), int(number <= 6))
    return counts


def test_a_company_figure_is_the_count_weighted_combination_of_its_units(world, people, org):
    MetricPolicy.objects.filter(pk=1).update(min_sample=1)
    actor, f = filter_for(people)

    company = tile(actor, f).figure
    regions = breakdown(actor, f, Breakdown.UNIT)
    stores = league(f).rows

    assert company.n == 140
    assert company.headline.value == approx(100 * 40 / 140)
    assert {r.label: (r.figure.n, r.figure.headline.value) for r in regions} == {
        "Norte": (80, approx(12.5)),
        "Sur": (60, approx(50.0)),
    }
    for parts in (regions, stores):
        figures = [p.figure for p in parts]
        weighted = sum(x.n * (x.headline.value or 0.0) for x in figures) / sum(x.n for x in figures)
        assert weighted == approx(company.headline.value)
        assert sum((p.counts for p in parts), Counts()) == recount()


def test_every_reading_path_agrees_with_a_recount_of_the_answers(world, people, org):
    actor, everything = filter_for(people)
    _, web = filter_for(people, channel="web")
    _, web_empresa = filter_for(people, channel="web", segment="empresa")
    _, store_empresa = filter_for(people, channel="store", segment="empresa")
    _, norte_particular = filter_for(people, unit="norte", segment="particular")

    channels = {r.label: r.counts for r in breakdown(actor, everything, Breakdown.CHANNEL)}

    web_id = world.survey.responses.filter(collector="link").first().channel_id
    assert tile(actor, everything).figure.n == recount().n
    assert channels["Web"] == recount(channel_id=web_id)
    assert sum(channels.values(), Counts()) == recount()
    assert tile(actor, web).figure.n == 50
    assert tile(actor, web_empresa).figure.n == 50  # two dimensions: read from ScoreDay
    assert tile(actor, store_empresa).figure.n == 0
    assert (
        tile(actor, norte_particular).figure.n == recount([org.norte.path], segment="particular").n
    )


@pytest.mark.parametrize(
    ("since", "until"),
    [
        (date(2026, 3, 10), date(2026, 4, 9)),  # loose days at both ends, no whole month
        (date(2026, 2, 15), date(2026, 4, 9)),  # a whole month between loose days
        (date(2026, 3, 1), date(2026, 3, 31)),  # exactly one month
        (date(2026, 3, 5), date(2026, 3, 5)),  # one day
    ],
)
def test_any_period_reads_whole_months_and_loose_days_to_the_same_total(
    world, people, org, since, until
):
    actor, f = filter_for(people, since=since, until=until)
    _, norte_web = filter_for(people, since=since, until=until, unit="norte", channel="web")

    assert tile(actor, f).figure.n == recount(since=since, until=until).n
    web_id = world.survey.responses.filter(collector="link").first().channel_id
    expected = recount([org.norte.path], since=since, until=until, channel_id=web_id)
    assert tile(actor, norte_web).figure.n == expected.n


def test_a_region_reads_its_own_answers_by_dimension_on_loose_days_too(world, people, org):
    survey = world.survey
    answer(survey, org.norte, at("2026-03-20 10:00"), nps=10)  # given at the region itself
    folded()
    actor, f = filter_for(people, unit="norte", since=date(2026, 3, 15), until=date(2026, 3, 25))

    by_channel = breakdown(actor, f, Breakdown.CHANNEL)

    assert sum(r.figure.n for r in by_channel) == tile(actor, f).figure.n == 1


def test_figures_below_the_minimum_sample_are_suppressed_but_keep_their_n(world, people):
    actor, f = filter_for(people, unit="santander")

    figure = tile(actor, f).figure

    assert figure.n == 10
    assert figure.suppressed and figure.headline.value is None and figure.headline.low is None

    MetricPolicy.objects.filter(pk=1).update(min_sample=5)
    _, f = filter_for(people, unit="santander")
    assert tile(actor, f).figure.headline.value == 100


def test_a_change_between_periods_is_flagged_only_when_its_interval_excludes_zero(world, people):
    actor, april = filter_for(
        people, unit="bilbao-centro", since=date(2026, 4, 1), until=date(2026, 4, 30)
    )
    _, march = filter_for(
        people, unit="bilbao-centro", since=date(2026, 3, 1), until=date(2026, 3, 31)
    )

    fall = tile(actor, april)

    # April (n 30, -33.3) against the 30 days before, 2-31 March (n 40, 25): -58.3 points,
    # SE = sqrt((0.5+0.25-0.0625)/40 + (1/3+2/3-1/9)/30) = 0.2168 -> 42.5 points either side.
    assert fall.previous.n == 40
    assert fall.change is not None
    assert fall.change.value == approx(-100 / 3 - 25)
    assert fall.change.significant
    # March against February: nothing to compare with.
    assert tile(actor, march).change is None


def test_the_unit_against_its_parent_is_tested_against_the_rest_of_the_parent(world, people):
    actor, sevilla = filter_for(people, unit="sur")
    analyst_view = tile(actor, sevilla)

    # Sur is its parent's (the company's) part with NPS 50 (n 60), the rest (Norte) 12.5 (n 80).
    assert analyst_view.parent is not None and analyst_view.parent.code == "telco"
    assert analyst_view.versus_parent is not None
    assert analyst_view.versus_parent.value == approx(50 - 12.5)

    manager, own = filter_for(people, who="gabriel", unit="sur")
    managers_view = tile(manager, own)

    assert managers_view.parent is None and managers_view.versus_parent is None


def test_breakdown_rows_are_tested_against_the_rest_of_the_scope(world, people):
    actor, f = filter_for(people)

    rows = {r.label: r for r in breakdown(actor, f, Breakdown.SEGMENT)}

    # empresa: n 50, NPS 40; the rest (particular): n 90, NPS 22.2.
    assert rows["empresa"].versus_rest is not None
    assert rows["empresa"].versus_rest.value == approx(40 - 100 * 20 / 90)
    assert set(rows) == {"empresa", "particular"}


def test_breakdowns_by_stage_type_survey_and_question_cover_every_answer(world, people):
    actor, f = filter_for(people)

    for by in (Breakdown.STAGE, Breakdown.INTERACTION_TYPE, Breakdown.SURVEY, Breakdown.QUESTION):
        rows = breakdown(actor, f, by)
        assert sum(r.figure.n for r in rows) == 140, by
    assert [r.label for r in breakdown(actor, f, Breakdown.STAGE)] == ["(sin dato)"]


def test_the_monthly_trend_has_one_point_per_month_with_its_interval(world, people):
    _actor, f = filter_for(people, unit="bilbao-centro")

    points = trend(f, Interval.MONTH)

    assert [p.start for p in points] == [date(2026, 3, 1), date(2026, 4, 1)]
    assert [p.figure.n for p in points] == [40, 30]
    march = points[0].figure.headline
    # n 40, 20 promoters, 10 detractors; adjusted: n' 43, p+ 20.75/43 = 0.482558,
    # p- 10.75/43 = 0.25, centre 23.2558; var = (0.732558 - 0.054083) / 43 = 0.0157785,
    # SE 12.5613 points, half-width 24.6197.
    assert (march.value, march.low, march.high) == (
        approx(25),
        approx(-1.364, abs=1e-3),
        approx(47.875, abs=1e-3),
    )


def test_weekly_and_quarterly_trends_add_up_to_the_period(world, people):
    _actor, f = filter_for(people)

    weekly = trend(f, Interval.WEEK)
    quarterly = trend(f, Interval.QUARTER)

    # The first week (from Monday 23 February) is cut by the period: it shows from 1 March.
    assert weekly[0].start == date(2026, 3, 1)
    assert all(p.start.weekday() == 0 for p in weekly[1:])
    assert sum(p.figure.n for p in weekly) == 140
    assert [(p.start, p.figure.n) for p in quarterly] == [
        (date(2026, 3, 1), 110),  # the first quarter, from the period's first day
        (date(2026, 4, 1), 30),
    ]


def test_the_league_ranks_by_shrunken_estimate_so_a_small_unit_does_not_top_it_by_luck(org, people):
    survey = measure_survey(org.company)
    # Four stores of 100 answers with NPS 20, 30, 40, 50; one of 10 answers with NPS 70.
    plan = {"t20": (45, 25, 100), "t30": (50, 20, 100), "t40": (55, 15, 100), "t50": (60, 10, 100)}
    plan["t70"] = (7, 0, 10)
    for code, (promoters, detractors, n) in plan.items():
        store = create_unit(name=code.upper(), code=code, kind=UnitKind.STORE, parent=org.sur)
        for i in range(n):
            score = 10 if i < promoters else 0 if i < promoters + detractors else 8
            answer(survey, store, at("2026-03-10 10:00"), nps=score)
    folded()
    MetricPolicy.objects.filter(pk=1).update(min_sample=10)
    _actor, f = filter_for(people, unit="sur")

    table = league(f)

    # Worked with stats.shrink: tau^2 = 126.28, grand mean 37.17; T70 moves from 70 to
    # 43.19 (its 10 answers weigh little), T50 from 50 to 46.04 (100 answers weigh more).
    assert [(r.unit.code, r.rank) for r in table.rows] == [
        ("t50", 1),
        ("t70", 2),
        ("t40", 3),
        ("t30", 4),
        ("t20", 5),
    ]
    assert table.between_variance == approx(126.276, abs=1e-3)
    best, small = table.rows[0], table.rows[1]
    assert (best.shrunk, small.shrunk) == (approx(46.0437, abs=1e-4), approx(43.1854, abs=1e-4))
    assert small.figure.headline.value == 70

    MetricPolicy.objects.filter(pk=1).update(min_sample=30)
    _, f = filter_for(people, unit="sur")
    table = league(f)
    assert (table.rows[-1].unit.code, table.rows[-1].rank) == ("t70", None)
    assert table.rows[-1].figure.suppressed


def test_choice_questions_give_each_options_share_of_those_who_answered(world, people, org):
    survey = world.survey
    for chosen in (["precio"], ["precio", "trato"], ["trato"], ["precio"]):
        answer(survey, org.bilbao, at("2026-03-20 10:00"), motivos=chosen)
    folded()
    MetricPolicy.objects.filter(pk=1).update(min_sample=1)
    _actor, f = filter_for(people, survey=survey.pk)

    shares = {s.code: s.figure for s in distribution(f, "motivos")}

    assert shares["precio"].headline.value == 75 and shares["precio"].n == 4
    assert shares["trato"].headline.value == 50
    assert shares["rapidez"].headline.value == 0


def test_latest_comments_are_the_scopes_newest_with_their_scores(world, people):
    _actor, f = filter_for(people, who="gabriel", unit="sur")

    listed = comments(f, limit=5)

    assert [c.text for c in listed] == [
        "Comentario sevilla-nervion 2",
        "Comentario sevilla-nervion 1",
        "Comentario sevilla-nervion 0",
    ]
    assert listed[0].scores["nps"] == 9


def test_a_unit_manager_cannot_ask_for_a_unit_outside_their_subtree(world, people):
    actor = actor_of(people.carmen)

    with pytest.raises(FilterError) as refused:
        resolve(actor, RawFilter(unit="sur"))

    assert refused.value.field == "unit"
    assert resolve(actor, RawFilter()).unit.code == "norte"


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"period": "custom", "since": date(2026, 3, 1)}, "until"),
        ({"period": "custom", "since": date(2026, 3, 2), "until": date(2026, 3, 1)}, "until"),
        ({"period": "siempre"}, "period"),
        ({"metric": "felicidad"}, "metric"),
        ({"channel": "paloma"}, "channel"),
        ({"stage": "nada"}, "stage"),
        ({"lifecycle": "zombi"}, "lifecycle"),
        ({"survey": 99999}, "survey"),
    ],
)
def test_bad_filters_name_their_field(people, given, field):
    with pytest.raises(FilterError) as refused:
        resolve(actor_of(people.bruno), RawFilter(**given))

    assert refused.value.field == field


def test_units_the_model_cannot_tell_apart_share_a_rank(org, people):
    survey = measure_survey(org.company)
    for store in (org.bilbao, org.santander, org.sevilla):
        for i in range(40):  # the same answers everywhere: 20 promoters, 10 detractors
            answer(survey, store, at("2026-03-10 10:00"), nps=10 if i < 20 else 3 if i < 30 else 8)
    folded()
    _, f = filter_for(people)

    table = league(f)

    assert table.between_variance == 0 and table.undistinguished
    assert [r.rank for r in table.rows] == [1, 1, 1]


def test_employee_figures_are_for_administrators_and_analysts_only(people):
    with pytest.raises(FilterError) as refused:
        resolve(actor_of(people.carmen), RawFilter(metric="enps"))

    assert refused.value.field == "metric"
    assert resolve(actor_of(people.bruno), RawFilter(metric="enps")).metric == "enps"
