"""The surveys promise end to end, in Chromium: a CX analyst builds an NPS + CSAT +
open-text survey in Spanish with one logic rule and publishes it; a customer answers it
from the public link on a phone; the same customer answers it through the widget on a
shop's page (another origin); both responses show in the list and on her timeline.
"""

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from vinculo.accounts.services import create_api_key
from vinculo.browser import ARTIFACTS_DIR, login
from vinculo.journeys.models import Interaction
from vinculo.surveys.choices import Collector
from vinculo.surveys.models import Response, Survey
from vinculo.surveys.tests.browser_helpers import (
    ShopSite,
    add_question,
    create_survey,
    identity_from_vinculo,
    shop_site,
)
from vinculo.test import PASSWORD, Org, People, make_customer

__all__ = ["shop_site"]  # a fixture, used by name

SHOP_PAGE = """<!doctype html><html lang="es"><head><meta charset="utf-8">
<title>Pedido confirmado</title></head><body><h1>¡Gracias por tu pedido!</h1>
<script src="{script}" async data-lang="es" data-trigger="load" data-identity="{token}">
</script></body></html>"""


def es(message: str) -> str:
    with translation.override("es"):
        return translation.gettext(message)


def build_and_publish(page: Page, base: str) -> Survey:
    survey = create_survey(page, base, "Tu experiencia", "tu-experiencia")
    add_question(page, "nps", "¿Recomendarías nuestra tienda a un amigo?")
    add_question(page, "csat", "¿Qué tal te atendimos?")
    add_question(
        page,
        "long_text",
        "¿Qué podríamos mejorar?",
        page="2",
        cond_subject="q:nps",
        cond_op="lte",
        cond_value="6",
    )
    add_question(
        page, "email", "Tu e-mail, si quieres que te contestemos", page="2", identifies="on"
    )
    page.locator(f'form[action="/surveys/{survey.pk}/publish/"] button').click()
    expect(page.locator(".pill.status-live")).to_be_visible()
    return survey


def answer_on_a_phone(browser: Browser, link: str) -> None:
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="es-ES"
    )
    page = phone.new_page()
    try:
        page.goto(link)
        expect(page.locator("h1")).to_contain_text("Tu experiencia")
        page.locator("label[for=q-nps-4]").click()
        page.locator("label[for=q-csat-2]").click()
        page.locator("button[value=next]").click()
        page.locator("textarea[name=long_text]").fill("La cola era muy larga")
        page.locator("input[name=email]").fill("Ana.Ruiz@Example.com")
        page.screenshot(path=str(ARTIFACTS_DIR / "e2e_phone_second_page.png"), full_page=True)
        page.locator("button[value=next]").click()
        expect(page.locator(".thanks-text")).to_be_visible()
    finally:
        phone.close()


def answer_in_the_widget(browser: Browser, shop_url: str) -> None:
    visitor = browser.new_context(locale="es-ES")
    page = visitor.new_page()
    try:
        page.goto(shop_url)
        dialog = page.locator("[data-vinculo-widget=tu-experiencia] section[role=dialog]")
        expect(dialog).to_be_visible()
        dialog.locator("label[for=vw-nps-9]").click()
        dialog.locator("label[for=vw-csat-5]").click()
        dialog.locator("button.primary").click()
        expect(dialog.locator("#vw-long_text")).to_be_hidden()  # the logic rule: NPS 9
        dialog.locator("button.primary").click()
        expect(dialog.locator(".thanks")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS_DIR / "e2e_widget_thanks.png"))
    finally:
        visitor.close()


@pytest.mark.browser
def test_a_spanish_survey_answered_by_link_and_widget_reaches_the_list_and_the_timeline(
    page: Page,
    browser: Browser,
    live_server: LiveServer,
    shop_site: ShopSite,
    org: Org,
    people: People,
) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    ana = make_customer("Ana Ruiz", email="ana.ruiz@example.com")
    login(page, live_server.url, people.bruno.username, PASSWORD)

    survey = build_and_publish(page, live_server.url)
    answer_on_a_phone(browser, f"{live_server.url}/s/tu-experiencia/")
    _key, api_token = create_api_key(name="tienda", scopes=["responses.enter"], created_by=None)
    token = identity_from_vinculo(live_server.url, api_token, "ana.ruiz@example.com")
    shop_site.page = SHOP_PAGE.format(
        script=f"{live_server.url}/s/w/tu-experiencia.js", token=token
    ).encode()
    answer_in_the_widget(browser, f"http://127.0.0.1:{shop_site.server_address[1]}/gracias")

    by_collector = {r.collector: r for r in Response.objects.filter(survey=survey)}
    assert set(by_collector) == {Collector.LINK, Collector.WIDGET}
    assert {r.customer_id for r in by_collector.values()} == {ana.pk}
    link = {a.question.key: a.number or a.text for a in by_collector["link"].answers.all()}
    assert link == {
        "nps": 4,
        "csat": 2,
        "long_text": "La cola era muy larga",
        "email": "ana.ruiz@example.com",
    }
    widget = {a.question.key: a.number for a in by_collector["widget"].answers.all()}
    assert widget == {"nps": 9, "csat": 5}
    assert Interaction.objects.filter(customer=ana, record_kind="survey_response").count() == 2

    page.goto(f"{live_server.url}/surveys/responses/?survey={survey.pk}")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=es("Public link"))).to_contain_text("Ana Ruiz")
    expect(rows.filter(has_text=es("Web/app widget"))).to_contain_text("Ana Ruiz")
    page.screenshot(path=str(ARTIFACTS_DIR / "e2e_responses_list.png"), full_page=True)
    page.goto(f"{live_server.url}/customers/{ana.pk}/")
    survey_rows = page.locator("#timeline ol.timeline li", has_text="Tu experiencia")
    expect(survey_rows).to_have_count(2)
    page.screenshot(path=str(ARTIFACTS_DIR / "e2e_customer_timeline.png"), full_page=True)
