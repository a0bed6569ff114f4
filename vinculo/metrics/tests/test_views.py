"""The dashboard page and its exports: the same figures, n and intervals everywhere,
scoped to the person's units, with drill-down links to the responses behind them."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from vinculo.accounts.services import create_unit
from vinculo.metrics.models import MetricPolicy
from vinculo.metrics.testing import answer, folded, measure_survey
from vinculo.metrics.tests.world import build_world
from vinculo.test import at, client_for

SPRING = {"period": "custom", "since": "2026-03-01", "until": "2026-04-30"}
URL = "/metrics/"


@pytest.fixture
def world(org):
    return build_world(org)


def page(client, **params):
    response = client.get(URL, {**SPRING, **params})
    return response, response.content.decode()


def tile_text(html, metric):
    block = html.split(f'data-testid="tile-{metric}"', 1)[1].split("</article>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)).strip()


def test_the_company_dashboard_shows_each_measure_with_its_interval_and_n(world, people):
    response, html = page(client_for(people.bruno))

    assert response.status_code == 200
    nps = tile_text(html, "nps")
    # 140 answers, 70 promoters, 30 detractors: NPS 28.6, shown in whole points.
    assert "+29" in nps and "n = 140" in nps
    assert "IC 95 %" in nps
    assert "promotores 50,0 %" in nps
    csat = tile_text(html, "csat")
    assert "50,0 %" in csat  # 70 of 140 gave a 5
    assert "sin respuestas" in tile_text(html, "ces")  # no CES answers at all
    assert "Norte" in html and "Sur" in html


def test_a_unit_managers_dashboard_is_their_unit_and_refuses_any_other(world, people):
    client = client_for(people.carmen)

    response, html = page(client)
    refused, refusal = page(client, unit="sur")

    assert response.status_code == 200
    assert 'data-testid="scope">Norte<' in html
    assert "Sevilla" not in html and "Comentario sevilla" not in html
    assert refused.status_code == 400
    assert "Unidad: No hay ninguna unidad con este código dentro de tu alcance." in refusal


def test_small_samples_are_suppressed_on_the_page(world, people):
    _response, html = page(client_for(people.bruno), unit="santander")

    assert "muestra insuficiente" in tile_text(html, "nps")
    assert "n = 10" in tile_text(html, "nps")


def test_the_league_links_down_to_the_unhappy_answers_of_each_unit(world, people, org):
    MetricPolicy.objects.filter(pk=1).update(min_sample=10)
    client = client_for(people.bruno)

    _response, html = page(client)
    links = re.findall(r'href="([^"]+)" data-testid="league-drill"', html)
    bilbao = next(link for link in links if f"unit={org.bilbao.pk}" in link)
    listed = client.get(bilbao.replace("&amp;", "&")).content.decode()

    assert "score=nps%3A0-6" in bilbao and "since=2026-03-01" in bilbao
    # Bilbao's 30 detractors of the period: 10 in March and 20 in April.
    assert "30 respuestas" in listed


def test_comments_are_shown_escaped(world, people, org):
    answer(
        world.survey,
        org.bilbao,
        at("2026-04-20 10:00"),
        nps=1,
        comentario="<script>alert(1)</script>",
    )
    folded()

    _response, html = page(client_for(people.bruno))

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_xlsx_export_has_the_pages_figures(world, people):
    MetricPolicy.objects.filter(pk=1).update(min_sample=10)
    client = client_for(people.bruno)

    export = client.get("/metrics/export.xlsx", {**SPRING, "table": "all"})
    book = load_workbook(io.BytesIO(export.content))

    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert book.sheetnames == [
        "Resumen",
        "Tendencia",
        "Por unidad",
        "Clasificación",
        "Punto de contacto",
    ]
    summary = [
        row for row in book["Resumen"].iter_rows(values_only=True) if row and row[0] == "NPS"
    ]
    # NPS 28.57 on 140 answers; adjusted n' 143, p+ 70.75/143, p- 30.75/143, centre
    # 27.97, SE 6.64 points, half-width 13.03: 14.9 to 41.0, rounded as the page shows.
    assert summary[0][1:5] == (29, 15, 41, 140)
    league = [
        r for r in book["Clasificación"].iter_rows(values_only=True) if r and isinstance(r[0], int)
    ]
    assert [(r[0], r[1], r[5]) for r in league] == [
        (1, "Santander", 10),
        (2, "Sevilla Nervión", 60),
        (3, "Bilbao Centro", 70),
    ]


def test_the_pdf_export_has_the_pages_figures(world, people):
    export = client_for(people.bruno).get("/metrics/dashboard.pdf", SPRING)

    assert export["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(export.content)).pages)
    assert "+29" in text and "n = 140" in text
    assert "Comentario bilbao-centro" in text


def test_bad_filters_are_named_in_the_users_language(people):
    response, html = page(
        client_for(people.bruno), period="custom", since="2026-03-05", until="2026-03-01"
    )

    assert response.status_code == 400
    assert "El último día es anterior al primero." in html


def test_the_dashboard_takes_a_fixed_number_of_queries(
    world, people, django_assert_max_num_queries
):
    client = client_for(people.bruno)
    page(client)

    with django_assert_max_num_queries(40):
        response, _html = page(client)
    assert response.status_code == 200


def test_names_in_the_xlsx_stay_text_even_when_they_look_like_formulas(people, org):
    trap = create_unit(
        name='=HYPERLINK("http://x")\x07', code="trampa", kind="store", parent=org.sur
    )
    answer(measure_survey(org.company), trap, at("2026-03-10 10:00"), nps=9)
    folded()
    client = client_for(people.bruno)

    export = client.get("/metrics/export.xlsx", {**SPRING, "unit": "sur", "table": "units"})
    sheet = load_workbook(io.BytesIO(export.content))["Por unidad"]

    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_the_responses_behind_a_tile_are_as_many_as_its_n(world, people):
    client = client_for(people.bruno)
    _response, html = page(client)
    tile = html.split('data-testid="tile-nps"', 1)[1].split("</article>", 1)[0]
    link = re.search(r'<p class="drill"><a href="([^"]+)"', tile)
    assert link is not None

    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()

    assert "140 respuestas" in listed


def test_a_chosen_survey_shows_each_question_with_its_figures(world, people, org):
    MetricPolicy.objects.filter(pk=1).update(min_sample=2)
    for chosen, stars in ((["precio"], 5), (["precio", "trato"], 3), (["trato"], 4)):
        answer(world.survey, org.bilbao, at("2026-03-20 10:00"), motivos=chosen, estrellas=stars)
    folded()

    _response, html = page(client_for(people.bruno), survey=world.survey.pk)
    section = html.split('data-testid="results"', 1)[1].split("</section>", 1)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))

    assert "Tu visita, pregunta a pregunta" in text
    assert "Precio 66,7 %" in text  # 2 of the 3 who answered "motivos"
    assert "Trato 66,7 %" in text and "Rapidez 0,0 %" in text
    assert "4,00" in text  # the stars' mean: (5 + 3 + 4) / 3


def test_the_questions_of_a_survey_export_to_xlsx(world, people, org):
    MetricPolicy.objects.filter(pk=1).update(min_sample=2)
    for chosen in (["precio"], ["precio", "trato"]):
        answer(world.survey, org.bilbao, at("2026-03-20 10:00"), motivos=chosen)
    folded()

    export = client_for(people.bruno).get(
        "/metrics/export.xlsx", {**SPRING, "survey": world.survey.pk, "table": "questions"}
    )
    rows = list(
        load_workbook(io.BytesIO(export.content))["Por pregunta"].iter_rows(values_only=True)
    )

    precio = next(r for r in rows if r[1] == "motivos" and r[2] == "Precio")
    assert precio[3:7] == (100, pytest.approx(34.2, abs=0.1), 100, 2)


def test_the_filters_show_the_period_and_unit_the_figures_are_about(people):
    client = client_for(people.carmen)

    default = client.get("/metrics/filters/").content.decode()
    chosen = client.get("/metrics/filters/", {"period": "12m", "unit": "bilbao-centro"})

    assert '<option value="90d" selected>' in default
    assert '<option value="norte" selected>' in default
    html = chosen.content.decode()
    assert '<option value="12m" selected>' in html
    assert '<option value="bilbao-centro" selected>' in html
    assert "Sevilla" not in html and "Sur" not in html  # nothing beyond her units


def test_the_home_page_shows_the_persons_units_measures(world, people, org):
    answer(world.survey, org.bilbao, timezone.now() - timedelta(days=5), nps=10)
    folded()

    carmen = client_for(people.carmen).get("/").content.decode()
    nobody = client_for(people.nadie).get("/").content.decode()

    assert "Norte, últimos 90 días" in carmen and 'data-testid="home-nps"' in carmen
    assert 'data-testid="home-nps"' not in nobody
