"""QR codes (SVG, PNG) and printable posters per store: content, sizes, permissions."""

import io
import struct
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
import segno
from django.test import Client

from vinculo.accounts.models import Unit
from vinculo.surveys import qrcodes
from vinculo.surveys.models import Survey
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tokens import unit_from_token, unit_token
from vinculo.test import Org, People, client_for


def _expected_url(survey: Survey, unit: Unit) -> str:
    query = urlencode({"u": unit_token(unit)}, safe=":")
    return f"http://testserver/s/{survey.slug}/?{query}"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_code_encodes_the_public_link_with_the_stores_signed_unit(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)
    url = _expected_url(survey, org.sevilla)

    svg = client_for(people.bruno).get(f"/surveys/{survey.pk}/qr/{org.sevilla.pk}.svg")

    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    ET.fromstring(svg.content)  # a well-formed SVG document
    reference = io.BytesIO()
    code = segno.make(url, error="m", micro=False)
    code.save(reference, kind="svg", scale=512 // code.symbol_size()[0], border=4, xmldecl=True)
    assert svg.content == reference.getvalue()
    assert qrcodes.make(url).matrix == code.matrix
    token = url.split("u=", 1)[1]
    assert unit_from_token(token) == org.sevilla


def test_the_png_is_the_same_code_at_the_size_asked_for(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    url = _expected_url(survey, org.santander)
    client = client_for(people.bruno)

    png = client.get(f"/surveys/{survey.pk}/qr/{org.santander.pk}.png?size=300")

    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert png.content == qrcodes.png(url, size=300)
    modules = qrcodes.make(url).symbol_size(scale=1)[0]
    assert _png_size(png.content) == ((300 // modules) * modules,) * 2


@pytest.mark.parametrize(
    ("asked", "low", "high"), [("99999", 1500, 2048), ("1", 64, 200), ("big", 400, 512)]
)
def test_the_size_is_kept_within_bounds(
    org: Org, people: People, asked: str, low: int, high: int
) -> None:
    survey = published_survey(unit=org.bilbao)

    png = client_for(people.bruno).get(f"/surveys/{survey.pk}/qr/{org.bilbao.pk}.png?size={asked}")

    width, _height = _png_size(png.content)
    assert low <= width <= high


def test_a_download_link_names_the_file_after_survey_and_store(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)

    svg = client_for(people.bruno).get(f"/surveys/{survey.pk}/qr/{org.bilbao.pk}.svg?download=1")

    assert svg["Content-Disposition"] == 'attachment; filename="tu-visita-bilbao-centro.svg"'


def test_the_poster_shows_title_store_call_to_action_code_and_short_link(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)
    url = _expected_url(survey, org.sevilla)
    client = client_for(people.bruno)
    client.cookies["django_language"] = "en"

    poster = client.get(f"/surveys/{survey.pk}/poster/{org.sevilla.pk}/")

    assert poster.status_code == 200
    page = poster.content.decode()
    assert '<html lang="es">' in page  # the survey's default language, not the staff's
    assert "Tu visita" in page and "Sevilla Nervión" in page
    assert qrcodes.inline_svg(url, title="Tu visita") in page
    assert url.removeprefix("http://") in page
    assert "@page { size: A4" in page


def test_the_poster_list_has_every_store_and_no_other_unit(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    client = client_for(people.bruno)

    page = client.get(f"/surveys/{survey.pk}/posters/").content.decode()

    for store in (org.bilbao, org.santander, org.sevilla):
        assert f"/surveys/{survey.pk}/poster/{store.pk}/" in page
        assert f"/surveys/{survey.pk}/qr/{store.pk}.png" in page
    for other in (org.company, org.norte, org.sur):
        assert f"/poster/{other.pk}/" not in page


def test_the_poster_list_takes_a_fixed_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries
) -> None:
    survey = published_survey(unit=org.bilbao)
    client = client_for(people.bruno)

    with django_assert_max_num_queries(6):
        client.get(f"/surveys/{survey.pk}/posters/")


@pytest.mark.parametrize(
    ("name", "status"), [("alicia", 200), ("bruno", 200), ("diego", 403), ("fernando", 403)]
)
def test_only_people_who_manage_surveys_get_codes_and_posters(
    org: Org, people: People, name: str, status: int
) -> None:
    survey = published_survey(unit=org.bilbao)
    client = client_for(people.by_name(name))

    for url in (
        f"/surveys/{survey.pk}/qr/{org.bilbao.pk}.svg",
        f"/surveys/{survey.pk}/qr/{org.bilbao.pk}.png",
        f"/surveys/{survey.pk}/poster/{org.bilbao.pk}/",
        f"/surveys/{survey.pk}/posters/",
    ):
        assert client.get(url).status_code == status, url


def test_anonymous_visitors_are_sent_to_sign_in(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)

    response = Client().get(f"/surveys/{survey.pk}/poster/{org.bilbao.pk}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_unit_has_no_code(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)

    response = client_for(people.bruno).get(f"/surveys/{survey.pk}/qr/999999.svg")

    assert response.status_code == 404
