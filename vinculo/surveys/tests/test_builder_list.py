"""The survey list (surveys:list) and the "Surveys" link of the main navigation."""

from django.urls import reverse

from vinculo.accounts.actors import SYSTEM
from vinculo.surveys import services
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered
from vinculo.test import Org, People, client_for

URL = reverse("surveys:list")


def test_each_survey_shows_its_status_published_version_and_responses(
    org: Org, people: People
) -> None:
    live = published_survey(unit=org.bilbao)
    answered(live, org.bilbao, {"nps": 9, "csat": 5})
    answered(live, org.sevilla, {"nps": 2, "csat": 1})
    services.create_survey(actor=SYSTEM, name="Atención", slug="atencion", unit=org.company)

    response = client_for(people.bruno).get(URL)

    assert response.status_code == 200
    rows = [
        (
            s.name,
            s.status,
            s.current_version.number if s.current_version else None,
            s.response_count,
        )
        for s in response.context["surveys"]
    ]
    assert rows == [("Atención", "draft", None, 0), ("Tu visita", "live", 1, 2)]
    assert f'href="{reverse("surveys:edit", args=[live.pk])}"' in response.content.decode()


def test_the_list_reads_a_fixed_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries: object
) -> None:
    for number in range(12):
        survey = published_survey(unit=org.bilbao, slug=f"s-{number}", name=f"Encuesta {number}")
        answered(survey, org.bilbao, {"nps": 9, "csat": 5})
    client = client_for(people.bruno)

    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(URL)

    assert len(response.context["surveys"]) == 12


def test_only_people_who_manage_surveys_see_the_list(people: People) -> None:
    assert client_for(people.carmen).get(URL).status_code == 403
    assert client_for(people.fernando).get(URL).status_code == 403
    assert client_for(people.nadie).get(URL).status_code == 403
    assert client_for(people.bruno).get(URL).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(db: None) -> None:
    from django.test import Client

    response = Client().get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_main_navigation_links_surveys_to_builders_and_responses_to_readers(
    people: People,
) -> None:
    home = reverse("core:home")

    builder = client_for(people.bruno).get(home).content.decode()
    reader = client_for(people.fernando).get(home).content.decode()
    nobody = client_for(people.nadie).get(home).content.decode()

    assert f'<a href="{URL}">' in builder
    assert f'<a href="{reverse("surveys:responses")}">' in reader
    assert "/surveys/" not in nobody
