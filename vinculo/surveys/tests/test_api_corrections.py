"""Correcting and deleting responses over the API: checked like a submission, audited,
followed by the metrics and the timeline."""

import pytest

from vinculo.journeys.models import Interaction
from vinculo.metrics.models import ScoreCube
from vinculo.metrics.testing import answer, folded
from vinculo.surveys.models import Response, ResponseChange
from vinculo.surveys.testing import published_survey
from vinculo.test import at, client_for, make_customer

R = "/api/v1/surveys/responses"
ONE_PAGE = {
    "title": {"es": "Entrevista"},
    "questions": [
        {"key": "nps", "kind": "nps", "required": True, "text": {"es": "¿Nos recomendarías?"}},
        {"key": "csat", "kind": "csat", "text": {"es": "¿Satisfecho?"}},
    ],
}


@pytest.fixture
def response(org):
    survey = published_survey(
        unit=org.company, slug="entrevista", definition=ONE_PAGE, languages=["es"]
    )
    customer = make_customer("Lucía", email="lucia@example.com")
    stored = answer(survey, org.bilbao, at("2026-03-10 12:00"), customer=customer, nps=2, csat=1)
    folded()
    return stored


def nps_total(unit):
    return [(c.n, c.total) for c in ScoreCube.objects.filter(unit_id=unit.pk, grain="m", dim="")]


def test_a_correction_changes_the_answer_the_unit_the_metrics_and_the_timeline(
    response, people, org
):
    client = client_for(people.bruno)

    corrected = client.patch(
        f"{R}/{response.pk}",
        {"answers": {"nps": 9}, "unit": "sevilla-nervion", "reason": "Tecleado mal"},
        content_type="application/json",
    )
    folded()

    assert corrected.status_code == 200
    body = corrected.json()
    assert body["unit"] == "sevilla-nervion"
    assert {a["question"]: a["number"] for a in body["answers"]} == {"nps": 9, "csat": 1}
    assert nps_total(org.bilbao) == []
    assert sorted(nps_total(org.sevilla)) == [(1, 1), (1, 9)]  # csat 1 and nps 9
    timeline = Interaction.objects.get(external_id=f"response-{response.pk}")
    assert timeline.attributes["nps"] == 9 and timeline.unit_id == org.sevilla.pk
    change = ResponseChange.objects.get()
    assert (change.kind, change.actor_label, change.reason) == (
        "corrected",
        "bruno",
        "Tecleado mal",
    )
    assert change.before["answers"] == {"nps": 2, "csat": 1}


def test_an_invalid_correction_names_the_answer_and_changes_nothing(response, people):
    refused = client_for(people.bruno).patch(
        f"{R}/{response.pk}",
        {"answers": {"nps": 11, "otra": 3}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert refused.status_code == 422
    errors = {e["field"]: e["msg"] for e in refused.json()["detail"]}
    assert set(errors) == {"answers.nps", "answers.otra"}
    assert errors["answers.nps"] == "“¿Nos recomendarías?”: elige un valor entre 0 y 10."
    assert response.answers.get(question__key="nps").number == 2
    assert not ResponseChange.objects.exists()


def test_a_deletion_needs_a_reason_and_then_leaves_only_the_audit(response, people, org):
    client = client_for(people.alicia)

    assert client.delete(f"{R}/{response.pk}").status_code == 422
    deleted = client.delete(f"{R}/{response.pk}?reason=Respuesta+de+prueba")
    folded()

    assert deleted.status_code == 204
    assert not Response.objects.filter(pk=response.pk).exists()
    assert not Interaction.objects.filter(external_id=f"response-{response.pk}").exists()
    assert nps_total(org.company) == []
    audit = ResponseChange.objects.get()
    assert (audit.kind, audit.reason, audit.response_ref) == (
        "deleted",
        "Respuesta de prueba",
        response.pk,
    )


def test_a_unit_manager_cannot_correct_and_an_outsider_finds_nothing(response, people):
    assert (
        client_for(people.diego)
        .patch(f"{R}/{response.pk}", {"answers": {"nps": 9}}, content_type="application/json")
        .status_code
        == 403
    )
    assert client_for(people.bruno).delete(f"{R}/999999?reason=nada").status_code == 404
