"""POST /api/v1/public/surveys/{slug}/responses: the widget stores a whole response."""

import time
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.utils import translation

from vinculo.journeys.models import Interaction
from vinculo.surveys.choices import Collector, ResponseStatus
from vinculo.surveys.models import Answer, Response
from vinculo.surveys.services import set_status
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tokens import unit_token
from vinculo.surveys.widgetauth import identity_token
from vinculo.test import Org, make_customer

URL = "/api/v1/public/surveys/tu-visita"
ORIGIN = "https://tienda.example"


def widget() -> Client:
    """A browser on another site: it sends an Origin and never a cookie."""
    return Client(HTTP_ORIGIN=ORIGIN)


def key_for(client: Client, **query: Any) -> str:
    key: str = client.get(URL, query).json()["idempotency_key"]
    return key


def send(client: Client, body: dict[str, Any]) -> Any:
    return client.post(f"{URL}/responses", body, content_type="application/json")


def test_a_valid_response_is_stored_with_collector_widget(
    org: Org, django_assert_max_num_queries: Any
) -> None:
    published_survey(unit=org.bilbao)
    client = widget()
    key = key_for(client, lang="es")

    with django_assert_max_num_queries(8):  # survey, channel, response, answers
        stored = send(
            client,
            {
                "idempotency_key": key,
                "answers": {"nps": 10, "csat": 5, "gusto": "La rapidez"},
                "language": "es",
                "page_url": "https://tienda.example/pedido/123/gracias",
            },
        )

    assert stored.status_code == 201
    assert stored["Access-Control-Allow-Origin"] == "*"
    response = Response.objects.get()
    assert stored.json() == {
        "id": response.pk,
        "replayed": False,
        "thank_you": "¡Gracias por ayudarnos!",
    }
    assert (response.collector, response.channel.code) == (Collector.WIDGET, "web")
    assert (response.unit, response.customer, response.language) == (org.bilbao, None, "es")
    assert response.status == ResponseStatus.COMPLETE
    assert response.idempotency_key == "widget:" + signing.Signer(
        salt="vinculo.surveys.widget-key"
    ).unsign(key)
    answers = {a.question.key: (a.number, a.text) for a in response.answers.all()}
    assert answers == {"nps": (10, ""), "csat": (5, ""), "gusto": (None, "La rapidez")}


def test_answers_to_hidden_questions_are_ignored(org: Org) -> None:
    published_survey(unit=org.bilbao)
    client = widget()

    send(
        client,
        {"idempotency_key": key_for(client), "answers": {"nps": 3, "csat": 1, "gusto": "x"}},
    )

    assert list(
        Answer.objects.values_list("question__key", flat=True).order_by("question__position")
    ) == ["nps", "csat"]


def test_a_replay_answers_200_with_the_same_id_and_stores_nothing_more(org: Org) -> None:
    published_survey(unit=org.bilbao)
    client = widget()
    body = {"idempotency_key": key_for(client), "answers": {"nps": 7, "csat": 4}}

    first, again = send(client, body), send(client, body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["replayed"] is True
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "nps", "csat"),
    [
        ("es", "¿Recomendarías Bilbao Centro a un amigo?", "¿Qué tal te atendimos?"),
        ("en", "Would you recommend Bilbao Centro to a friend?", "How satisfied are you?"),
    ],
)
def test_invalid_answers_are_named_in_the_language_of_the_response_and_nothing_is_stored(
    org: Org, language: str, nps: str, csat: str
) -> None:
    published_survey(unit=org.bilbao)
    client = widget()

    refused = send(
        client,
        {"idempotency_key": key_for(client), "answers": {"nps": 11}, "language": language},
    )

    assert refused.status_code == 422
    assert refused["Access-Control-Allow-Origin"] == "*"
    with translation.override(language):
        out_of_range = translation.gettext(
            "“%(question)s”: choose a value from %(min)s to %(max)s."
        ) % {"question": nps, "min": 0, "max": 10}
        required = translation.gettext("“%(question)s” needs an answer.") % {"question": csat}
        summary = translation.gettext("Some answers need a look.")
    assert refused.json() == {
        "code": "invalid_answers",
        "detail": summary,
        "errors": [
            {"question": "nps", "code": "out_of_range", "message": out_of_range},
            {"question": "csat", "code": "required", "message": required},
        ],
    }
    assert not Response.objects.exists()


def test_an_answer_to_no_question_of_the_survey_is_named(org: Org) -> None:
    published_survey(unit=org.bilbao)
    client = widget()

    refused = send(
        client,
        {"idempotency_key": key_for(client), "answers": {"nps": 9, "csat": 4, "color": "azul"}},
    )

    assert refused.status_code == 422
    assert [(e["question"], e["code"]) for e in refused.json()["errors"]] == [
        ("color", "unknown_question")
    ]


def test_a_key_we_did_not_hand_out_is_refused(org: Org) -> None:
    published_survey(unit=org.bilbao)

    refused = send(widget(), {"idempotency_key": "api:ivr-1", "answers": {"nps": 9, "csat": 4}})

    assert refused.status_code == 400
    assert refused.json()["code"] == "bad_form"
    assert not Response.objects.exists()


