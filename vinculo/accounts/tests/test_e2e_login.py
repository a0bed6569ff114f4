"""End to end: sign in through the login page and switch the interface language."""

import pytest
from playwright.sync_api import Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from vinculo.browser import login
from vinculo.test import PASSWORD, People

# The .mo files are built, not committed: without them every page is in English.
UNCOMPILED = "Spanish text missing: compile the catalogues with `make install`."


@pytest.mark.browser
def test_a_person_signs_in_in_spanish_and_switches_to_english_and_back(
    page: Page, live_server: LiveServer, people: People
) -> None:
    broken: list[str] = []

    def note_broken(response: Response) -> None:
        # Chromium asks for a favicon on its own; the app has none to give yet.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            broken.append(f"{response.status} {response.url}")

    page.on("response", note_broken)

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1"), UNCOMPILED).to_have_text("Iniciar sesión")

    login(page, live_server.url, people.alicia.username, PASSWORD)
    sign_out = page.locator("header form button[type=submit]")
    expect(sign_out).to_have_text("Cerrar sesión")
    expect(page.locator(".who")).to_contain_text("alicia")

    page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(sign_out).to_have_text("Sign out")
    expect(page.locator("#language-select")).to_have_value("en")

    page.select_option("#language-select", "es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(sign_out).to_have_text("Cerrar sesión")

    # The stylesheet and HTMX come from the app's own static files, served without any
    # collectstatic step under tests.
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("document.styleSheets.length") >= 1
    assert broken == []
