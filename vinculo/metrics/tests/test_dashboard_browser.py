"""The metrics dashboard end to end, in a real Chromium, as a CX analyst uses it: open the
dashboard, change the period and a filter, drill down from the worst store's NPS to its
detractors' comments, export the league to XLSX and the dashboard to PDF, and find the
page's numbers in both files.

The answers are ``world.build_world``'s (March and April 2026) plus two detractors planted
at Bilbao Centro in April, with comments. Hand-worked figures from 1 March to 30 April 2026:

| scope          | n   | promoters | detractors | NPS                          |
|----------------|-----|-----------|------------|------------------------------|
| company        | 142 | 70        | 32         | 38 / 142 = +26.8, shown +27  |
| channel web    | 50  | 30        | 10         | 20 / 50 = +40                |
| Santander      | 10  | 10        | 0          | +100 (rank 1)                |
| Sevilla        | 60  | 30        | 0          | +50 (rank 2)                 |
| Bilbao Centro  | 72  | 30        | 32         | -2 / 72 = -2.8, shown -3     |
"""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Download, Locator, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from vinculo.browser import ARTIFACTS_DIR, login
from vinculo.metrics.models import MetricPolicy
from vinculo.metrics.testing import answer, folded
from vinculo.metrics.tests.world import build_world
from vinculo.surveys.choices import Collector
from vinculo.test import PASSWORD, Org, People, at

PLANTED = {"Demasiada cola": 1, "Nadie atendía en caja a mediodía": 0}
BILBAO_DETRACTORS = 10 + 20 + len(PLANTED)  # March's 3s, April's 2s, the planted ones
# WeasyPrint takes a few seconds to render the whole dashboard.
PDF_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class LeagueRow:
    rank: int
    code: str
    name: str
    value: int
    n: int


def figure(text: str) -> int:
    """A whole-point NPS or an n as the page prints it: "+25", "-4", "1.234"."""
    cleaned = re.sub(r"[^\d-]", "", text.replace("\u2212", "-"))
    return int(cleaned)


def apply_filters(page: Page, **choices: str) -> None:
    """Opens Filtros, picks each select's option by value (or fills a date) and applies."""
    page.locator("details.filterbox > summary").click()
    form = page.locator("details.filterbox form")
    for name, value in choices.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.get_by_role("button", name="Aplicar").click()
    asked = [f"{name}={quote_plus(value)}" for name, value in choices.items()]
    page.wait_for_url(
        lambda url: all(re.search(rf"[?&]{re.escape(pair)}(&|$)", url) for pair in asked)
    )


def league_rows(page: Page) -> list[LeagueRow]:
    rows: list[LeagueRow] = []
    for row in page.get_by_test_id("league-row").all():
        cells = row.locator("td")
        rows.append(
            LeagueRow(
                rank=int(cells.nth(0).inner_text()),
                code=row.get_attribute("data-unit") or "",
                name=cells.nth(1).inner_text().strip(),
                value=figure(row.get_by_test_id("league-value").inner_text()),
                n=figure(row.locator("td[data-label=n]").inner_text()),
            )
        )
    return rows


def saved(download: Download, folder: Path) -> Path:
    """The downloaded file under the name the server gave it (openpyxl reads by extension)."""
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def nps_scores(response_rows: Locator) -> list[int]:
    scores = []
    for row in response_rows.all():
        nps = row.locator("span.score").filter(has_text=re.compile(r"^\s*nps\b"))
        scores.append(int(nps.locator("b").inner_text()))
    return scores


