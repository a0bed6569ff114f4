"""The responses list (surveys:responses): filters in the URL, scope, pages, scores."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from vinculo.customers.services import create_customer
from vinculo.surveys.choices import Collector
from vinculo.surveys.models import Response, Survey
from vinculo.surveys.submission import Respondent, answer_page
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered, english_client, live_version
from vinculo.test import Org, People, client_for, make_customer

URL = reverse("surveys:responses")


def listed(client: Any, **filters: Any) -> list[int]:
    response = client.get(URL, filters)
    assert response.status_code == 200
    return [r.pk for r in response.context["page"]]


def partial(survey: Survey, org: Org) -> Response:
    who = Respondent(
        survey=survey,
        version=live_version(survey),
        unit=org.santander,
        collector="link",
        language="es",
    )
    return answer_page(
        respondent=who, idempotency_key="p1", page=1, raw={"nps": 7, "csat": 3}
    ).response


def test_responses_are_listed_newest_first_with_their_scores(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    first = answered(survey, org.bilbao, {"nps": 9, "csat": 5, "gusto": "Todo"})
    second = answered(survey, org.sevilla, {"nps": 3, "csat": 2})

    response = client_for(people.bruno).get(URL)

    page = list(response.context["page"])
    assert [r.pk for r in page] == [second.pk, first.pk]
    assert page[0].scores == {"nps": 3, "csat": 2}
    assert '<span class="score">nps <b>3</b></span>' in response.content.decode()


def test_a_unit_manager_sees_only_the_responses_of_their_units(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    bilbao = answered(survey, org.bilbao, {"nps": 9, "csat": 5})
    santander = answered(survey, org.santander, {"nps": 8, "csat": 4})
    answered(survey, org.sevilla, {"nps": 3, "csat": 2})

    assert listed(client_for(people.carmen)) == [santander.pk, bilbao.pk]
    assert listed(client_for(people.diego)) == [bilbao.pk]


def test_filters_by_survey_unit_subtree_status_collector_and_channel(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.company)
    other = published_survey(unit=org.company, slug="otra")
    bilbao = answered(survey, org.bilbao, {"nps": 9, "csat": 5}, collector=Collector.QR)
    santander = answered(survey, org.santander, {"nps": 8, "csat": 4}, collector=Collector.PHONE)
    sevilla = answered(other, org.sevilla, {"nps": 3, "csat": 2})
    started = partial(survey, org)
    client = client_for(people.bruno)

    assert listed(client, survey=other.pk) == [sevilla.pk]
    assert listed(client, unit=org.norte.pk) == [started.pk, santander.pk, bilbao.pk]
    assert listed(client, status="partial") == [started.pk]
    assert listed(client, collector="qr") == [bilbao.pk]
    assert listed(client, channel="call_centre") == [santander.pk]


def test_filters_by_nps_group_known_customer_text_and_period(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    ana = make_customer("Ana", email="ana@example.com")
    promoter = answered(
        survey, org.bilbao, {"nps": 10, "csat": 5, "gusto": "El trato de Luisa"}, customer=ana
    )
    passive = answered(survey, org.bilbao, {"nps": 7, "csat": 4, "mejora": "Colas largas"})
    detractor = answered(survey, org.bilbao, {"nps": 2, "csat": 1, "mejora": "Las COLAS"})
    ten_days_ago = timezone.now() - timedelta(days=10)
    Response.objects.filter(pk=detractor.pk).update(
        started_at=ten_days_ago, completed_at=ten_days_ago
    )
    client = client_for(people.bruno)
    today = timezone.localdate()

    assert listed(client, nps_group="promoter") == [promoter.pk]
    assert listed(client, nps_group="passive") == [passive.pk]
    assert listed(client, nps_group="detractor") == [detractor.pk]
    assert listed(client, customer="known") == [promoter.pk]
    assert listed(client, customer="anonymous") == [passive.pk, detractor.pk]
    assert listed(client, q="colas") == [passive.pk, detractor.pk]
    assert listed(client, since=today.isoformat()) == [passive.pk, promoter.pk]
    assert listed(client, until=(today - timedelta(days=5)).isoformat()) == [detractor.pk]


def test_a_unit_outside_the_managers_scope_cannot_be_chosen(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    answered(survey, org.bilbao, {"nps": 9, "csat": 5})
    answered(survey, org.sevilla, {"nps": 3, "csat": 2})

    response = english_client(people.carmen).get(URL, {"unit": org.sevilla.pk})

    assert "unit" in response.context["form"].errors
    assert [r.unit for r in response.context["page"]] == [org.bilbao]


def test_fifty_responses_a_page_in_a_fixed_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    survey = published_survey(unit=org.company)
    for number in range(55):
        answered(survey, org.bilbao, {"nps": number % 11, "csat": 1 + number % 5})
    client = client_for(people.carmen)

    with django_assert_max_num_queries(13):  # 12, and the menu's unread notifications
        first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 5


def test_export_buttons_appear_once_a_survey_is_chosen(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    client = english_client(people.carmen)

    without = client.get(URL).content.decode()
    chosen = client.get(URL, {"survey": survey.pk}).content.decode()
    reader = english_client(people.elena).get(URL, {"survey": survey.pk}).content.decode()

    assert "Choose a survey to export its responses" in without
    assert f'href="{reverse("surveys:export_csv")}?survey={survey.pk}"' in chosen
    assert f'href="{reverse("surveys:export_xlsx")}?survey={survey.pk}"' in chosen
    assert "Export CSV" not in reader


def test_htmx_filtering_answers_with_the_results_alone(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    answered(survey, org.bilbao, {"nps": 9, "csat": 5})

    response = client_for(people.bruno).get(
        URL, {"survey": survey.pk}, headers={"HX-Request": "true"}
    )

    assert "<html" not in response.content.decode()
    assert "<table" in response.content.decode()


def test_the_list_needs_the_permission_to_view_responses(people: People) -> None:
    assert client_for(people.nadie).get(URL).status_code == 403
    assert client_for(people.fernando).get(URL).status_code == 200


def test_customers_are_linked_when_the_reader_may_see_them_and_named_by_id_otherwise(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.company)
    ana = create_customer(
        identities={"email": "a@x.es"}, name="Ana Ruiz", home_unit_id=org.bilbao.pk
    )
    eva = create_customer(
        identities={"email": "e@x.es"}, name="Eva Gil", home_unit_id=org.sevilla.pk
    )
    answered(survey, org.bilbao, {"nps": 9, "csat": 5}, customer=ana)
    who = Respondent(
        survey=survey,
        version=live_version(survey),
        unit=org.bilbao,
        collector="link",
        language="es",
        customer=eva,
    )
    answer_page(respondent=who, idempotency_key="eva", page=1, raw={"nps": 6, "csat": 3})

    html = english_client(people.diego).get(URL).content.decode()

    assert f'<a href="{reverse("customers:detail", args=[ana.pk])}">Ana Ruiz</a>' in html
    assert f"Customer #{eva.pk}" in html
    assert "Eva Gil" not in html


def test_a_drill_down_narrows_by_touchpoint_profile_score_and_completion_day(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.company)
    ana = make_customer("Ana", email="ana@example.com")
    ana.segment, ana.lifecycle_stage = "empresa", "at_risk"
    ana.save()
    unhappy = answered(
        survey, org.bilbao, {"nps": 3, "csat": 1, "mejora": "Nadie me atendió"}, customer=ana
    )
    answered(survey, org.bilbao, {"nps": 3, "csat": 4, "mejora": "Caro"})
    # Started two days ago, completed today: it counts today, as in the metrics.
    two_days_ago = timezone.now() - timedelta(days=2)
    Response.objects.filter(pk=unhappy.pk).update(started_at=two_days_ago)
    client = client_for(people.bruno)
    today = timezone.localdate().isoformat()

    assert listed(client, segment="empresa", lifecycle="at_risk") == [unhappy.pk]
    assert listed(client, score="csat:1-2") == [unhappy.pk]
    assert listed(client, score="csat:1-2", since=today, until=today) == [unhappy.pk]
    page = client.get("/surveys/responses/", {"score": "csat:1-2", "segment": "empresa"})
    html = page.content.decode()
    assert "Nadie me atendió" in html
    assert "Puntuación: CSAT 1\u20132" in html and "Segmento de cliente: empresa" in html