def test_an_identity_token_ties_the_response_to_the_customer_and_their_timeline(
    org: Org,
) -> None:
    published_survey(unit=org.bilbao)
    ana = make_customer("Ana", email="ana@example.com")
    client = widget()
    token = identity_token(ana.pk, ttl_minutes=30)

    stored = send(
        client,
        {"idempotency_key": key_for(client), "answers": {"nps": 6, "csat": 3}, "identity": token},
    )

    assert stored.status_code == 201
    response = Response.objects.get()
    assert response.customer == ana
    row = Interaction.objects.get(customer=ana)
    assert (row.record_kind, row.record_id) == ("survey_response", response.pk)
    assert row.attributes == {"survey": "Tu visita", "nps": 6, "csat": 3}


def test_an_altered_identity_token_stores_nothing(org: Org) -> None:
    published_survey(unit=org.bilbao)
    ana = make_customer("Ana", email="ana@example.com")
    other = make_customer("Berta", email="berta@example.com")
    client = widget()
    token = identity_token(ana.pk).replace(
        signing.b62_encode(ana.pk), signing.b62_encode(other.pk), 1
    )

    refused = send(
        client,
        {
            "idempotency_key": key_for(client),
            "answers": {"nps": 6, "csat": 3},
            "identity": token,
            "language": "en",
        },
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "code": "identity_tampered",
        "detail": "The identity token is not valid: it was changed or is not one of ours.",
    }
    assert not Response.objects.exists()


def test_an_expired_identity_token_stores_nothing(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    published_survey(unit=org.bilbao)
    ana = make_customer("Ana", email="ana@example.com")
    client = widget()
    signed_at = time.time() - 31 * 60
    with monkeypatch.context() as past:
        past.setattr("django.core.signing.time.time", lambda: signed_at)
        token = identity_token(ana.pk, ttl_minutes=30)

    refused = send(
        client,
        {
            "idempotency_key": key_for(client),
            "answers": {"nps": 6, "csat": 3},
            "identity": token,
            "language": "en",
        },
    )

    assert refused.status_code == 400
    assert refused.json()["code"] == "identity_expired"
    assert "has expired" in refused.json()["detail"]
    assert not Response.objects.exists()


def test_a_unit_token_lands_the_answer_on_that_store(org: Org) -> None:
    published_survey(unit=org.company)
    client = widget()

    send(
        client,
        {
            "idempotency_key": key_for(client),
            "answers": {"nps": 8, "csat": 4},
            "unit": unit_token(org.santander),
        },
    )
    refused = send(
        client,
        {"idempotency_key": key_for(client), "answers": {"nps": 8, "csat": 4}, "unit": "x:y"},
    )

    assert Response.objects.get().unit == org.santander
    assert refused.status_code == 400


def test_a_closed_survey_refuses_politely(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    client = widget()
    key = key_for(client)
    set_status(survey=survey, status="closed")

    refused = send(
        client, {"idempotency_key": key, "answers": {"nps": 8, "csat": 4}, "language": "en"}
    )

    assert refused.status_code == 410
    assert refused.json()["code"] == "survey_closed"
    assert not Response.objects.exists()


def test_too_many_responses_from_one_address_get_429(org: Org, settings: Any) -> None:
    settings.SURVEY_SUBMIT_RATE_LIMIT = 2
    published_survey(unit=org.bilbao)
    client = widget()
    keys = [key_for(client) for _ in range(3)]

    statuses = [
        send(client, {"idempotency_key": key, "answers": {"nps": 8, "csat": 4}}).status_code
        for key in keys
    ]
    limited = send(client, {"idempotency_key": keys[2], "answers": {"nps": 8, "csat": 4}})

    assert statuses == [201, 201, 429]
    assert limited["Access-Control-Allow-Origin"] == "*"
    assert limited.json()["code"] == "too_many"
    assert Response.objects.count() == 2


def test_a_site_that_is_not_listed_may_not_post(org: Org, settings: Any) -> None:
    settings.SURVEY_WIDGET_ORIGINS = ["https://tienda.example"]
    published_survey(unit=org.bilbao)
    listed, other = widget(), Client(HTTP_ORIGIN="https://evil.example")

    allowed = send(listed, {"idempotency_key": key_for(listed), "answers": {"nps": 8, "csat": 4}})
    refused = send(other, {"idempotency_key": key_for(other), "answers": {"nps": 8, "csat": 4}})

    assert allowed.status_code == 201
    assert allowed["Access-Control-Allow-Origin"] == ORIGIN
    assert refused.status_code == 403
    assert Response.objects.count() == 1


def test_a_malformed_body_still_gets_cors_headers_so_the_widget_can_read_it(org: Org) -> None:
    published_survey(unit=org.bilbao)

    refused = send(widget(), {"answers": "no"})

    assert refused.status_code == 422
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert {e["field"] for e in refused.json()["detail"]} == {"idempotency_key", "answers"}
