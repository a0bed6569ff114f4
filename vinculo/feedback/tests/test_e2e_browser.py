"""Feedback end to end in a real Chromium, as a CX analyst would do it on Monday: import a
CSV of reviews with one malformed row (its error names the row and the column), find the
reviews in the inbox with their sentiment and emotions, add a topic rule, run the analysis
again, and see the topics breakdown change."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from vinculo.browser import login
from vinculo.test import PASSWORD, People

CSV = (
    "external_id;fuente;sitio;tienda;fecha;valoracion;texto\n"
    "G-1;reseña;Google;bilbao-centro;01/03/2026 10:30;1;"
    "Una vergüenza, no había dónde aparcar y el parking cerrado. Estoy harta.\n"
    "G-2;reseña;Google;bilbao-centro;02/03/2026 12:00;5;"
    "Encantada con la atención, muchas gracias a Marta\n"
    "G-3;reseña;Google;bilbao-centro;03/03/2026 09:15;9;Todo bien\n"
    "G-4;reseña;Google;santander;04/03/2026 18:40;2;"
    "El parking siempre lleno y nadie te ayuda. Qué decepción.\n"
)


@pytest.mark.browser
def test_an_analyst_imports_reviews_reads_them_and_adds_a_topic_rule(
    page: Page, live_server: LiveServer, people: People, tmp_path: Path
) -> None:
    login(page, live_server.url, people.bruno.username, PASSWORD)
    csv_file = tmp_path / "resenas-google.csv"
    csv_file.write_text(CSV, encoding="utf-8")

    # The import keeps the valid rows and names the bad one: row 4, column "valoracion".
    page.goto(f"{live_server.url}/imports/")
    page.select_option("#id_kind", "feedback")
    page.set_input_files("#id_file", str(csv_file))
    page.check("input[name=mode][value=valid_rows]")
    page.fill("#id_source", "google")
    page.locator("#import-form button[type=submit]").click()
    expect(page.locator("#import-status [data-status]")).to_have_attribute("data-status", "done")
    expect(page.locator("[data-count=created]")).to_have_text("3")
    error = page.locator("#import-status li[data-row='4']")
    expect(error).to_contain_text("Fila 4")
    expect(error).to_contain_text("valoracion")

    # The inbox shows them, analysed: sentiment, emotions, the marked evidence.
    page.goto(f"{live_server.url}/feedback/")
    angry = page.locator(".feedback-item", has_text="no había dónde aparcar")
    expect(angry.locator(".sentiment")).to_have_text("Muy negativo")
    expect(angry.locator(".pill.emotion", has_text="Enfado")).to_be_visible()
    expect(angry.locator("mark.ev.neg", has_text="vergüenza")).to_be_visible()
    happy = page.locator(".feedback-item", has_text="Encantada")
    expect(happy.locator(".sentiment")).to_have_text(re.compile("^(Muy positivo|Positivo)$"))
    expect(happy.locator(".pill.emotion", has_text="Gratitud")).to_be_visible()

    # No topic speaks of parking yet.
    page.goto(f"{live_server.url}/texts/")
    topics = page.locator("#topics")
    expect(topics).not_to_contain_text("Aparcamiento")

    # A new rule, a new run: two of the three reviews are about parking.
    page.goto(f"{live_server.url}/texts/topics/")
    page.get_by_role("link", name="Nuevo tema").click()
    page.fill("#id_name", "Aparcamiento")
    page.fill("#id_terms", "parking\naparcar")
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("main")).to_contain_text("Tema guardado")
    page.get_by_role("button", name="Volver a ejecutar el análisis").click()
    page.goto(f"{live_server.url}/texts/")
    row = page.locator("#topics tr", has_text="Aparcamiento")
    expect(row.locator("td").nth(1)).to_have_text("2")
    row.get_by_role("link", name="Aparcamiento").click()
    expect(page.locator(".feedback-item")).to_have_count(2)
