"""End to end, as a CX analyst would do it on Monday, in a real Chromium:

sign in, switch the interface to English and back, import a small CSV of interactions,
find the customer by phone number typed differently, open their timeline, see the event.
"""

from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from vinculo.browser import login
from vinculo.test import PASSWORD, People

CSV = (
    "external_id;teléfono;nombre_cliente;fecha;canal;tipo;unidad;importe;attr_vendedor\n"
    "ORD-0001;600 11 22 33;Lucía Fernández;01/03/2026 10:30;store;sale;bilbao-centro;59,90;Íñigo\n"
)


def es(message: str) -> str:
    with translation.override("es"):
        return translation.gettext(message)


@pytest.mark.browser
def test_an_analyst_imports_a_csv_and_finds_the_event_on_the_customers_timeline(
    page: Page, live_server: LiveServer, people: People, tmp_path: Path
) -> None:
    login(page, live_server.url, people.bruno.username, PASSWORD)

    page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".mainnav")).to_contain_text("Customers")
    page.select_option("#language-select", "es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".mainnav")).to_contain_text(es("Customers"))

    csv_file = tmp_path / "ventas-marzo.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    page.goto(f"{live_server.url}/imports/")
    page.select_option("#id_kind", "interactions")
    page.set_input_files("#id_file", str(csv_file))
    page.fill("#id_source", "tpv")
    page.locator("#import-form button[type=submit]").click()
    status = page.locator("#import-status [data-status]")
    expect(status).to_have_attribute("data-status", "done")
    expect(page.locator("[data-count=created]")).to_have_text("1")

    page.goto(f"{live_server.url}/customers/")
    page.fill("#id_q", "+34 600 112 233")
    result = page.locator("#results a", has_text="Lucía Fernández")
    expect(result).to_be_visible()
    result.click()

    expect(page.locator("h1")).to_contain_text("Lucía Fernández")
    event = page.locator("#timeline ol.timeline li").first
    expect(event).to_contain_text("Venta")  # the seeded type's name
    expect(event).to_contain_text("Tienda")
    expect(event).to_contain_text("Bilbao Centro")
    expect(event).to_contain_text("Íñigo")
    expect(event.locator("time")).to_have_attribute("datetime", "2026-03-01T10:30:00+01:00")
