"""The public link /s/<slug>/: page by page, validation, refusals, idempotency, speed."""

import re

import pytest
from django.test import Client
from django.utils import translation

from vinculo.surveys.choices import Collector, ResponseStatus
from vinculo.surveys.models import Response
from vinculo.surveys.questions import AnswerError, describe
from vinculo.surveys.services import set_status, update_survey
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.respond_helpers import (
    ONE_PAGE,
    answer,
    checked_values,
    hidden_fields,
    text_of,
)
from vinculo.test import Org

URL = "/s/tu-visita/"


def test_a_visitor_answers_both_pages_and_sees_the_thank_you_text(org: Org) -> None:
    published_survey(unit=org.bilbao)
    client = Client(enforce_csrf_checks=True)

    first = client.get(URL)
    assert first.status_code == 200
    assert "¿Recomendarías Bilbao Centro a un amigo?" in text_of(first)
    key = hidden_fields(first)["_key"]
    assert re.fullmatch(r"[0-9a-f]{32}", key)

    second = answer(client, first, {"nps": "6", "csat": "3"})
    assert second.status_code == 200
    assert "¿Qué podríamos mejorar en Bilbao Centro?" in text_of(second)
    assert "¿Qué es lo que más te gustó?" not in text_of(second)
    assert hidden_fields(second)["_key"] == key

    done = answer(client, second, {"mejora": "Más cajas abiertas"})

    assert done.status_code == 200
    assert "¡Gracias por ayudarnos!" in text_of(done)
    response = Response.objects.get(idempotency_key=key)
    assert (response.status, response.collector) == (ResponseStatus.COMPLETE, Collector.LINK)
    assert (response.unit, response.channel.code, response.language) == (org.bilbao, "web", "es")
    stored = {a.question.key: (a.number, a.text) for a in response.answers.all()}
    assert stored == {"nps": (6, ""), "csat": (3, ""), "mejora": (None, "Más cajas abiertas")}


def test_each_page_shows_where_the_respondent_is_on_the_path(org: Org) -> None:
    published_survey(unit=org.bilbao)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    first = client.get(URL)
    second = answer(client, first, {"nps": "10", "csat": "5"})

    assert "Page 1 of 2" in text_of(first)
    assert "Page 2 of 2" in text_of(second)
    assert 'aria-valuenow="2"' in text_of(second)
    assert "What did you like most?" in text_of(second)


def test_a_missing_answer_and_an_nps_of_eleven_are_named_and_keep_what_was_typed(
    org: Org,
) -> None:
    published_survey(unit=org.bilbao)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    first = client.get(URL)

    refused = answer(client, first, {"nps": "11"})

    assert refused.status_code == 422
    page = text_of(refused)
    assert "“Would you recommend Bilbao Centro to a friend?”: choose a value from 0 to 10." in page
    assert "“How satisfied are you?” needs an answer." in page
    assert 'class="error-summary"' in page and 'href="#q-csat"' in page
    assert Response.objects.count() == 0

    kept = answer(client, first, {"nps": "9"})
    assert kept.status_code == 422
    assert checked_values(kept, "nps") == ["9"]


def test_the_previous_page_button_shows_the_stored_answers_again(org: Org) -> None:
    published_survey(unit=org.bilbao)
    client = Client()
    second = answer(client, client.get(URL), {"nps": "4", "csat": "2"})

    back = answer(client, second, {"_go": "back"})

    assert back.status_code == 200
    assert hidden_fields(back)["_page"] == "1"
    assert checked_values(back, "nps") == ["4"]
    assert checked_values(back, "csat") == ["2"]


def test_a_replayed_last_page_stores_one_response_and_thanks_again(org: Org) -> None:
    published_survey(unit=org.bilbao, slug="rapida", definition=ONE_PAGE)
    client = Client()
    first = client.get("/s/rapida/")

    answer(client, first, {"nps": "8", "csat": "4"})
    again = answer(client, first, {"nps": "8", "csat": "4"})

    assert again.status_code == 200
    assert "¡Gracias por ayudarnos!" in text_of(again)
    assert Response.objects.count() == 1


