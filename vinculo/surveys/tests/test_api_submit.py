"""POST /api/v1/surveys/{id}/responses: responses from an IVR, a CRM or any other system."""

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_api_key
from vinculo.customers.models import Customer
from vinculo.journeys.models import Interaction
from vinculo.surveys.choices import Collector, ResponseStatus
from vinculo.surveys.models import Response
from vinculo.surveys.services import set_status
from vinculo.surveys.testing import published_survey
from vinculo.test import Org, People, add_interaction, at, client_for, make_customer


def key_client(scopes: tuple[str, ...] = ("responses.enter",), unit: Unit | None = None) -> Client:
    _key, token = create_api_key(name="ivr", scopes=list(scopes), created_by=None, unit=unit)
    return Client(headers={"Authorization": f"Bearer {token}"})


def submit(client: Client, survey_id: int, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(
        f"/api/v1/surveys/{survey_id}/responses", body, content_type="application/json", **headers
    )


def call(key: str = "call-0001", **extra: Any) -> dict[str, Any]:
    return {"idempotency_key": key, "answers": {"nps": 9, "csat": 4}, **extra}


def test_an_ivr_stores_a_phone_interview_for_a_known_customer(
    org: Org, django_assert_max_num_queries: Any
) -> None:
    survey = published_survey(unit=org.company)
    ana = make_customer("Ana", phone="600112233")
    client = key_client()

    with django_assert_max_num_queries(45):  # identity resolution, answers, timeline row
        created = submit(
            client,
            survey.pk,
            call(
                customer={"identities": {"phone": "+34 600 11 22 33"}},
                unit="bilbao-centro",
                collector="phone",
                started_at="2026-03-01T10:00:00+01:00",
                completed_at="2026-03-01T10:04:00+01:00",
            ),
        )

    assert created.status_code == 201
    response = Response.objects.get()
    body = created.json()
    assert body["id"] == response.pk
    assert {k: body[k] for k in ("survey", "customer", "unit", "collector", "channel")} == {
        "survey": survey.pk,
        "customer": ana.pk,
        "unit": "bilbao-centro",
        "collector": "phone",
        "channel": "call_centre",
    }
    assert body["replayed"] is False
    assert response.status == ResponseStatus.COMPLETE
    assert response.idempotency_key == "api:call-0001"
    assert (response.started_at, response.completed_at) == (
        at("2026-03-01 10:00"),
        at("2026-03-01 10:04"),
    )
    row = Interaction.objects.get(record_kind="survey_response", record_id=response.pk)
    assert (row.customer, row.occurred_at) == (ana, at("2026-03-01 10:04"))


def test_a_retry_with_the_same_key_answers_200_with_the_same_response(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    client = key_client()

    first, again = submit(client, survey.pk, call()), submit(client, survey.pk, call())

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["replayed"] is True
    assert Response.objects.count() == 1


def test_unknown_identities_create_a_prospect_in_the_responses_unit(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)

    created = submit(
        key_client(unit=org.norte),
        survey.pk,
        call(customer={"identities": [{"kind": "email", "value": "Nuevo@Example.com"}]}),
    )

    assert created.status_code == 201
    prospect = Customer.objects.get()
    assert created.json()["customer"] == prospect.pk
    assert prospect.identities.get().value == "nuevo@example.com"
    assert (prospect.lifecycle_stage, prospect.home_unit) == ("prospect", org.bilbao)


def test_invalid_answers_name_the_question_and_leave_no_prospect_behind(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)

    refused = submit(
        key_client(),
        survey.pk,
        {
            "idempotency_key": "call-1",
            "answers": {"nps": 11},
            "customer": {"identities": {"email": "nuevo@example.com"}},
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert refused.status_code == 422
    errors = {e["field"]: (e["type"], e["msg"]) for e in refused.json()["detail"]}
    assert errors == {
        "answers.nps": (
            "out_of_range",
            "“Would you recommend Bilbao Centro to a friend?”: choose a value from 0 to 10.",
        ),
        "answers.csat": ("required", "“How satisfied are you?” needs an answer."),
    }
    assert not Response.objects.exists()
    assert not Customer.objects.exists()


def test_errors_are_in_spanish_for_a_spanish_caller(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)

    refused = submit(
        key_client(),
        survey.pk,
        {"idempotency_key": "call-1", "answers": {"nps": 5}},
        HTTP_ACCEPT_LANGUAGE="es",
    )

    with translation.override("es"):
        expected = translation.gettext("“%(question)s” needs an answer.") % {
            "question": "¿Qué tal te atendimos?"
        }
    [error] = refused.json()["detail"]
    assert (error["field"], error["msg"]) == ("answers.csat", expected)


def test_a_closed_survey_answers_409(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    set_status(survey=survey, status="closed")

    refused = submit(key_client(), survey.pk, call(), HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 409
    assert refused.json()["detail"] == "This survey is closed: it takes no more answers."
    assert not Response.objects.exists()


@pytest.mark.parametrize(("name", "status"), [("elena", 201), ("diego", 201), ("fernando", 403)])
def test_people_who_enter_responses_may_submit_with_their_session(
    org: Org, people: People, name: str, status: int
) -> None:
    survey = published_survey(unit=org.bilbao)
    client = client_for(people.by_name(name))
    client.get("/")  # the CSRF cookie the UI's own calls send back
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""

    answer = submit(client, survey.pk, call(), HTTP_X_CSRFTOKEN=token)

    assert answer.status_code == status
    if status == 201:
        assert Response.objects.get().entered_by == people.by_name(name)


def test_a_key_without_the_permission_to_enter_responses_gets_403(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)

    refused = submit(key_client(scopes=("responses.view",)), survey.pk, call())

    assert refused.status_code == 403
    assert submit(Client(), survey.pk, call()).status_code == 401


def test_the_unit_must_be_within_the_callers_units(org: Org) -> None:
    survey = published_survey(unit=org.company)
    bilbao_key = key_client(unit=org.bilbao)

    elsewhere = submit(bilbao_key, survey.pk, call(unit="sevilla-nervion"))
    by_id = submit(bilbao_key, survey.pk, call(unit=org.sevilla.pk))
    default = submit(bilbao_key, survey.pk, call())  # the survey's unit is the company
    own = submit(bilbao_key, survey.pk, call(unit=org.bilbao.pk))

    assert [r.status_code for r in (elsewhere, by_id, default)] == [422, 422, 422]
    assert elsewhere.json()["detail"][0]["field"] == "unit"
    assert default.json()["detail"][0]["type"] == "unit_required"
    assert own.status_code == 201


def test_a_customer_outside_the_callers_units_is_not_found(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    rocio = make_customer("Rocío", email="rocio@example.com")
    add_interaction(rocio, org.sevilla)
    bilbao_key = key_client(unit=org.bilbao)

    by_id = submit(bilbao_key, survey.pk, call(customer={"id": rocio.pk}))
    by_identity = submit(
        bilbao_key,
        survey.pk,
        call("call-2", customer={"identities": {"email": "rocio@example.com"}}),
    )

    assert (by_id.status_code, by_identity.status_code) == (404, 404)
    assert not Response.objects.exists()


def test_an_unknown_survey_is_not_found(org: Org) -> None:
    assert submit(key_client(), 999, call()).status_code == 404


def test_touchpoint_channel_and_language_are_checked_and_named(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)

    refused = submit(
        key_client(),
        survey.pk,
        call(touchpoint=999, channel="paloma", language="fr", collector="in_person"),
    )
    both = submit(
        key_client(), survey.pk, call(customer={"id": 1, "identities": {"email": "a@b.es"}})
    )

    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["detail"]} == {"touchpoint", "channel", "language"}
    assert both.status_code == 422
    assert not Response.objects.exists()


def test_a_named_channel_and_collector_are_stored(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)

    submit(key_client(), survey.pk, call(channel="whatsapp", collector="in_person", language="en"))

    response = Response.objects.get()
    assert (response.channel.code, response.collector, response.language) == (
        "whatsapp",
        Collector.IN_PERSON,
        "en",
    )


def test_an_interview_cannot_end_in_the_future_or_before_it_starts(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)

    refused = submit(
        key_client(),
        survey.pk,
        call(started_at="2099-01-01T10:00:00Z", completed_at="2099-01-01T09:00:00Z"),
    )

    assert {e["field"] for e in refused.json()["detail"]} == {"completed_at", "started_at"}
