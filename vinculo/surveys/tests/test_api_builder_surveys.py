"""GET/POST /api/v1/surveys/ and GET/PATCH /api/v1/surveys/{id}."""

from typing import Any

from django.test import Client

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_api_key
from vinculo.journeys.models import Channel, InteractionType
from vinculo.journeys.services import touchpoint_for
from vinculo.surveys import services
from vinculo.surveys.models import Survey
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered
from vinculo.test import Org, People, client_for

URL = "/api/v1/surveys/"


def key_client(scopes: list[str] | None = None, unit: Unit | None = None) -> Client:
    _key, token = create_api_key(
        name="builder", scopes=scopes or ["surveys.manage"], created_by=None, unit=unit
    )
    return Client(headers={"Authorization": f"Bearer {token}"})


def body(org: Org, **values: Any) -> dict[str, Any]:
    return {
        "name": "Visita",
        "slug": "visita",
        "unit": "bilbao-centro",
        "languages": ["es", "en"],
        **values,
    }


def test_the_list_gives_each_survey_with_its_version_and_responses(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    answered(survey, org.bilbao, {"nps": 9, "csat": 5})
    services.create_survey(actor=SYSTEM, name="Atención", slug="atencion", unit=org.company)

    response = key_client().get(URL)

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    first, second = data["items"]
    assert (first["name"], first["status"], first["published_version"], first["has_draft"]) == (
        "Atención",
        "draft",
        None,
        True,
    )
    assert (second["slug"], second["published_version"], second["responses"]) == ("tu-visita", 1, 1)
    assert second["public_url"] == "http://testserver/s/tu-visita/"
    assert second["unit"] == "bilbao-centro"


def test_the_list_filters_by_status_and_reads_a_fixed_number_of_queries(
    org: Org, django_assert_max_num_queries: Any
) -> None:
    for number in range(8):
        published_survey(unit=org.bilbao, slug=f"s{number}", name=f"S{number}")
    services.create_survey(actor=SYSTEM, name="Borrador", slug="borrador", unit=org.company)
    client = key_client()

    with django_assert_max_num_queries(6):
        response = client.get(URL, {"status": "live", "limit": "5"})

    assert response.json()["count"] == 8
    assert len(response.json()["items"]) == 5


def test_a_survey_is_created_as_a_draft(org: Org) -> None:
    touchpoint = touchpoint_for(
        channel=Channel.objects.get(code="store"),
        interaction_type=InteractionType.objects.get(code="sale"),
    )

    response = key_client().post(
        URL,
        body(org, touchpoint=touchpoint.pk, title={"es": "Tu visita", "en": "Your visit"}),
        content_type="application/json",
    )

    assert response.status_code == 201
    data = response.json()
    assert (data["status"], data["has_draft"], data["touchpoint"]) == ("draft", True, touchpoint.pk)
    survey = Survey.objects.get(slug="visita")
    assert survey.versions.get().title == {"es": "Tu visita", "en": "Your visit"}


def test_bad_settings_get_a_422_naming_every_field(org: Org) -> None:
    services.create_survey(actor=SYSTEM, name="Otra", slug="visita", unit=org.company)

    response = key_client().post(
        URL,
        body(org, unit="nowhere", touchpoint=999, languages=["es"], default_language="en"),
        content_type="application/json",
    )

    assert response.status_code == 422
    fields = {error["field"]: error["type"] for error in response.json()["detail"]}
    assert fields == {
        "unit": "unknown_unit",
        "touchpoint": "unknown_touchpoint",
        "slug": "slug_taken",
        "default_language": "not_a_language",
    }


def test_a_unit_limited_key_cannot_place_a_survey_outside_its_units(org: Org) -> None:
    response = key_client(unit=org.norte).post(
        URL, body(org, unit="sevilla-nervion"), content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "unit"


def test_one_survey_is_read_and_its_settings_are_changed(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    client = key_client()

    got = client.get(f"{URL}{survey.pk}")
    patched = client.patch(
        f"{URL}{survey.pk}",
        {"name": "Tu visita a la tienda", "public_link": False, "unit": "norte"},
        content_type="application/json",
    )

    assert got.json()["name"] == "Tu visita"
    assert patched.status_code == 200
    assert (patched.json()["name"], patched.json()["public_link"], patched.json()["unit"]) == (
        "Tu visita a la tienda",
        False,
        "norte",
    )
    survey.refresh_from_db()
    assert survey.languages == ["es", "en"]


def test_an_unknown_survey_is_not_found(db: None) -> None:
    assert key_client().get(f"{URL}999").status_code == 404


def test_the_builder_api_needs_the_permission_to_manage_surveys(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)

    assert key_client(["responses.view"]).get(URL).status_code == 403
    assert key_client(["responses.view"]).get(f"{URL}{survey.pk}").status_code == 403
    assert client_for(people.carmen).get(URL).status_code == 403
    assert client_for(people.bruno).get(URL).status_code == 200
