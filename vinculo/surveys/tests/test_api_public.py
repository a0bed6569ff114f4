"""GET /api/v1/public/surveys/{slug}: the survey as the widget shows it, and CORS."""

from typing import Any

from django.core import signing
from django.test import Client
from django.utils import translation

from vinculo.accounts.actors import SYSTEM
from vinculo.customers.services import create_customer
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.services import create_survey, publish, save_draft, set_status, update_survey
from vinculo.surveys.testing import NPS_CSAT_TEXT, published_survey
from vinculo.surveys.widgetauth import identity_token
from vinculo.test import Org

URL = "/api/v1/public/surveys/tu-visita"
FOR_BUSINESSES = {
    "key": "empresa",
    "kind": "yes_no",
    "page": 2,
    "text": {"es": "¿Lo usas en tu empresa, {{first_name}}?", "en": "Do you use it at work?"},
    "show_if": {"customer": "segment", "op": "eq", "value": "empresa"},
}


def definition(client: Client | None = None, **query: Any) -> Any:
    return (client or Client()).get(URL, query)


def test_the_definition_is_in_the_language_asked_with_texts_piped(org: Org) -> None:
    published_survey(unit=org.bilbao)

    spanish, english = definition(lang="es").json(), definition(lang="en").json()

    assert spanish["language"] == "es"
    assert spanish["title"] == "Tu visita"
    assert spanish["intro"] == "Dos minutos, nada más."
    assert [q["text"] for q in spanish["questions"]] == [
        "¿Recomendarías Bilbao Centro a un amigo?",
        "¿Qué tal te atendimos?",
        "¿Qué podríamos mejorar en Bilbao Centro?",
        "¿Qué es lo que más te gustó?",
    ]
    assert english["title"] == "Your visit"
    assert english["questions"][0]["text"] == "Would you recommend Bilbao Centro to a friend?"
    assert spanish["languages"] == [
        {"code": "es", "name": "Español"},
        {"code": "en", "name": "English"},
    ]
    with translation.override("en"):
        assert english["labels"]["send"] == translation.gettext("Send")
    with translation.override("es"):
        assert spanish["labels"]["send"] == translation.gettext("Send")


def test_without_lang_the_browser_language_wins_and_unknown_languages_fall_back(
    org: Org,
) -> None:
    published_survey(unit=org.bilbao)

    from_browser = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get(URL).json()
    unknown = definition(lang="fr").json()

    assert from_browser["language"] == "en"
    assert unknown["language"] == "es"  # the survey's default


def test_questions_carry_scales_options_pages_conditions_and_skip_rules(org: Org) -> None:
    published_survey(unit=org.bilbao)

    body = definition(lang="es").json()

    nps, csat, mejora, gusto = body["questions"]
    assert [c["value"] for c in nps["choices"]] == [str(n) for n in range(11)]
    assert [c["value"] for c in csat["choices"]] == ["1", "2", "3", "4", "5"]
    assert (nps["page"], nps["required"], nps["show_if"]) == (1, True, None)
    assert mejora["show_if"] == {"question": "nps", "op": "lte", "value": 8}
    assert gusto["show_if"] == {"question": "nps", "op": "gte", "value": 9}
    assert body["pages"] == [1, 2]
    assert body["skip_rules"] == []
    with translation.override("es"):
        expected = translation.gettext("“%(question)s” needs an answer.") % {
            "question": "¿Qué tal te atendimos?"
        }
    assert csat["required_message"] == expected


def test_conditions_on_the_customer_are_decided_by_the_server(org: Org) -> None:
    published_survey(
        unit=org.bilbao,
        definition={**NPS_CSAT_TEXT, "questions": [*NPS_CSAT_TEXT["questions"], FOR_BUSINESSES]},
    )
    empresa = create_customer(
        identities={"email": "marta@acme.example"}, name="Marta Gil", segment="empresa"
    )
    particular = create_customer(identities={"email": "luis@example.com"}, segment="particular")

    anonymous = definition(lang="es").json()
    as_empresa = definition(lang="es", identity=identity_token(empresa.pk)).json()
    as_particular = definition(lang="es", identity=identity_token(particular.pk)).json()

    assert "empresa" not in [q["key"] for q in anonymous["questions"]]
    assert "empresa" not in [q["key"] for q in as_particular["questions"]]
    [question] = [q for q in as_empresa["questions"] if q["key"] == "empresa"]
    assert question["show_if"] is None
    assert question["text"] == "¿Lo usas en tu empresa, Marta?"


