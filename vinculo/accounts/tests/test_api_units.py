"""GET /api/v1/units, GET /api/v1/departments and GET /api/v1/me."""

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vinculo.accounts.choices import UnitKind
from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_api_key, create_unit
from vinculo.test import Org, People, client_for


def key_client(unit: Unit | None = None) -> Client:
    _key, token = create_api_key(name="bi", scopes=["org.view"], created_by=None, unit=unit)
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_units_come_depth_first_each_after_its_parent(org: Org) -> None:
    response = key_client().get("/api/v1/units")

    assert response.status_code == 200
    rows = [(u["code"], u["parent"], u["depth"], u["kind"]) for u in response.json()]
    assert rows == [
        ("telco", None, 0, "company"),
        ("norte", "telco", 1, "region"),
        ("bilbao-centro", "norte", 2, "store"),
        ("santander", "norte", 2, "store"),
        ("sur", "telco", 1, "region"),
        ("sevilla-nervion", "sur", 2, "store"),
    ]


def test_a_unit_manager_sees_only_their_subtree_rooted_at_their_unit(
    org: Org, people: People
) -> None:
    response = client_for(people.carmen).get("/api/v1/units")

    rows = [(u["code"], u["parent"]) for u in response.json()]
    assert rows == [("norte", None), ("bilbao-centro", "norte"), ("santander", "norte")]


def test_a_key_limited_to_a_store_sees_that_store_only(org: Org) -> None:
    response = key_client(unit=org.sevilla).get("/api/v1/units")

    assert [u["code"] for u in response.json()] == ["sevilla-nervion"]


def test_units_take_as_many_queries_for_30_units_as_for_6(
    org: Org, django_assert_max_num_queries: Any
) -> None:
    client = key_client()
    with CaptureQueriesContext(connection) as six:
        client.get("/api/v1/units")
    for number in range(24):
        create_unit(name=f"Tienda {number}", code=f"t{number}", kind=UnitKind.STORE, parent=org.sur)

    with django_assert_max_num_queries(len(six.captured_queries)):
        response = client.get("/api/v1/units")

    assert len(response.json()) == 30


def test_departments_list_codes_and_names(org: Org, people: People) -> None:
    response = client_for(people.elena).get("/api/v1/departments")

    assert {"code": "billing", "name": "Facturación"} in [
        {"code": d["code"], "name": d["name"]} for d in response.json()
    ]


def test_people_without_a_role_cannot_read_the_organisation(org: Org, people: People) -> None:
    client = client_for(people.nadie)

    assert client.get("/api/v1/units").status_code == 403
    assert client.get("/api/v1/departments").status_code == 403


def test_me_tells_a_key_its_permissions_and_units(org: Org) -> None:
    response = key_client(unit=org.sevilla).get("/api/v1/me")

    assert response.json()["permissions"] == ["org.view"]
    assert response.json()["unit_ids"] == [org.sevilla.pk]
