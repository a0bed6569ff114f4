"""End to end in Chromium on a phone-sized screen: the public link, answered by keyboard."""

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from vinculo.browser import ARTIFACTS_DIR
from vinculo.surveys.choices import ResponseStatus
from vinculo.surveys.models import Response
from vinculo.surveys.testing import published_survey
from vinculo.test import Org

PHONE: ViewportSize = {"width": 390, "height": 844}


def _tab_to(page: Page, selector: str, limit: int = 12) -> None:
    """Presses Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.browser
def test_a_customer_answers_the_two_page_survey_on_a_phone_with_the_keyboard(
    page: Page, live_server: LiveServer, org: Org
) -> None:
    published_survey(unit=org.bilbao)
    page.set_viewport_size(PHONE)
    broken: list[str] = []
    page.on("response", lambda r: broken.append(r.url) if r.status >= 400 else None)

    page.goto(f"{live_server.url}/s/tu-visita/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#q-nps legend")).to_contain_text("¿Recomendarías Bilbao Centro")

    _tab_to(page, "input[name=nps]")
    assert page.evaluate("document.activeElement.value") == "0"
    for _ in range(9):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#q-nps-9")).to_be_checked()
    outline = page.evaluate(
        "getComputedStyle(document.querySelector('label[for=q-nps-9]')).outlineStyle"
    )
    assert outline == "solid"  # the focused point shows where the keyboard is
    _tab_to(page, "input[name=csat]")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#q-csat-4")).to_be_checked()
    assert _fits_the_screen(page)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "respond_phone_first_page.png"), full_page=True)
    _tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")

    expect(page.locator("#q-gusto legend")).to_contain_text("¿Qué es lo que más te gustó?")
    expect(page.locator("#q-mejora")).to_have_count(0)
    _tab_to(page, "textarea[name=gusto]")
    page.keyboard.type("La rapidez")
    _tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")

    expect(page.locator(".thanks-text")).to_have_text("¡Gracias por ayudarnos!")
    assert _fits_the_screen(page)
    page.screenshot(path=str(ARTIFACTS_DIR / "respond_phone_thanks.png"), full_page=True)
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETE
    stored = {a.question.key: a.number or a.text for a in response.answers.all()}
    assert stored == {"nps": 9, "csat": 4, "gusto": "La rapidez"}
    assert broken == []


@pytest.mark.browser
def test_a_missing_answer_is_announced_at_the_top_and_next_to_the_question(
    page: Page, live_server: LiveServer, org: Org
) -> None:
    published_survey(unit=org.bilbao)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/s/tu-visita/?lang=en")

    page.locator("label[for=q-nps-3]").click()
    page.get_by_role("button", name="Next").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("“How satisfied are you?” needs an answer.")
    expect(page.locator("#q-csat .field-error")).to_be_visible()
    expect(page.locator("#q-nps-3")).to_be_checked()
    assert Response.objects.count() == 0


SAME_PAGE_LOGIC = {
    "title": {"es": "Tu visita"},
    "questions": [
        {"key": "nps", "kind": "nps", "required": True, "text": {"es": "¿Nos recomiendas?"}},
        {
            "key": "motivo",
            "kind": "short_text",
            "required": True,
            "text": {"es": "¿Qué falló?"},
            "show_if": {"question": "nps", "op": "lte", "value": 6},
        },
    ],
}


@pytest.mark.browser
def test_a_question_shown_by_an_answer_on_the_same_page_appears_and_hides(
    page: Page, live_server: LiveServer, org: Org
) -> None:
    published_survey(unit=org.bilbao, definition=SAME_PAGE_LOGIC, languages=["es"])
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/s/tu-visita/")
    motivo = page.locator("#q-motivo")

    expect(motivo).to_be_hidden()
    page.locator("label[for=q-nps-3]").click()
    expect(motivo).to_be_visible()
    page.fill("#q-motivo-input", "La espera")
    page.locator("label[for=q-nps-9]").click()
    expect(motivo).to_be_hidden()
    page.locator("button[value=next]").click()

    expect(page.locator(".thanks-text")).to_be_visible()
    stored = {a.question.key: a.number or a.text for a in Response.objects.get().answers.all()}
    assert stored == {"nps": 9}  # the hidden question's text was not kept
