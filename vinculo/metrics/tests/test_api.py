"""/api/v1/metrics: the same figures, filters, n and intervals as the dashboard; scoped."""

import pytest

from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key
from vinculo.metrics.models import MetricPolicy
from vinculo.metrics.tests.world import build_world
from vinculo.test import client_for

M = "/api/v1/metrics"
SPRING = "period=custom&since=2026-03-01&until=2026-04-30"


@pytest.fixture
def world(org):
    return build_world(org)


def test_the_summary_gives_each_measure_with_n_interval_and_comparisons(world, people):
    body = client_for(people.bruno).get(f"{M}/summary?{SPRING}&unit=sur").json()

    assert body["scope"] == {
        "unit": "sur",
        "unit_name": "Sur",
        "metric": "nps",
        "period": {"since": "2026-03-01", "until": "2026-04-30", "preset": "custom"},
        "min_sample": 30,
    }
    nps, csat, ces = body["tiles"]
    assert [t["metric"] for t in body["tiles"]] == ["nps", "csat", "ces"]
    headline = nps["figure"]["headline"]
    assert (headline["value"], headline["n"], headline["suppressed"]) == (50, 60, False)
    assert headline["low"] < 50 < headline["high"]
    assert nps["figure"]["details"]["promoters"]["value"] == 50
    assert nps["previous"]["headline"] == {
        "value": None,
        "low": None,
        "high": None,
        "n": 0,
        "suppressed": False,
    }
    assert nps["parent"]["unit"] == "telco"
    assert nps["parent"]["versus"]["value"] == pytest.approx(37.5)
    assert csat["figure"]["headline"]["value"] == 50  # 30 of 60 gave 5
    assert ces["figure"]["headline"]["n"] == 0


def test_a_unit_manager_reads_their_subtree_by_default_and_nothing_outside(world, people):
    carmen = client_for(people.carmen)

    own = carmen.get(f"{M}/summary?{SPRING}").json()
    refused = carmen.get(f"{M}/summary?{SPRING}&unit=sevilla-nervion")

    assert own["scope"]["unit"] == "norte"
    assert own["tiles"][0]["figure"]["headline"]["n"] == 80
    assert own["tiles"][0]["parent"] is None  # the company is beyond her scope
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "unit"


def test_a_key_limited_to_a_unit_reads_only_that_subtree(world, people, org):
    _key, token = create_api_key(
        name="bi", scopes=[Perm.VIEW_METRICS], created_by=people.alicia, unit=org.sur
    )
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    league = client.get(f"{M}/league?{SPRING}").json()

    assert [r["unit"] for r in league["rows"]] == ["sevilla-nervion"]
    assert client.get(f"{M}/league?{SPRING}&unit=telco").status_code == 422


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=custom&since=2026-03-01", "until"),
        ("period=custom&since=2026-03-05&until=2026-03-01", "until"),
        ("metric=felicidad", "metric"),
        ("channel=paloma", "channel"),
        ("since=ayer", "since"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(world, people, query, field):
    response = client_for(people.bruno).get(f"{M}/summary?{query}")

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_errors_speak_the_callers_language(people):
    response = client_for(people.bruno).get(
        f"{M}/summary?period=custom&since=2026-03-01", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response.json()["detail"][0]["msg"] == "Indica el último día del periodo."


def test_breakdown_trend_league_and_distribution_have_the_same_numbers(world, people):
    MetricPolicy.objects.filter(pk=1).update(min_sample=10)
    client = client_for(people.bruno)

    regions = client.get(f"{M}/breakdown?{SPRING}&by=unit").json()["rows"]
    trend = client.get(f"{M}/trend?{SPRING}&interval=month").json()
    league = client.get(f"{M}/league?{SPRING}").json()["rows"]
    csat = client.get(f"{M}/distribution?{SPRING}&key=motivos&survey={world.survey.pk}").json()

    assert [(r["label"], r["figure"]["headline"]["n"]) for r in regions] == [
        ("Norte", 80),
        ("Sur", 60),
    ]
    assert regions[1]["versus_rest"]["significant"] is True
    assert [(p["start"], p["figure"]["headline"]["n"]) for p in trend["points"]] == [
        ("2026-03-01", 110),
        ("2026-04-01", 30),
    ]
    assert [(r["unit"], r["rank"]) for r in league] == [
        ("santander", 1),
        ("sevilla-nervion", 2),
        ("bilbao-centro", 3),
    ]
    assert [o["code"] for o in csat["options"]] == ["precio", "trato", "rapidez"]


def test_the_summary_takes_a_fixed_number_of_queries(world, people, django_assert_max_num_queries):
    client = client_for(people.carmen)
    client.get(f"{M}/summary?{SPRING}")  # the session and the actor are warm

    # Session, user, membership, subtree; the unit, the policy, the questions of the three
    # measures; then this period, the one before and the parent's, each read as its whole
    # months and its loose days at either end (at most three queries): fixed, whatever the
    # number of units and answers.
    with django_assert_max_num_queries(16):
        assert client.get(f"{M}/summary?{SPRING}&unit=bilbao-centro").status_code == 200


def test_people_without_the_permission_are_refused(world, people):
    assert client_for(people.nadie).get(f"{M}/summary").status_code == 403
