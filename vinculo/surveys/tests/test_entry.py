"""Agent entry (/surveys/entry/): phone and in-person interviews typed in by staff."""

import html
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import translation

from vinculo.customers.services import create_customer
from vinculo.journeys.models import Interaction
from vinculo.surveys.choices import Collector, ResponseStatus
from vinculo.surveys.models import Response
from vinculo.surveys.presentation import refusal
from vinculo.surveys.services import set_status
from vinculo.surveys.testing import NPS_CSAT_TEXT, published_survey
from vinculo.test import Org, People, add_interaction, client_for, make_customer

_INPUT = re.compile(r"<input\b[^>]*>")
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def hidden(response: Any) -> dict[str, str]:
    fields = {}
    for tag in _INPUT.findall(response.content.decode()):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("type") == "hidden":
            fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
    return fields


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def interview_url(survey_id: int, **query: Any) -> str:
    return f"/surveys/entry/{survey_id}/?" + "&".join(f"{k}={v}" for k, v in query.items())


def start(client: Client, **choices: Any) -> Any:
    return client.get("/surveys/entry/", choices)


def test_an_agent_enters_a_phone_interview_for_a_customer_and_it_reaches_their_timeline(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.company)
    ana = make_customer("Ana Ruiz", phone="600112233")
    agent = client_for(people.elena)

    chosen = start(agent, survey=survey.pk, collector="phone", unit=org.bilbao.pk, customer=ana.pk)
    assert chosen.status_code == 302
    page = agent.get(chosen["Location"])
    form = hidden(page)
    saved = agent.post(chosen["Location"], {**form, "nps": "4", "csat": "2", "mejora": "Colas"})

    assert page.status_code == 200
    assert "¿Recomendarías Bilbao Centro a un amigo?" in text(page)
    assert "¿Qué podríamos mejorar en Bilbao Centro?" in text(page)  # every page at once
    response = Response.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == f"/surveys/entry/done/{response.pk}/"
    assert (response.collector, response.channel.code) == (Collector.PHONE, "call_centre")
    assert (response.customer, response.unit, response.entered_by) == (
        ana,
        org.bilbao,
        people.elena,
    )
    assert response.status == ResponseStatus.COMPLETE
    assert response.idempotency_key == f"entry:{form['_key']}"
    answers = {a.question.key: (a.number, a.text) for a in response.answers.all()}
    assert answers == {"nps": (4, ""), "csat": (2, ""), "mejora": (None, "Colas")}
    row = Interaction.objects.get(record_kind="survey_response", record_id=response.pk)
    assert row.customer == ana


def test_answers_to_questions_the_logic_hides_are_ignored(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    agent = client_for(people.elena)
    url = interview_url(survey.pk, collector="in_person", unit=org.bilbao.pk)
    form = hidden(agent.get(url))

    agent.post(url, {**form, "nps": "10", "csat": "5", "mejora": "nada", "gusto": "todo"})

    response = Response.objects.get()
    assert response.collector == Collector.IN_PERSON
    assert response.channel.code == "store"
    assert sorted(a.question.key for a in response.answers.all()) == ["csat", "gusto", "nps"]


def test_the_confirmation_offers_the_next_interview_with_a_fresh_key(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)
    agent = client_for(people.elena)
    url = interview_url(survey.pk, collector="phone", unit=org.bilbao.pk)
    first_form = hidden(agent.get(url))
    saved = agent.post(url, {**first_form, "nps": "9", "csat": "5"})

    done = agent.get(saved["Location"])
    next_link = re.search(r'href="([^"]+)" id="next-interview"', done.content.decode())
    assert next_link
    following = agent.get(html.unescape(next_link.group(1)))

    assert done.status_code == 200
    assert "Tu visita" in text(done)
    assert f'href="/surveys/responses/{Response.objects.get().pk}/"' in text(done)
    assert parse_qs(urlsplit(html.unescape(next_link.group(1))).query) == {
        "collector": ["phone"],
        "unit": [str(org.bilbao.pk)],
    }
    assert hidden(following)["_key"] != first_form["_key"]


def test_a_double_click_stores_one_response(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    agent = client_for(people.elena)
    url = interview_url(survey.pk, collector="phone", unit=org.bilbao.pk)
    form = {**hidden(agent.get(url)), "nps": "7", "csat": "3"}

    first, second = agent.post(url, form), agent.post(url, form)

    assert first["Location"] == second["Location"]
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "nps", "csat"),
    [
        ("es", "¿Recomendarías Bilbao Centro a un amigo?", "¿Qué tal te atendimos?"),
        ("en", "Would you recommend Bilbao Centro to a friend?", "How satisfied are you?"),
    ],
)
def test_invalid_answers_are_named_in_the_interview_language_and_nothing_is_stored(
    org: Org, people: People, language: str, nps: str, csat: str
) -> None:
    survey = published_survey(unit=org.bilbao)
    agent = client_for(people.elena)
    url = interview_url(survey.pk, collector="phone", unit=org.bilbao.pk, lang=language)
    form = hidden(agent.get(url))

    refused = agent.post(url, {**form, "nps": "11"})

    assert refused.status_code == 422
    with translation.override(language):
        required = translation.gettext("“%(question)s” needs an answer.")
        out_of_range = translation.gettext(
            "“%(question)s”: choose a value from %(min)s to %(max)s."
        )
    page = text(refused)
    assert required % {"question": csat} in page
    assert out_of_range % {"question": nps, "min": 0, "max": 10} in page
    assert hidden(refused)["_key"] == form["_key"]  # fixed and sent again: still one response
    assert not Response.objects.exists()


