"""One response (surveys:response): answers with their questions, context, scope."""

from typing import Any

from django.urls import reverse

from vinculo.accounts.actors import SYSTEM
from vinculo.customers.services import create_customer
from vinculo.surveys.choices import Collector
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.services import create_survey, publish, save_draft
from vinculo.surveys.submission import Respondent, answer_page
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered, english_client, live_version
from vinculo.test import Org, People, client_for, make_customer


def page(client: Any, response_id: int) -> Any:
    return client.get(reverse("surveys:response", args=[response_id]))


def test_every_question_shows_its_answer_in_the_page_language_with_its_unit_filled_in(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.company)
    response = answered(survey, org.bilbao, {"nps": 4, "csat": 2, "mejora": "Más cajas abiertas"})

    result = page(english_client(people.bruno), response.pk)

    lines = [(line.question.key, line.text, line.label) for line in result.context["detail"].lines]
    assert lines == [
        ("nps", "Would you recommend Bilbao Centro to a friend?", "4"),
        ("csat", "How satisfied are you?", "2"),
        ("mejora", "What could we improve at Bilbao Centro?", "Más cajas abiertas"),
        ("gusto", "What did you like most?", ""),
    ]
    html = result.content.decode()
    assert "not answered" in html
    assert result.context["detail"].scores == {"nps": 4, "csat": 2}


def test_the_page_says_who_where_how_and_which_version(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    ana = make_customer("Ana Ruiz", email="ana@example.com")
    response = answered(
        survey,
        org.bilbao,
        {"nps": 9, "csat": 5},
        customer=ana,
        collector=Collector.PHONE,
        language="en",
    )

    html = page(english_client(people.bruno), response.pk).content.decode()

    assert f'<a href="{reverse("customers:detail", args=[ana.pk])}">Ana Ruiz</a>' in html
    for shown in ("Bilbao Centro", "bilbao-centro", "Phone interview", "EN", "Completed"):
        assert shown in html


def test_a_customer_the_reader_may_not_see_is_named_by_id_without_a_link(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.company)
    ana = create_customer(
        identities={"email": "ana@example.com"}, name="Ana Ruiz", home_unit_id=org.sevilla.pk
    )
    who = Respondent(
        survey=survey,
        version=live_version(survey),
        unit=org.bilbao,
        collector="link",
        language="es",
        customer=ana,
    )
    started = answer_page(
        respondent=who, idempotency_key="k", page=1, raw={"nps": 6, "csat": 3}
    ).response

    result = page(english_client(people.diego), started.pk)

    assert not result.context["detail"].customer_visible
    html = result.content.decode()
    assert f"Customer #{ana.pk}" in html
    assert "Ana Ruiz" not in html
    assert "not completed" in html


def test_choices_matrix_and_yes_no_answers_read_as_labels(org: Org, people: People) -> None:
    survey = create_survey(
        actor=SYSTEM, name="Tienda", slug="tienda", unit=org.company, languages=["es", "en"]
    )
    options = [
        {"code": "precio", "label": {"es": "Precio", "en": "Price"}},
        {"code": "trato", "label": {"es": "Trato", "en": "Service"}},
    ]
    save_draft(
        survey=survey,
        definition=SurveyDefinition.model_validate(
            {
                "title": {"es": "T", "en": "T"},
                "questions": [
                    {
                        "key": "motivos",
                        "kind": "multiple_choice",
                        "text": {"es": "¿Por qué?", "en": "Why?"},
                        "options": options,
                    },
                    {
                        "key": "volveria",
                        "kind": "yes_no",
                        "text": {"es": "¿Volverías?", "en": "Back?"},
                    },
                    {
                        "key": "escala",
                        "kind": "matrix",
                        "text": {"es": "Valora", "en": "Rate"},
                        "options": [
                            {"code": "mal", "label": {"es": "Mal", "en": "Bad"}},
                            {"code": "bien", "label": {"es": "Bien", "en": "Good"}},
                        ],
                        "rows": [
                            {"code": "limpieza", "label": {"es": "Limpieza", "en": "Cleanliness"}}
                        ],
                    },
                ],
            }
        ),
    )
    publish(survey=survey)
    survey.refresh_from_db()
    response = answered(
        survey,
        org.bilbao,
        {"motivos": ["trato", "precio"], "volveria": "yes", "escala": {"limpieza": "bien"}},
    )

    result = page(english_client(people.bruno), response.pk)

    labels = {line.question.key: line.label for line in result.context["detail"].lines}
    assert labels == {"motivos": "Service; Price", "volveria": "Yes", "escala": "Cleanliness: Good"}


def test_a_response_outside_the_managers_units_is_not_found(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    sevilla = answered(survey, org.sevilla, {"nps": 3, "csat": 2})
    bilbao = answered(survey, org.bilbao, {"nps": 9, "csat": 5})

    assert page(client_for(people.carmen), sevilla.pk).status_code == 404
    assert page(client_for(people.carmen), bilbao.pk).status_code == 200
    assert page(client_for(people.gabriel), sevilla.pk).status_code == 200


def test_reading_a_response_needs_the_permission_to_view_responses(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.company)
    response = answered(survey, org.bilbao, {"nps": 9, "csat": 5})

    assert page(client_for(people.nadie), response.pk).status_code == 403
    assert page(client_for(people.fernando), response.pk).status_code == 200
    assert page(client_for(people.bruno), 99999).status_code == 404
