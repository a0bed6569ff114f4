"""Kiosk mode: setting up a store's tablet, answering without cookies, resetting empty."""

import re

import pytest
from django.test import Client

from vinculo.surveys.choices import Collector, ResponseStatus
from vinculo.surveys.models import Response
from vinculo.surveys.respondents import kiosk_token
from vinculo.surveys.services import set_status
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.respond_helpers import (
    answer,
    checked_values,
    hidden_fields,
    text_of,
)
from vinculo.test import Org, People, client_for

FEEDBACK = "Me atendió Lucía, mi móvil es 612345678"


def test_a_store_manager_gets_a_kiosk_link_for_a_unit_of_their_own(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)
    client = client_for(people.diego)

    setup = client.get(f"/surveys/{survey.pk}/kiosk/")
    chosen = client.get(f"/surveys/{survey.pk}/kiosk/?unit={org.bilbao.pk}")
    elsewhere = client.get(f"/surveys/{survey.pk}/kiosk/?unit={org.sevilla.pk}")

    assert setup.status_code == 200
    options = re.findall(r'<option value="(\d+)"', setup.content.decode())
    assert options == [str(org.bilbao.pk)]
    link = f"http://testserver/s/k/{kiosk_token(survey, org.bilbao)}/"
    assert link in chosen.content.decode()
    assert elsewhere.status_code == 404


@pytest.mark.parametrize(("name", "status"), [("bruno", 200), ("elena", 200), ("fernando", 403)])
def test_people_who_enter_responses_may_set_up_kiosks(
    org: Org, people: People, name: str, status: int
) -> None:
    survey = published_survey(unit=org.bilbao)

    assert client_for(people.by_name(name)).get(f"/surveys/{survey.pk}/kiosk/").status_code == (
        status
    )


def test_the_kiosk_stores_answers_on_its_store_without_any_cookie(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    tablet = Client(enforce_csrf_checks=True)
    url = f"/s/k/{kiosk_token(survey, org.santander)}/"

    first = tablet.get(url)
    assert not first.cookies
    assert 'autocomplete="off"' in first.content.decode()
    assert "csrfmiddlewaretoken" not in hidden_fields(first)
    second = answer(tablet, first, {"nps": "3", "csat": "1"})
    textarea = re.search(r"<textarea[^>]*>", text_of(second))
    assert textarea and 'autocomplete="off"' in textarea.group(0)
    done = answer(tablet, second, {"mejora": FEEDBACK})

    assert done.status_code == 200
    assert not tablet.cookies
    response = Response.objects.get()
    assert (response.unit, response.collector) == (org.santander, Collector.KIOSK)
    assert response.status == ResponseStatus.COMPLETE
    assert f'<meta http-equiv="refresh" content="8;url={url}">' in done.content.decode()


def test_after_the_reset_the_page_is_empty_with_a_fresh_key(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    tablet = Client()
    url = f"/s/k/{kiosk_token(survey, org.santander)}/"
    first = tablet.get(url)
    second = answer(tablet, first, {"nps": "3", "csat": "1"})
    answer(tablet, second, {"mejora": FEEDBACK})

    reset = tablet.get(url)

    assert reset.status_code == 200
    assert hidden_fields(reset)["_page"] == "1"
    assert hidden_fields(reset)["_key"] != hidden_fields(first)["_key"]
    assert checked_values(reset, "nps") == [] and checked_values(reset, "csat") == []
    assert "Lucía" not in text_of(reset) and "612345678" not in text_of(reset)
    assert "no-store" in reset["Cache-Control"]


def test_two_customers_in_a_row_store_two_responses(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    tablet = Client()
    url = f"/s/k/{kiosk_token(survey, org.santander)}/"

    for score in ("10", "2"):
        second = answer(tablet, tablet.get(url), {"nps": score, "csat": "3"})
        answer(tablet, second, {})

    scores = [r.answers.get(question__key="nps").number for r in Response.objects.all()]
    assert sorted(s for s in scores if s is not None) == [2, 10]


def test_a_tampered_kiosk_link_is_refused(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    token = kiosk_token(survey, org.santander)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/s/k/{tampered}/")

    assert page.status_code == 400
    assert "This link is not valid" in text_of(page)


def test_a_closed_survey_closes_its_kiosks(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    set_status(survey=survey, status="closed")

    page = Client().get(f"/s/k/{kiosk_token(survey, org.santander)}/")

    assert page.status_code == 410
