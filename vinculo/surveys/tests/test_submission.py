"""Storing answers page by page and all at once: validation, logic, idempotency, timeline."""

import pytest

from vinculo.customers.models import Customer
from vinculo.journeys.models import Interaction
from vinculo.surveys.choices import Collector, ResponseStatus
from vinculo.surveys.models import Answer, Response
from vinculo.surveys.questions import AnswerError
from vinculo.surveys.submission import (
    AnswersInvalid,
    Respondent,
    SubmissionRefused,
    answer_page,
    submit_all,
)
from vinculo.surveys.testing import live_version, published_survey
from vinculo.test import make_customer


def respondent(survey, unit, **fields):
    return Respondent(
        survey=survey,
        version=live_version(survey),
        unit=unit,
        collector=fields.pop("collector", Collector.LINK),
        language="es",
        **fields,
    )


def test_a_detractor_answers_two_pages_and_the_hidden_question_is_skipped(org):
    survey = published_survey(unit=org.bilbao)
    who = respondent(survey, org.bilbao)

    first = answer_page(respondent=who, idempotency_key="k1", page=1, raw={"nps": "4", "csat": "2"})
    assert first.next_page == 2
    assert first.response.status == ResponseStatus.PARTIAL

    done = answer_page(
        respondent=who, idempotency_key="k1", page=2, raw={"mejora": "Más personal", "gusto": "x"}
    )

    assert done.next_page is None
    response = Response.objects.get(idempotency_key="k1")
    assert response.status == ResponseStatus.COMPLETE
    stored = {a.question.key: (a.number, a.text) for a in response.answers.all()}
    assert stored == {"nps": (4, ""), "csat": (2, ""), "mejora": (None, "Más personal")}


def test_missing_required_answers_and_an_nps_of_eleven_store_nothing(org):
    survey = published_survey(unit=org.bilbao)

    with pytest.raises(AnswersInvalid) as caught:
        answer_page(
            respondent=respondent(survey, org.bilbao),
            idempotency_key="k1",
            page=1,
            raw={"nps": "11"},
        )

    assert caught.value.errors == [
        AnswerError("nps", "out_of_range", {"min": 0, "max": 10, "value": 11}),
        AnswerError("csat", "required"),
    ]
    assert Response.objects.count() == 0


def test_a_replayed_submission_stores_one_response_with_one_timeline_row(org):
    survey = published_survey(unit=org.bilbao)
    ana = make_customer("Ana", email="ana@example.com")
    who = respondent(survey, org.bilbao, customer=ana, collector=Collector.API)
    raw = {"nps": 10, "csat": 5, "gusto": "Todo"}

    first = submit_all(respondent=who, idempotency_key="crm-1", raw=raw)
    again = submit_all(respondent=who, idempotency_key="crm-1", raw=raw)

    assert again.replayed and again.response.pk == first.response.pk
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 3
    row = Interaction.objects.get(customer=ana)
    assert (row.record_kind, row.record_id) == ("survey_response", first.response.pk)
    assert row.attributes == {"survey": "Tu visita", "nps": 10, "csat": 5}


def test_a_closed_survey_takes_no_answers(org):
    survey = published_survey(unit=org.bilbao)
    survey.status = "closed"
    survey.save()

    with pytest.raises(SubmissionRefused) as caught:
        submit_all(respondent=respondent(survey, org.bilbao), idempotency_key="k", raw={})

    assert caught.value.code == "survey_closed"


IDENTIFYING = {
    "title": {"es": "Contacto"},
    "questions": [
        {"key": "nps", "kind": "nps", "required": True, "text": {"es": "¿Nos recomendarías?"}},
        {
            "key": "correo",
            "kind": "email",
            "text": {"es": "Tu e-mail"},
            "settings": {"identifies": True},
        },
        {
            "key": "permiso",
            "kind": "consent",
            "text": {"es": "Podéis escribirme"},
            "settings": {"channel": "email"},
        },
    ],
}


