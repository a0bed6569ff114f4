"""End to end in Chromium: a CX analyst builds an NPS + CSAT + open-text survey in Spanish
with one display rule, publishes it, and the public link takes an answer."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from vinculo.browser import ARTIFACTS_DIR, login
from vinculo.surveys.models import Response
from vinculo.surveys.tests.browser_helpers import add_question, create_survey
from vinculo.test import PASSWORD, Org, People


@pytest.mark.browser
def test_an_analyst_builds_publishes_and_shares_a_spanish_survey(
    page: Page, live_server: LiveServer, org: Org, people: People
) -> None:
    broken: list[str] = []
    page.on("response", lambda r: broken.append(r.url) if r.status >= 400 else None)
    login(page, live_server.url, people.bruno.username, PASSWORD)

    survey = create_survey(page, live_server.url, "Visita a tienda", "visita-tienda")

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
    questions = page.locator("ol.questions li.q-item")
    expect(questions).to_have_count(3)
    expect(questions.nth(2).locator(".q-logic")).to_contain_text("nps")
    assert page.evaluate("document.querySelectorAll('#editor').length") == 1  # swapped, not nested
    expect(page.locator("#draft-problem")).to_have_count(0)

    page.locator(f'form[action="/surveys/{survey.pk}/publish/"] button').click()
    expect(page.locator(".pill.status-live")).to_be_visible()
    public_link = page.locator("#public-link")
    expect(public_link).to_have_value(f"{live_server.url}/s/visita-tienda/")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "builder_published_survey.png"), full_page=True)
    survey.refresh_from_db()
    assert survey.current_version is not None
    version = survey.current_version
    assert [(q.key, q.kind, q.page) for q in version.questions.all()] == [
        ("nps", "nps", 1),
        ("csat", "csat", 1),
        ("long_text", "long_text", 2),
    ]
    assert version.questions.get(key="long_text").show_if == {
        "question": "nps",
        "op": "lte",
        "value": 6,
    }

    page.goto(public_link.input_value())
    page.locator("label[for=q-nps-3]").click()
    page.locator("label[for=q-csat-2]").click()
    page.locator("button[value=next]").click()
    page.locator("textarea[name=long_text]").fill("Más personal en caja")
    page.locator("button[value=next]").click()
    expect(page.locator(".thanks-text")).to_be_visible()
    answers = {a.question.key: a.number or a.text for a in Response.objects.get().answers.all()}
    assert answers == {"nps": 3, "csat": 2, "long_text": "Más personal en caja"}
    assert broken == []