def test_each_definition_has_a_fresh_signed_idempotency_key(org: Org) -> None:
    published_survey(unit=org.bilbao)

    first, second = definition().json(), definition().json()

    assert first["idempotency_key"] != second["idempotency_key"]
    raw = signing.Signer(salt="vinculo.surveys.widget-key").unsign(first["idempotency_key"])
    assert len(raw) == 32


def test_only_the_published_version_is_shown_never_the_draft(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    draft = {**NPS_CSAT_TEXT, "questions": [*NPS_CSAT_TEXT["questions"], FOR_BUSINESSES]}
    draft["questions"][-1] = {**FOR_BUSINESSES, "key": "nueva", "show_if": None}
    save_draft(survey=survey, definition=SurveyDefinition.model_validate(draft))

    before = [q["key"] for q in definition().json()["questions"]]
    publish(survey=survey)
    after = [q["key"] for q in definition().json()["questions"]]

    assert before == ["nps", "csat", "mejora", "gusto"]
    assert after == ["nps", "csat", "mejora", "gusto", "nueva"]


def test_closed_unknown_draft_and_invitation_only_surveys_are_refused(org: Org) -> None:
    closed = published_survey(unit=org.bilbao, slug="cerrada")
    set_status(survey=closed, status="closed")
    private = published_survey(unit=org.bilbao, slug="privada")
    update_survey(survey=private, public_link=False)
    create_survey(actor=SYSTEM, name="Borrador", slug="borrador", unit=org.bilbao)
    client = Client()

    answers = {
        slug: client.get(f"/api/v1/public/surveys/{slug}", {"lang": "en"})
        for slug in ("cerrada", "privada", "borrador", "no-existe")
    }

    statuses = {slug: answer.status_code for slug, answer in answers.items()}
    assert statuses == {"cerrada": 410, "privada": 404, "borrador": 404, "no-existe": 404}
    assert answers["cerrada"].json() == {
        "code": "survey_closed",
        "detail": "This survey is closed. Thank you for your interest: this survey no longer "
        "takes answers.",
    }
    assert answers["privada"].json()["code"] == "invitation_only"
    assert all(a["Access-Control-Allow-Origin"] == "*" for a in answers.values())


def test_a_bad_identity_token_is_refused_clearly(org: Org) -> None:
    published_survey(unit=org.bilbao)

    refused = definition(lang="en", identity="tampered:token")

    assert refused.status_code == 400
    assert refused.json()["code"] == "identity_tampered"
    assert "identity token is not valid" in refused.json()["detail"]


def test_the_definition_is_never_cached_and_any_site_may_read_it(
    org: Org, django_assert_max_num_queries: Any
) -> None:
    published_survey(unit=org.bilbao)
    definition()  # the published questions are read once per process

    with django_assert_max_num_queries(1):
        answer = Client(HTTP_ORIGIN="https://shop.example").get(URL)

    assert answer["Cache-Control"] == "no-store"
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer
    assert not answer.cookies


def test_the_preflight_allows_json_posts_from_any_origin_without_credentials(org: Org) -> None:
    preflight = Client().options(
        f"{URL}/responses",
        HTTP_ORIGIN="https://shop.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )

    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight["Access-Control-Allow-Headers"]
    assert preflight["Access-Control-Max-Age"] == "86400"
    assert "Access-Control-Allow-Credentials" not in preflight


def test_listed_origins_are_the_only_ones_allowed_when_set(org: Org, settings: Any) -> None:
    settings.SURVEY_WIDGET_ORIGINS = ["https://shop.example"]
    published_survey(unit=org.bilbao)

    allowed = Client(HTTP_ORIGIN="https://shop.example").options(f"{URL}/responses")
    other = Client(HTTP_ORIGIN="https://evil.example").options(f"{URL}/responses")

    assert allowed["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "Origin" in allowed["Vary"]
    assert "Access-Control-Allow-Origin" not in other