def test_a_page_posted_out_of_order_gets_a_polite_refusal(org: Org) -> None:
    published_survey(unit=org.bilbao)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    first = client.get(URL)

    skipped = answer(client, first, {"_page": "2", "mejora": "x"})

    assert skipped.status_code == 409
    assert "This page is out of date" in text_of(skipped)
    assert Response.objects.count() == 0


def test_a_form_without_its_key_is_refused_and_stores_nothing(org: Org) -> None:
    published_survey(unit=org.bilbao)

    refused = Client().post(URL, {"_page": "1", "nps": "9", "csat": "5"})

    assert refused.status_code == 400
    assert Response.objects.count() == 0


def test_a_closed_survey_says_so_politely(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    set_status(survey=survey, status="closed")

    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(URL)

    assert page.status_code == 410
    assert "This survey is closed" in text_of(page)


def test_a_survey_without_public_link_only_takes_invitations(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    update_survey(survey=survey, public_link=False)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    page = client.get(URL)
    posted = client.post(URL, {"_key": "a" * 32, "_page": "1", "nps": "9", "csat": "5"})

    assert page.status_code == 404
    assert "This survey is by invitation" in text_of(page)
    assert posted.status_code == 404
    assert Response.objects.count() == 0


def test_an_unknown_survey_is_a_polite_not_found(db: None) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/s/no-such-survey/")

    assert page.status_code == 404
    assert "Survey not found" in text_of(page)


def test_pages_are_never_cached_by_the_browser(org: Org) -> None:
    published_survey(unit=org.bilbao)

    page = Client().get(URL)

    assert "no-store" in page["Cache-Control"]


def test_too_many_pages_from_one_address_are_refused_for_a_minute(org: Org, settings) -> None:
    settings.SURVEY_SUBMIT_RATE_LIMIT = 2
    published_survey(unit=org.bilbao, slug="rapida", definition=ONE_PAGE)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    statuses = []
    for _ in range(3):
        first = client.get("/s/rapida/")
        statuses.append(answer(client, first, {"nps": "9", "csat": "5"}).status_code)

    assert statuses == [200, 200, 429]
    assert Response.objects.count() == 2


def test_a_one_page_public_submission_takes_few_queries(
    org: Org, django_assert_max_num_queries
) -> None:
    published_survey(unit=org.bilbao, slug="rapida", definition=ONE_PAGE)
    client = Client()
    first = client.get("/s/rapida/")
    answer(client, client.get("/s/rapida/"), {"nps": "9", "csat": "5"})  # warms the caches

    # The survey, then submission.answer_page: insert the (complete) response, insert its
    # answers, and log what they add to the metrics' roll-ups (one INSERT). The test's own
    # transaction turns answer_page's atomic block into a savepoint (2 more). Questions
    # and channel ids are cached; no rate-limit query.
    with django_assert_max_num_queries(6):
        done = answer(client, first, {"nps": "10", "csat": "5"})

    assert done.status_code == 200
    assert Response.objects.filter(status=ResponseStatus.COMPLETE).count() == 2


@pytest.mark.parametrize("accept", ["en", "en-GB,en;q=0.9", "fr-FR,en;q=0.5"])
def test_the_browser_language_picks_the_survey_language(org: Org, accept: str) -> None:
    published_survey(unit=org.bilbao)

    page = Client(HTTP_ACCEPT_LANGUAGE=accept).get(URL)

    assert '<html lang="en">' in text_of(page)
    assert "Would you recommend Bilbao Centro to a friend?" in text_of(page)
    assert "Page 1 of 2" in text_of(page)


def test_validation_messages_name_the_question_in_the_respondents_language(org: Org) -> None:
    published_survey(unit=org.bilbao)
    spanish, english = Client(HTTP_ACCEPT_LANGUAGE="es"), Client(HTTP_ACCEPT_LANGUAGE="en")

    in_spanish = answer(spanish, spanish.get(URL), {"nps": "7"})
    in_english = answer(english, english.get(URL), {"nps": "7"})

    with translation.override("es"):
        expected = describe(AnswerError("csat", "required"), "¿Qué tal te atendimos?")
    assert expected in text_of(in_spanish)
    assert '<html lang="es">' in text_of(in_spanish)
    assert "“How satisfied are you?” needs an answer." in text_of(in_english)
