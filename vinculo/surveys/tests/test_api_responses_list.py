"""GET /api/v1/surveys/responses: filters, scope, pages, scores."""

from typing import Any

from django.test import Client

from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_api_key
from vinculo.surveys.choices import Collector
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered
from vinculo.test import Org, People, client_for, make_customer

URL = "/api/v1/surveys/responses"


def key_client(scopes: list[str] | None = None, unit: Unit | None = None) -> Client:
    _key, token = create_api_key(
        name="crm", scopes=scopes or ["responses.view"], created_by=None, unit=unit
    )
    return Client(headers={"Authorization": f"Bearer {token}"})


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_each_response_comes_with_where_how_and_its_scores(org: Org) -> None:
    survey = published_survey(unit=org.company)
    ana = make_customer("Ana", email="ana@example.com")
    response = answered(
        survey, org.bilbao, {"nps": 9, "csat": 4}, customer=ana, collector=Collector.QR
    )

    data = key_client().get(URL).json()

    assert data["count"] == 1
    [item] = data["items"]
    assert item["id"] == response.pk
    assert (item["survey"], item["survey_name"], item["version"]) == (survey.pk, "Tu visita", 1)
    assert (item["unit"], item["unit_name"], item["channel"], item["collector"]) == (
        "bilbao-centro",
        "Bilbao Centro",
        "store",
        "qr",
    )
    assert (item["customer"], item["status"], item["language"]) == (ana.pk, "complete", "es")
    assert item["scores"] == {"nps": 9, "csat": 4}


def test_the_filters_of_the_page_work_the_same(org: Org) -> None:
    survey = published_survey(unit=org.company)
    promoter = answered(survey, org.bilbao, {"nps": 10, "csat": 5, "gusto": "La rapidez"})
    detractor = answered(survey, org.sevilla, {"nps": 1, "csat": 1, "mejora": "Lentitud"})
    client = key_client()

    assert ids(client.get(URL, {"nps_group": "detractor"})) == [detractor.pk]
    assert ids(client.get(URL, {"unit": "norte"})) == [promoter.pk]
    assert ids(client.get(URL, {"q": "rapidez"})) == [promoter.pk]
    assert ids(client.get(URL, {"survey": str(survey.pk), "customer": "anonymous"})) == [
        detractor.pk,
        promoter.pk,
    ]


def test_a_unit_limited_caller_sees_only_its_units_and_cannot_name_another(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.company)
    bilbao = answered(survey, org.bilbao, {"nps": 9, "csat": 5})
    answered(survey, org.sevilla, {"nps": 3, "csat": 2})

    assert ids(key_client(unit=org.norte).get(URL)) == [bilbao.pk]
    assert ids(client_for(people.carmen).get(URL)) == [bilbao.pk]
    outside = client_for(people.carmen).get(URL, {"unit": "sevilla-nervion"})
    assert outside.status_code == 422
    assert outside.json()["detail"][0]["field"] == "unit"


def test_pages_with_limit_offset_in_a_fixed_number_of_queries(
    org: Org, django_assert_max_num_queries: Any
) -> None:
    survey = published_survey(unit=org.company)
    created = [answered(survey, org.bilbao, {"nps": n % 11, "csat": 3}) for n in range(30)]
    client = key_client()

    with django_assert_max_num_queries(6):
        response = client.get(URL, {"limit": 20, "offset": 20})

    data = response.json()
    assert (data["count"], data["limit"], data["offset"]) == (30, 20, 20)
    assert [item["id"] for item in data["items"]] == [r.pk for r in reversed(created)][20:]


def test_reading_responses_needs_the_view_scope(org: Org, people: People) -> None:
    assert key_client(["surveys.manage"]).get(URL).status_code == 403
    assert client_for(people.nadie).get(URL).status_code == 403
