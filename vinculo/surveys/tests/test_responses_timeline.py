"""A survey response on the customer's timeline: survey name, scores, link to the response."""

from django.urls import reverse

from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered
from vinculo.test import Org, People, client_for, make_customer


def test_the_timeline_row_shows_the_survey_and_its_scores_and_links_the_response(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)
    ana = make_customer("Ana Ruiz", email="ana@example.com")
    response = answered(survey, org.bilbao, {"nps": 9, "csat": 4, "gusto": "Todo"}, customer=ana)

    html = client_for(people.bruno).get(reverse("customers:detail", args=[ana.pk])).content.decode()

    link = reverse("surveys:response", args=[response.pk])
    assert f'<a href="{link}">Tu visita</a>' in html
    assert ">nps 9</span>" in html
    assert ">csat 4</span>" in html


def test_a_unit_manager_follows_the_timeline_link_to_the_response(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    ana = make_customer("Ana Ruiz", email="ana@example.com")
    response = answered(survey, org.bilbao, {"nps": 9, "csat": 4}, customer=ana)
    link = reverse("surveys:response", args=[response.pk])

    carmen = client_for(people.carmen).get(reverse("customers:detail", args=[ana.pk]))

    assert link in carmen.content.decode()
    assert client_for(people.carmen).get(link).status_code == 200
