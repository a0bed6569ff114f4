"""The widget end to end, in a real Chromium: a shop's page on another origin (a real HTTP
server on another loopback port) pastes the script tag, with an identity token its server
asked Vínculo for; a customer answers NPS, CSAT and a comment; the response lands on that
customer's timeline and in the responses list.
"""

from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from vinculo.accounts.services import create_api_key
from vinculo.browser import ARTIFACTS_DIR, login
from vinculo.journeys.models import Interaction
from vinculo.surveys.choices import Collector
from vinculo.surveys.models import Response
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.browser_helpers import ShopSite, identity_from_vinculo, shop_site
from vinculo.test import PASSWORD, Org, People, make_customer

__all__ = ["shop_site"]  # a fixture, used by name

# The host page's own CSS tries hard to break whatever it embeds.
SHOP_PAGE = """<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>Tienda · Pedido confirmado</title>
<style>
  * {{ font-family: "Comic Sans MS", cursive; color: #f0f !important; }}
  button, input, label {{ display: none !important; }}
  section {{ position: static !important; }}
</style></head>
<body><h1>¡Gracias por tu pedido!</h1><p>Pedido 123, en camino.</p>
<button type="button" id="shop-button">Seguir comprando</button>
<script src="{script}" async data-lang="es" data-trigger="load" data-identity="{token}"></script>
</body></html>
"""


def focused(page: Page) -> str:
    """The class of the element focused inside the widget's shadow root."""
    script = "() => document.querySelector('[data-vinculo-widget]').shadowRoot.activeElement"
    result: str = page.evaluate(script + "?.className || ''")
    return result


def es(message: str) -> str:
    with translation.override("es"):
        return translation.gettext(message)


@pytest.mark.browser
def test_a_customer_answers_the_widget_on_a_shop_page_and_it_reaches_their_timeline(
    page: Page, live_server: LiveServer, shop_site: ShopSite, org: Org, people: People
) -> None:
    published_survey(unit=org.bilbao)
    lucia = make_customer("Lucía Fernández", email="lucia@example.com")
    _key, api_token = create_api_key(name="tienda", scopes=["responses.enter"], created_by=None)
    token = identity_from_vinculo(live_server.url, api_token, "lucia@example.com")
    script = f"{live_server.url}/s/w/tu-visita.js"
    shop_site.page = SHOP_PAGE.format(script=script, token=token).encode()
    shop_url = f"http://127.0.0.1:{shop_site.server_address[1]}/pedido/123/gracias"
    assert not shop_url.startswith(live_server.url)  # another origin

    page.goto(shop_url)
    dialog = page.locator("[data-vinculo-widget=tu-visita] section[role=dialog]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("Tu visita")
    expect(dialog).to_contain_text("¿Recomendarías Bilbao Centro a un amigo?")
    expect(dialog.locator(".progress")).to_have_text(
        es("Page %(position)s of %(total)s") % {"position": 1, "total": 2}
    )
    next_button = dialog.locator("button.primary")
    expect(next_button).to_be_visible()  # the shop's "button { display: none }" stops outside
    page.keyboard.press("Tab")  # from the title to the close button...
    assert focused(page) == "close"
    page.keyboard.press("Shift+Tab")  # ...and focus stays in the panel, wrapping around
    assert focused(page) == "primary"

    next_button.click()  # nothing answered yet: the widget names both questions
    summary = dialog.locator(".summary")
    expect(summary).to_contain_text("¿Qué tal te atendimos?")
    expect(dialog.locator("#vw-nps .field-error")).to_be_visible()

    dialog.locator("label[for=vw-nps-6]").click()
    dialog.locator("label[for=vw-csat-3]").click()
    page.keyboard.press("ArrowRight")  # the scale is a radio group: arrows move along it
    expect(dialog.locator("#vw-csat-4")).to_be_checked()
    expect(next_button).to_have_text(es("Next"))
    next_button.click()

    comment = dialog.locator("#vw-mejora-input")
    expect(comment).to_be_visible()
    expect(dialog.locator("#vw-gusto")).to_be_hidden()  # shown only to promoters
    comment.fill("x" * 5001)  # longer than the server allows: its error comes back
    expect(next_button).to_have_text(es("Send"))
    next_button.click()
    expect(dialog.locator("#vw-mejora .field-error")).to_contain_text("5000")
    comment.fill("Que haya más cajas abiertas a mediodía")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "widget-on-another-origin.png"))
    next_button.click()

    expect(dialog.locator(".thanks")).to_have_text("¡Gracias por ayudarnos!")
    page.screenshot(path=str(ARTIFACTS_DIR / "widget-on-another-origin-thanks.png"))
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    response = Response.objects.get()
    assert (response.collector, response.customer, response.unit) == (
        Collector.WIDGET,
        lucia,
        org.bilbao,
    )
    answers = {a.question.key: (a.number, a.text) for a in response.answers.all()}
    assert answers == {
        "nps": (6, ""),
        "csat": (4, ""),
        "mejora": (None, "Que haya más cajas abiertas a mediodía"),
    }
    assert Interaction.objects.filter(
        customer=lucia, record_kind="survey_response", record_id=response.pk
    ).exists()

    login(page, live_server.url, people.bruno.username, PASSWORD)
    page.goto(f"{live_server.url}/customers/{lucia.pk}/")
    event = page.locator("#timeline ol.timeline li").first
    expect(event).to_contain_text("Tu visita")
    expect(event).to_contain_text("nps 6")
    page.goto(f"{live_server.url}/surveys/responses/")
    row = page.locator("table tbody tr").first
    expect(row).to_contain_text("Lucía Fernández")
    expect(row).to_contain_text(es("Web/app widget"))