def test_a_self_reported_email_links_the_owner_without_touching_their_profile(org):
    survey = published_survey(unit=org.bilbao, definition=IDENTIFYING, languages=["es"])
    ana = make_customer("Ana", email="ana@example.com")

    outcome = submit_all(
        respondent=respondent(survey, org.bilbao),
        idempotency_key="k",
        raw={"nps": 9, "correo": "ANA@example.com", "permiso": "on"},
    )

    ana.refresh_from_db()
    assert outcome.response.customer_id == ana.pk
    assert ana.consents == {}  # someone typing Ana's address cannot change her consents
    assert Interaction.objects.filter(customer=ana, record_kind="survey_response").count() == 1


def test_an_unknown_email_creates_a_prospect_with_the_consent_given(org):
    survey = published_survey(unit=org.bilbao, definition=IDENTIFYING, languages=["es"])

    outcome = submit_all(
        respondent=respondent(survey, org.bilbao),
        idempotency_key="k",
        raw={"nps": 9, "correo": "nuevo@example.com", "permiso": "on"},
    )

    assert outcome.response.customer_id is not None
    customer = Customer.objects.get(pk=outcome.response.customer_id)
    assert customer.identities.get().value == "nuevo@example.com"
    assert customer.home_unit_id == org.bilbao.pk
    assert customer.consents == {"email": True}


def test_answers_to_questions_the_final_path_hides_are_dropped(org):
    survey = published_survey(unit=org.bilbao)
    who = respondent(survey, org.bilbao)
    answer_page(respondent=who, idempotency_key="k", page=1, raw={"nps": "3", "csat": "2"})
    answer_page(respondent=who, idempotency_key="k", page=2, raw={"mejora": "Esperas"})

    # Not allowed: page 2 is behind us and the response is complete; a replay changes nothing.
    replay = answer_page(
        respondent=who, idempotency_key="k", page=1, raw={"nps": "10", "csat": "5"}
    )

    assert replay.replayed
    keys = set(Answer.objects.values_list("question__key", flat=True))
    assert keys == {"nps", "csat", "mejora"}
    assert Answer.objects.get(question__key="nps").number == 3


def test_a_later_page_cannot_be_answered_before_the_first(org):
    survey = published_survey(unit=org.bilbao)

    with pytest.raises(SubmissionRefused) as caught:
        answer_page(respondent=respondent(survey, org.bilbao), idempotency_key="k", page=2, raw={})

    assert caught.value.code == "wrong_page"
    assert Response.objects.count() == 0


def test_unknown_question_keys_are_refused_by_name(org):
    survey = published_survey(unit=org.bilbao)

    with pytest.raises(AnswersInvalid) as caught:
        submit_all(
            respondent=respondent(survey, org.bilbao),
            idempotency_key="k",
            raw={"nps": 9, "csat": 4, "edad": 40},
        )

    assert caught.value.errors == [AnswerError("edad", "unknown_question")]
    assert Response.objects.count() == 0


THREE_PAGES = {
    "title": {"es": "Tres"},
    "questions": [
        {"key": "uno", "kind": "yes_no", "page": 1, "required": True, "text": {"es": "¿Uno?"}},
        {"key": "dos", "kind": "yes_no", "page": 2, "required": True, "text": {"es": "¿Dos?"}},
        {"key": "tres", "kind": "yes_no", "page": 3, "text": {"es": "¿Tres?"}},
    ],
}


def test_pages_cannot_be_skipped_but_answered_ones_can_be_revisited(org):
    survey = published_survey(unit=org.bilbao, definition=THREE_PAGES, languages=["es"])
    who = respondent(survey, org.bilbao)
    answer_page(respondent=who, idempotency_key="k", page=1, raw={"uno": "yes"})

    with pytest.raises(SubmissionRefused) as caught:
        answer_page(respondent=who, idempotency_key="k", page=3, raw={"tres": "no"})
    again = answer_page(respondent=who, idempotency_key="k", page=1, raw={"uno": "no"})

    assert caught.value.code == "wrong_page"
    assert again.next_page == 2
    assert list(Answer.objects.values_list("question__key", "number")) == [("uno", 0)]
