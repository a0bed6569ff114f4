"""POST /api/v1/surveys/{id}/publish, /close, /reopen and GET /surveys/{id}/versions/{n}."""

import copy
from typing import Any

from django.test import Client

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.services import create_api_key
from vinculo.surveys import services
from vinculo.surveys.testing import NPS_CSAT_TEXT, published_survey
from vinculo.surveys.tests.responses_helpers import answered
from vinculo.test import Org

URL = "/api/v1/surveys"


def key_client(scopes: list[str] | None = None) -> Client:
    _key, token = create_api_key(name="b", scopes=scopes or ["surveys.manage"], created_by=None)
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def post(client: Client, path: str) -> Any:
    return client.post(f"{URL}{path}", content_type="application/json")


def test_publishing_an_edited_live_survey_makes_version_two(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    answered(survey, org.bilbao, {"nps": 9, "csat": 5})
    client = key_client()
    body = copy.deepcopy(NPS_CSAT_TEXT)
    body["title"] = {"es": "Tu visita de hoy", "en": "Your visit today"}
    client.put(f"{URL}/{survey.pk}/draft", body, content_type="application/json")

    response = post(client, f"/{survey.pk}/publish")

    assert response.status_code == 200
    data = response.json()
    assert (data["number"], data["responses"]) == (2, 0)
    assert data["definition"]["title"]["en"] == "Your visit today"
    first = client.get(f"{URL}/{survey.pk}/versions/1").json()
    assert (first["responses"], first["definition"]["title"]["en"]) == (1, "Your visit")
    assert client.get(f"{URL}/{survey.pk}").json()["published_version"] == 2


def test_nothing_to_publish_is_a_409_with_its_code(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)

    response = post(key_client(), f"/{survey.pk}/publish")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "There are no changes to publish.",
        "code": "nothing_to_publish",
    }


def test_a_live_survey_is_closed_and_reopened(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    client = key_client()

    closed = post(client, f"/{survey.pk}/close")
    reopened = post(client, f"/{survey.pk}/reopen")

    assert closed.json()["status"] == "closed"
    assert reopened.json()["status"] == "live"


def test_a_survey_never_published_cannot_be_reopened(org: Org) -> None:
    survey = services.create_survey(actor=SYSTEM, name="T", slug="t", unit=org.bilbao)

    response = post(key_client(), f"/{survey.pk}/reopen")

    assert response.status_code == 409
    assert response.json()["code"] == "never_published"


def test_a_version_that_was_not_published_is_not_found(org: Org) -> None:
    survey = services.create_survey(actor=SYSTEM, name="T", slug="t", unit=org.bilbao)

    assert key_client().get(f"{URL}/{survey.pk}/versions/1").status_code == 404
    assert key_client().get(f"{URL}/{survey.pk}/versions/7").status_code == 404


def test_publishing_needs_the_permission_to_manage_surveys(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    reader = key_client(["responses.view", "responses.export"])

    assert post(reader, f"/{survey.pk}/close").status_code == 403
    assert post(reader, f"/{survey.pk}/publish").status_code == 403
    assert reader.get(f"{URL}/{survey.pk}/versions/1").status_code == 403
    survey.refresh_from_db()
    assert survey.status == "live"