def test_a_closed_survey_cannot_be_chosen_or_answered(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    agent = client_for(people.elena)
    url = interview_url(survey.pk, collector="phone", unit=org.bilbao.pk)
    form = hidden(agent.get(url))
    set_status(survey=survey, status="closed")

    refused = agent.post(url, {**form, "nps": "7", "csat": "3"}, follow=True)

    assert refused.redirect_chain == [("/surveys/entry/", 302)]
    with translation.override("es"):
        assert str(refusal("survey_closed").text) in text(refused)
    assert "Tu visita" not in text(refused)  # no longer offered
    assert not Response.objects.exists()


def test_the_viewer_may_not_enter_interviews(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    viewer = client_for(people.fernando)

    assert viewer.get("/surveys/entry/").status_code == 403
    url = interview_url(survey.pk, collector="phone", unit=org.bilbao.pk)
    assert viewer.get(url).status_code == 403
    assert viewer.post(url, {"nps": "1"}).status_code == 403
    assert Client().get("/surveys/entry/").status_code == 302  # to the sign-in page


def test_a_store_manager_enters_only_for_their_own_store(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    diego = client_for(people.diego)

    page = start(diego)
    refused = start(diego, survey=survey.pk, collector="phone", unit=org.sevilla.pk)
    direct = diego.get(interview_url(survey.pk, collector="phone", unit=org.sevilla.pk))
    posted = diego.post(
        interview_url(survey.pk, collector="phone", unit=org.sevilla.pk),
        {"_key": "a" * 32, "collector": "phone", "unit": org.sevilla.pk, "nps": "5", "csat": "2"},
    )

    units = re.findall(r'<option value="(\d+)"', page.content.decode().split('name="unit"')[1])
    assert units == [str(org.bilbao.pk)]
    assert refused.status_code == 400
    assert (direct.status_code, posted.status_code) == (404, 404)
    assert not Response.objects.exists()


def test_the_customer_must_be_one_the_agent_may_see(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    sevillano = make_customer("Rocío", email="rocio@example.com")
    add_interaction(sevillano, org.sevilla)
    bilbaino = make_customer("Iker", email="iker@example.com")
    add_interaction(bilbaino, org.bilbao)
    diego = client_for(people.diego)

    assert start(diego, customer=sevillano.pk).status_code == 404
    url = interview_url(survey.pk, collector="phone", unit=org.bilbao.pk, customer=sevillano.pk)
    assert diego.get(url).status_code == 404
    preset = start(diego, customer=bilbaino.pk)
    assert preset.status_code == 200
    assert "Iker" in text(preset)


def test_the_customer_search_finds_only_customers_the_agent_may_see(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    rocio = make_customer("Rocío", email="rocio@example.com")
    add_interaction(rocio, org.sevilla)
    for number in range(5):
        customer = make_customer(f"Rocío Bilbao {number}", phone=f"60011223{number}")
        add_interaction(customer, org.bilbao)
    diego = client_for(people.diego)

    with django_assert_max_num_queries(8):
        found = diego.get("/surveys/entry/customers/", {"q": "rocío"}, HTTP_HX_REQUEST="true")

    page = text(found)
    assert page.count('name="customer"') == 6  # five matches and "no customer"
    assert "+34600112230" in page
    assert f'value="{rocio.pk}"' not in page
    no_js = start(diego, q="rocío", search="1", collector="phone", unit=org.bilbao.pk)
    assert no_js.status_code == 200  # searching keeps the choices, without complaining
    assert 'value="phone" id="id_collector_0" required checked' in no_js.content.decode()
    assert f'<option value="{org.bilbao.pk}" selected>' in no_js.content.decode()
    assert text(no_js).count('name="customer"') == 6


def test_questions_about_the_customer_show_only_when_they_apply(org: Org, people: People) -> None:
    for_businesses = {
        "key": "empresa",
        "kind": "yes_no",
        "page": 2,
        "text": {"es": "¿Lo usas en tu empresa?", "en": "Do you use it at work?"},
        "show_if": {"customer": "segment", "op": "eq", "value": "empresa"},
    }
    definition = {**NPS_CSAT_TEXT, "questions": [*NPS_CSAT_TEXT["questions"], for_businesses]}
    survey = published_survey(unit=org.bilbao, definition=definition)
    empresa = create_customer(identities={"email": "m@acme.example"}, segment="empresa")
    agent = client_for(people.elena)

    anonymous = agent.get(interview_url(survey.pk, collector="phone", unit=org.bilbao.pk))
    known = agent.get(
        interview_url(survey.pk, collector="phone", unit=org.bilbao.pk, customer=empresa.pk)
    )

    assert "¿Lo usas en tu empresa?" not in text(anonymous)
    assert "¿Lo usas en tu empresa?" in text(known)
    found = re.findall(r'data-show-if="([^"]+)"', known.content.decode())
    conditions = [json.loads(html.unescape(condition)) for condition in found]
    assert {"question": "nps", "op": "lte", "value": 8} in conditions  # left to the page
