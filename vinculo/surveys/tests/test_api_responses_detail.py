"""GET /api/v1/surveys/responses/{id}: typed answers, scope."""

from django.test import Client

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_api_key
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.services import create_survey, publish, save_draft
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered
from vinculo.test import Org, People, client_for


def key_client(unit: Unit | None = None) -> Client:
    _key, token = create_api_key(name="crm", scopes=["responses.view"], created_by=None, unit=unit)
    return Client(headers={"Authorization": f"Bearer {token}"})


def url(response_id: int) -> str:
    return f"/api/v1/surveys/responses/{response_id}"


def test_answers_are_typed_per_question_key_in_question_order(org: Org) -> None:
    survey = create_survey(actor=SYSTEM, name="T", slug="t", unit=org.company, languages=["es"])
    save_draft(
        survey=survey,
        definition=SurveyDefinition.model_validate(
            {
                "title": {"es": "T"},
                "questions": [
                    {"key": "nps", "kind": "nps", "text": {"es": "¿?"}},
                    {
                        "key": "escala",
                        "kind": "matrix",
                        "text": {"es": "Valora"},
                        "options": [
                            {"code": "mal", "label": {"es": "Mal"}},
                            {"code": "bien", "label": {"es": "Bien"}},
                        ],
                        "rows": [
                            {"code": "limpieza", "label": {"es": "Limpieza"}},
                            {"code": "espera", "label": {"es": "Espera"}},
                        ],
                    },
                    {"key": "cuando", "kind": "date", "text": {"es": "¿Cuándo?"}},
                    {"key": "comentario", "kind": "short_text", "text": {"es": "¿Algo más?"}},
                ],
            }
        ),
    )
    publish(survey=survey)
    survey.refresh_from_db()
    response = answered(
        survey,
        org.bilbao,
        {
            "nps": 8,
            "escala": {"limpieza": "bien", "espera": "mal"},
            "cuando": "2026-03-02",
            "comentario": "Todo bien",
        },
    )

    data = key_client().get(url(response.pk)).json()

    assert data["id"] == response.pk
    assert data["invitation"] is None and data["invitation_status"] is None
    assert data["scores"] == {"nps": 8}
    answers = [
        (a["question"], a["kind"], a["row"], a["number"], a["text"], a["choices"], a["date"])
        for a in data["answers"]
    ]
    assert answers == [
        ("nps", "nps", "", 8, "", None, None),
        ("escala", "matrix", "espera", 1, "", ["mal"], None),
        ("escala", "matrix", "limpieza", 2, "", ["bien"], None),
        ("cuando", "date", "", None, "", None, "2026-03-02"),
        ("comentario", "short_text", "", None, "Todo bien", None, None),
    ]


def test_a_response_outside_the_callers_units_is_not_found(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    sevilla = answered(survey, org.sevilla, {"nps": 3, "csat": 2})

    assert key_client(unit=org.norte).get(url(sevilla.pk)).status_code == 404
    assert client_for(people.carmen).get(url(sevilla.pk)).status_code == 404
    assert client_for(people.gabriel).get(url(sevilla.pk)).status_code == 200
    assert key_client().get(url(99999)).status_code == 404


def test_reading_a_response_needs_the_view_permission(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    response = answered(survey, org.bilbao, {"nps": 3, "csat": 2})

    assert client_for(people.nadie).get(url(response.pk)).status_code == 403
