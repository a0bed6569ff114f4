"""Working a case on a phone in a real Chromium: an agent opens the case list, takes a
case, logs the call to the customer, resolves it with a root cause, and the page shows it
resolved with everything in its activity log, in one column."""

import pytest
from django.utils import translation
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from vinculo.browser import login
from vinculo.cases.choices import Status
from vinculo.cases.testing import opened
from vinculo.test import PASSWORD, Org, People, make_customer

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.mark.browser
def test_an_agent_takes_calls_and_resolves_a_case_on_a_phone(
    page: Page, live_server: LiveServer, org: Org, people: People
) -> None:
    ana = make_customer("Ana Bilbao", phone="+34600112233")
    case = opened(org.bilbao, "Cobro duplicado en la factura", customer=ana, department="billing")
    opened(org.sevilla, "Caso de otro departamento")  # customer service: not Elena's
    page.set_viewport_size(PHONE)
    login(page, live_server.url, people.elena.username, PASSWORD)

    page.goto(f"{live_server.url}/cases/")
    expect(page.locator("main")).not_to_contain_text("Caso de otro departamento")
    page.get_by_role("link", name=f"#{case.pk} Cobro duplicado en la factura").click()
    expect(page).to_have_url(f"{live_server.url}/cases/{case.pk}/")

    page.locator("#do-take button").click()
    expect(page.locator(".case-facts")).to_contain_text("elena")

    page.select_option("#contact_channel", "call")
    page.select_option("#contact_outcome", "reached")
    page.fill("#contact_text", "Le devolvemos el cargo duplicado")
    page.locator("#do-contact button").click()

    page.select_option("#resolve_root_cause", label="Facturación > Cargo duplicado")
    page.fill("#resolve_resolution", "Abonados 20 € en la próxima factura")
    page.locator("#do-resolve button").click()

    with translation.override("es"):
        resolved = str(Status.RESOLVED.label)
    expect(page.locator("#case-status")).to_have_text(resolved)
    log = page.locator(".case-log")
    expect(log).to_contain_text("Le devolvemos el cargo duplicado")
    expect(log).to_contain_text("Cargo duplicado")
    expect(page.locator(".case-facts")).to_contain_text("Abonados 20 € en la próxima factura")
    # One column on a phone: the page does not scroll sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
