"""The insights' estimators against worked values, and whose texts they count."""

import pytest

from vinculo.feedback.testing import filed
from vinculo.metrics.testing import answer, measure_survey
from vinculo.surveys.choices import SurveyKind
from vinculo.test import Org, People, actor_of, at
from vinculo.textan.insights import InsightFilter, mean_score, overview
from vinculo.textan.tasks import analyze_texts_task

pytestmark = pytest.mark.django_db


def test_mean_score_has_the_t_interval_worked_by_hand():
    # Scores 0.2, 0.4, 0.6: mean 0.4, s = 0.2, t(0.975; 2) = 4.302653;
    # half-width = 4.302653 * 0.2 / sqrt(3) = 0.496828
    found = mean_score(3, 1.2, 0.04 + 0.16 + 0.36)

    assert found.value == pytest.approx(0.4)
    assert found.low == pytest.approx(0.4 - 0.496828, abs=1e-6)
    assert found.high == pytest.approx(0.4 + 0.496828, abs=1e-6)
    assert mean_score(1, 0.5, 0.25).low is None  # one text: no interval
    assert mean_score(0, 0, 0).value is None


def test_a_unit_manager_counts_only_their_units_texts_and_small_groups_are_suppressed(
    org: Org, people: People
) -> None:
    for n in range(12):
        filed(org.bilbao, "Una estafa", f"i-{n}")
    for n in range(20):
        filed(org.sevilla, "Todo perfecto", f"i-{100 + n}")
    analyze_texts_task.call()

    norte = overview(actor_of(people.carmen), InsightFilter(min_sample=10))
    company = overview(actor_of(people.bruno), InsightFilter(min_sample=40))

    anger = next(s for s in norte.emotions if s.key == "anger")
    assert norte.n == 12 and anger.count == 12 and anger.estimate.value == 100.0
    # 32 texts, fewer than the minimum of 40: counted, but no share or mean is shown.
    assert company.n == 32
    assert all(s.estimate.suppressed and s.estimate.value is None for s in company.emotions)
    assert company.sentiment.suppressed and company.sentiment.n == 32


def test_employee_survey_comments_never_reach_the_insights(org: Org, people: People) -> None:
    customers = measure_survey(org.company, slug="clientes")
    employees = measure_survey(org.company, slug="plantilla", kind=SurveyKind.EMPLOYEE)
    answer(customers, org.bilbao, at("2026-03-10 12:00"), comentario="Muy amables, gracias")
    answer(employees, org.bilbao, at("2026-03-10 12:00"), comentario="Mi jefe es un desastre")
    analyze_texts_task.call()

    found = overview(actor_of(people.alicia), InsightFilter(min_sample=1))

    assert found.n == 1
    assert found.sentiment.value is not None and found.sentiment.value > 0
