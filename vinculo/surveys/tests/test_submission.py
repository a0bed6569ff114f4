"""Storing answers page by page and all at once: validation, logic, idempotency, timeline."""

import pytest

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
from vinculo.surveys.testing import published_survey
from vinculo.test import make_customer


def respondent(survey, unit, **fields):
    return Respondent(
        survey=survey,
        version=survey.current_version,
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