BUTTON_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>App</title></head>
<body><button type="button" data-vinculo-open="tu-visita">Give feedback</button>
<script src="{script}" async data-lang="en" data-trigger="manual"></script></body></html>
"""


@pytest.mark.browser
def test_on_a_phone_a_button_opens_the_widget_and_the_keyboard_answers_it(
    page: Page, live_server: LiveServer, shop_site: ShopSite, org: Org
) -> None:
    published_survey(unit=org.bilbao)
    script = f"{live_server.url}/s/w/tu-visita.js"
    shop_site.page = BUTTON_PAGE.format(script=script).encode()
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"http://127.0.0.1:{shop_site.server_address[1]}/")
    dialog = page.locator("[data-vinculo-widget=tu-visita] section[role=dialog]")
    page.wait_for_function("() => window.VinculoWidget !== undefined")
    expect(dialog).to_have_count(0)  # manual: nothing until asked
    opener = page.get_by_role("button", name="Give feedback")
    opener.click()
    expect(dialog).to_contain_text("Would you recommend Bilbao Centro to a friend?")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert page.evaluate("() => document.activeElement.textContent") == "Give feedback"

    opener.click()
    expect(dialog.locator("h2")).to_be_focused()
    page.keyboard.press("Tab")  # close button
    page.keyboard.press("Tab")  # the NPS scale
    page.keyboard.press("ArrowRight")  # 0 → 1 ... the arrows walk the scale
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    expect(dialog.locator("#vw-nps-9")).to_be_checked()
    page.keyboard.press("Tab")  # the CSAT scale
    page.keyboard.press("ArrowLeft")  # from the first point back round to the last
    expect(dialog.locator("#vw-csat-5")).to_be_checked()
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "widget-on-a-phone.png"))
    dialog.locator("button.primary").press("Enter")
    expect(dialog.locator("#vw-gusto-input")).to_be_visible()  # a promoter's question
    expect(dialog.locator("#vw-mejora")).to_be_hidden()
    dialog.locator("#vw-gusto-input").fill("Fast and friendly")
    dialog.locator("button.primary").click()

    expect(dialog.locator(".thanks")).to_have_text("Thank you for helping us!")
    response = Response.objects.get()
    assert (response.customer, response.language, response.collector) == (None, "en", "widget")
    assert response.answers.get(question__key="gusto").text == "Fast and friendly"


def _options(*codes: str) -> list[dict[str, Any]]:
    return [{"code": code, "label": {"es": code.capitalize()}} for code in codes]


def _q(key: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "kind": kind, "text": {"es": f"Pregunta {key}"}, **extra}


EVERY_KIND: dict[str, Any] = {
    "title": {"es": "Todas las preguntas"},
    "questions": [
        _q("nps", "nps", required=True),
        _q("estrellas", "rating", settings={"min": 1, "max": 5, "style": "stars"}),
        _q("tienda", "single_choice", options=_options("centro", "playa")),
        _q("canales", "multiple_choice", options=_options("web", "app", "tienda")),
        _q("provincia", "dropdown", options=_options("bizkaia", "cantabria")),
        _q("volveria", "yes_no"),
        _q("nombre", "short_text"),
        _q("comentario", "long_text"),
        _q(
            "aspectos", "matrix", options=_options("mal", "bien"), rows=_options("rapidez", "trato")
        ),
        _q("prioridades", "ranking", options=_options("precio", "cobertura", "atencion")),
        _q("fecha", "date"),
        _q("acepto", "consent"),
        _q("correo", "email"),
        _q("movil", "phone"),
    ],
}


@pytest.mark.browser
def test_every_question_kind_is_drawn_answered_and_stored_typed(
    page: Page, live_server: LiveServer, shop_site: ShopSite, org: Org
) -> None:
    published_survey(unit=org.bilbao, definition=EVERY_KIND, languages=["es"])
    script = f"{live_server.url}/s/w/tu-visita.js"
    shop_site.page = BUTTON_PAGE.format(script=script).replace("manual", "load").encode()

    page.goto(f"http://127.0.0.1:{shop_site.server_address[1]}/")
    dialog = page.locator("[data-vinculo-widget=tu-visita] section[role=dialog]")
    dialog.locator("label[for=vw-nps-7]").click()
    dialog.locator("label[for=vw-estrellas-4]").click()
    dialog.locator("#vw-tienda input[value=playa]").check()
    dialog.locator("#vw-canales input[value=web]").check()
    dialog.locator("#vw-canales input[value=app]").check()
    dialog.locator("#vw-provincia select").select_option("cantabria")
    dialog.locator("#vw-volveria input[value='0']").check()
    dialog.locator("#vw-nombre-input").fill("Lucía")
    dialog.locator("#vw-comentario-input").fill("Muy bien")
    dialog.locator("#vw-aspectos input[name='aspectos.rapidez'][value=bien]").check()
    dialog.locator("#vw-aspectos input[name='aspectos.trato'][value=mal]").check()
    for place, code in enumerate(["cobertura", "precio", "atencion"], start=1):
        dialog.locator(f"#vw-prioridades-{place}").select_option(code)
    dialog.locator("#vw-fecha-input").fill("2026-03-14")
    dialog.locator("#vw-acepto input").check()
    dialog.locator("#vw-correo-input").fill("Lucia@Example.com")
    dialog.locator("#vw-movil-input").fill("612 345 678")
    dialog.locator("button.primary").click()

    expect(dialog.locator(".thanks")).to_have_text(
        es("We have your answers. Thank you for your time.")
    )
    rows = {
        (a.question.key, a.row): (a.number, a.text, a.choices, str(a.date or ""))
        for a in Response.objects.get().answers.all()
    }
    assert rows == {
        ("nps", ""): (7, "", None, ""),
        ("estrellas", ""): (4, "", None, ""),
        ("tienda", ""): (None, "", ["playa"], ""),
        ("canales", ""): (None, "", ["web", "app"], ""),
        ("provincia", ""): (None, "", ["cantabria"], ""),
        ("volveria", ""): (0, "", None, ""),
        ("nombre", ""): (None, "Lucía", None, ""),
        ("comentario", ""): (None, "Muy bien", None, ""),
        ("aspectos", "rapidez"): (2, "", ["bien"], ""),
        ("aspectos", "trato"): (1, "", ["mal"], ""),
        ("prioridades", ""): (None, "", ["cobertura", "precio", "atencion"], ""),
        ("fecha", ""): (None, "", None, "2026-03-14"),
        ("acepto", ""): (1, "", None, ""),
        ("correo", ""): (None, "lucia@example.com", None, ""),
        ("movil", ""): (None, "+34612345678", None, ""),
    }


@pytest.mark.browser
def test_the_exit_trigger_opens_when_the_pointer_leaves_through_the_top(
    page: Page, live_server: LiveServer, shop_site: ShopSite, org: Org
) -> None:
    published_survey(unit=org.bilbao)
    script = f"{live_server.url}/s/w/tu-visita.js"
    shop_site.page = BUTTON_PAGE.format(script=script).replace("manual", "exit").encode()
    page.goto(f"http://127.0.0.1:{shop_site.server_address[1]}/")
    page.wait_for_function("() => window.VinculoWidget !== undefined")
    dialog = page.locator("[data-vinculo-widget=tu-visita] section[role=dialog]")

    page.mouse.move(400, 300)
    page.mouse.move(400, 200)
    expect(dialog).to_have_count(0)
    page.mouse.move(400, -5)  # towards the tabs and the address bar

    expect(dialog).to_be_visible()
