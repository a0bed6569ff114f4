"""Answering through a store's QR code: /s/<slug>/?u=<unit token> lands on that store."""

from urllib.parse import quote

from django.test import Client

from vinculo.surveys.choices import Collector
from vinculo.surveys.models import Response
from vinculo.surveys.services import update_survey
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.respond_helpers import answer, form_action, text_of
from vinculo.surveys.tokens import unit_token
from vinculo.test import Org


def test_answers_given_through_a_stores_code_land_on_that_store(org: Org) -> None:
    published_survey(unit=org.bilbao)
    client = Client()
    url = f"/s/tu-visita/?u={quote(unit_token(org.sevilla), safe=':')}"

    first = client.get(url)
    assert "¿Recomendarías Sevilla Nervión a un amigo?" in text_of(first)
    assert form_action(first) == url
    second = answer(client, first, {"nps": "10", "csat": "5"})
    done = answer(client, second, {"gusto": "El trato"})

    assert "¡Gracias por ayudarnos!" in text_of(done)
    response = Response.objects.get()
    assert (response.unit, response.collector) == (org.sevilla, Collector.QR)
    assert response.channel.code == "store"


def test_a_damaged_code_gets_a_clear_page_and_stores_nothing(org: Org) -> None:
    published_survey(unit=org.bilbao)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    forged = unit_token(org.sevilla)[:-2] + "xx"

    page = client.get(f"/s/tu-visita/?u={forged}")
    posted = client.post(f"/s/tu-visita/?u={forged}", {"_key": "k" * 32, "_page": "1"})

    assert page.status_code == 400
    assert "This code is not valid" in text_of(page)
    assert posted.status_code == 400
    assert Response.objects.count() == 0


def test_codes_stop_working_when_the_public_link_is_closed(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    update_survey(survey=survey, public_link=False)

    page = Client().get(f"/s/tu-visita/?u={unit_token(org.sevilla)}")

    assert page.status_code == 404