@pytest.mark.browser
def test_an_analyst_filters_drills_down_to_the_worst_store_and_exports_what_the_page_shows(
    page: Page, live_server: LiveServer, org: Org, people: People, tmp_path: Path
) -> None:
    world = build_world(org)
    for i, (comment, score) in enumerate(PLANTED.items()):
        answer(
            world.survey,
            org.bilbao,
            at(f"2026-04-2{i} 12:00"),
            customer=world.particular,
            collector=Collector.QR,  # like Bilbao's other April answers: store, particular
            nps=score,
            csat=1,
            comentario=comment,
        )
    folded()
    assert MetricPolicy.objects.filter(pk=1).update(min_sample=10) == 1  # all 3 stores ranked
    tile = page.get_by_test_id("tile-nps")

    # The default view is the last 90 days before today (December 2026): nothing in it.
    login(page, live_server.url, people.bruno.username, PASSWORD)
    page.goto(f"{live_server.url}/metrics/")
    expect(tile.get_by_test_id("value")).to_have_text("sin respuestas")
    expect(tile.get_by_test_id("n")).to_have_text("0")

    apply_filters(page, period="custom", since="2026-03-01", until="2026-04-30")
    expect(tile.get_by_test_id("n")).to_have_text("142")
    expect(tile.get_by_test_id("value")).to_have_text("+27")

    apply_filters(page, channel="web")
    expect(tile.get_by_test_id("n")).to_have_text("50")
    expect(tile.get_by_test_id("value")).to_have_text("+40")
    assert "channel=web" in page.url

    apply_filters(page, channel="")  # back to "Cualquiera"
    assert "channel=web" not in page.url and "since=2026-03-01" in page.url
    expect(tile.get_by_test_id("n")).to_have_text("142")

    # Drill down from the worst-ranked store to its unhappy answers.
    league = league_rows(page)
    assert [(r.rank, r.code, r.value, r.n) for r in league] == [
        (1, "santander", 100, 10),
        (2, "sevilla-nervion", 50, 60),
        (3, "bilbao-centro", -3, 72),
    ]
    worst = max(league, key=lambda r: r.rank)
    worst_row = page.locator(f"[data-testid=league-row][data-unit={worst.code}]")
    worst_row.get_by_test_id("league-drill").click()
    page.wait_for_url("**/surveys/responses/?*")

    assert "score=nps%3A0-6" in page.url
    results = page.locator("#results")
    expect(results.locator("p.muted").first).to_have_text(f"{BILBAO_DETRACTORS} respuestas")
    listed = results.locator("table tbody tr")
    expect(listed).to_have_count(BILBAO_DETRACTORS)
    scores = nps_scores(listed)
    assert len(scores) == BILBAO_DETRACTORS and max(scores) <= 6
    units = set(listed.locator("td[data-label=Unidad]").all_inner_texts())
    assert units == {worst.name}
    comments = listed.locator("td.comment").all_inner_texts()
    for comment in PLANTED:
        assert comment in comments

    # Back on the dashboard, still on the custom period: the league as XLSX.
    page.go_back()
    expect(tile.get_by_test_id("n")).to_have_text("142")
    with page.expect_download() as xlsx_download:
        page.get_by_test_id("export-league").click()
    xlsx = saved(xlsx_download.value, tmp_path)
    assert xlsx.suffix == ".xlsx"
    book = load_workbook(xlsx, read_only=True)
    sheet = [row for row in book["Clasificación"].iter_rows(values_only=True) if row]
    assert any("01/03/2026" in str(cell) for row in sheet for cell in row)  # the period
    in_file = {row[1]: row for row in sheet if isinstance(row[0], int)}
    assert set(in_file) == {row.name for row in league}
    for row in league_rows(page):
        rank, _name, value, _low, _high, n, _shrunk = in_file[row.name]
        assert (rank, value, n) == (row.rank, row.value, row.n), row.name

    # The whole dashboard as PDF: the NPS tile and every store of the league are in it.
    shown_value = tile.get_by_test_id("value").inner_text()
    shown_n = tile.get_by_test_id("n").inner_text()
    with page.expect_download(timeout=PDF_TIMEOUT_MS) as pdf_download:
        page.get_by_test_id("export-pdf").click()
    pdf = saved(pdf_download.value, tmp_path)
    assert pdf.suffix == ".pdf"
    reader = PdfReader(pdf)
    text = "\n".join(pdf_page.extract_text() for pdf_page in reader.pages)
    assert shown_value in text and f"n = {shown_n}" in text
    for row in league:
        assert row.name in text

    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "metrics-dashboard.png"), full_page=True)
