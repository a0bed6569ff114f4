"""GET/PUT /api/v1/surveys/{id}/draft: the definition document, and 422s that name the field."""

import copy
from typing import Any

from django.test import Client

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.services import create_api_key
from vinculo.surveys import services
from vinculo.surveys.testing import NPS_CSAT_TEXT, published_survey
from vinculo.test import Org


def key_client(scopes: list[str] | None = None) -> Client:
    _key, token = create_api_key(name="b", scopes=scopes or ["surveys.manage"], created_by=None)
    return Client(headers={"Authorization": f"Bearer {token}"})


def put(client: Client, survey_id: int, body: Any) -> Any:
    """PUT in English: the messages are compared with the English source texts."""
    return client.put(
        f"/api/v1/surveys/{survey_id}/draft",
        body,
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )


def test_the_draft_of_a_live_survey_without_changes_is_its_published_definition(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)

    response = key_client().get(f"/api/v1/surveys/{survey.pk}/draft")

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == NPS_CSAT_TEXT["title"]
    assert [q["key"] for q in data["questions"]] == ["nps", "csat", "mejora", "gusto"]
    assert data["questions"][2]["show_if"] == {"question": "nps", "op": "lte", "value": 8}
    assert survey.versions.count() == 1  # reading opened no draft


def test_saving_the_draft_of_a_live_survey_makes_version_two_and_leaves_version_one(
    org: Org,
) -> None:
    survey = published_survey(unit=org.bilbao)
    body = copy.deepcopy(NPS_CSAT_TEXT)
    body["questions"][1]["text"] = {"es": "¿Cómo te atendimos?", "en": "How did we do?"}

    response = put(key_client(), survey.pk, body)

    assert response.status_code == 200
    assert response.json()["questions"][1]["text"]["en"] == "How did we do?"
    draft = survey.versions.get(published_at__isnull=True)
    assert draft.number == 2
    assert survey.versions.get(number=1).questions.get(key="csat").text["en"] == (
        "How satisfied are you?"
    )


def test_a_definition_error_answers_422_with_the_path_of_the_field(org: Org) -> None:
    survey = services.create_survey(
        actor=SYSTEM, name="T", slug="t", unit=org.bilbao, languages=["es", "en"]
    )
    body = {
        "title": {"es": "T", "en": "T"},
        "questions": [
            {"key": "nps", "kind": "nps", "text": {"es": "¿?", "en": "?"}},
            {
                "key": "motivo",
                "kind": "single_choice",
                "text": {"es": "¿Por qué?", "en": "Why?"},
                "options": [{"code": "a", "label": {"es": "A", "en": "A"}}],
            },
        ],
    }

    response = put(key_client(), survey.pk, body)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "questions[1].options"
    assert error["loc"] == ["body", "questions", 1, "options"]
    assert error["type"] == "invalid_definition"
    assert error["msg"] == "This kind of question needs two options or more."
    assert services.definition_of(services.draft_of(survey)).questions == []


def test_a_missing_translation_names_the_option_label(org: Org) -> None:
    survey = services.create_survey(
        actor=SYSTEM, name="T", slug="t", unit=org.bilbao, languages=["es", "en"]
    )
    options = [
        {"code": "a", "label": {"es": "A", "en": "A"}},
        {"code": "b", "label": {"es": "B"}},
    ]
    body = {
        "title": {"es": "T", "en": "T"},
        "questions": [
            {"key": "m", "kind": "dropdown", "text": {"es": "¿?", "en": "?"}, "options": options}
        ],
    }

    response = put(key_client(), survey.pk, body)

    [error] = response.json()["detail"]
    assert error["field"] == "questions[0].options[1].label"
    assert error["msg"] == "Line 2: Write this text in: English."


def test_a_badly_shaped_document_gets_the_schema_422(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    body = copy.deepcopy(NPS_CSAT_TEXT)
    body["questions"][0]["kind"] = "telepathy"

    response = put(key_client(), survey.pk, body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "questions[0].kind"


def test_the_draft_needs_the_permission_to_manage_surveys(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    reader = key_client(["responses.view"])

    assert reader.get(f"/api/v1/surveys/{survey.pk}/draft").status_code == 403
    assert put(reader, survey.pk, NPS_CSAT_TEXT).status_code == 403
    assert survey.versions.count() == 1
