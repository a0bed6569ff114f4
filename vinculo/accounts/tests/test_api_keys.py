"""GET/POST /api/v1/api-keys and POST /api/v1/api-keys/{id}/revoke."""

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vinculo.accounts.models import ApiKey
from vinculo.accounts.permissions import API_KEY_SCOPES
from vinculo.accounts.services import create_api_key
from vinculo.test import Org, People, client_for

URL = "/api/v1/api-keys"


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def test_an_administrator_creates_a_key_and_sees_its_token_once(org: Org, people: People) -> None:
    client = client_for(people.alicia)

    created = post(
        client,
        URL,
        {"name": "TPV", "scopes": ["interactions.add", "customers.view"], "unit": "norte"},
    )
    listed = client.get(URL)

    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith(f"vk_{body['prefix']}_")
    assert (body["scopes"], body["unit"], body["created_by"]) == (
        ["customers.view", "interactions.add"],
        "norte",
        "alicia",
    )
    assert listed.status_code == 200
    assert [key["name"] for key in listed.json()] == ["TPV"]
    assert "token" not in listed.json()[0]


def test_the_created_token_authenticates_with_its_scopes(org: Org, people: People) -> None:
    body = post(client_for(people.alicia), URL, {"name": "BI", "scopes": ["org.view"]}).json()

    response = Client(headers={"Authorization": f"Bearer {body['token']}"}).get("/api/v1/me")

    assert response.json()["permissions"] == ["org.view"]


def test_a_key_can_never_be_given_the_scope_to_manage_keys(org: Org, people: People) -> None:
    response = post(
        client_for(people.alicia), URL, {"name": "x", "scopes": ["org.view", "apikeys.manage"]}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "scopes[1]"
    assert not ApiKey.objects.exists()


def test_an_unknown_unit_is_422_naming_unit(org: Org, people: People) -> None:
    response = post(
        client_for(people.alicia), URL, {"name": "x", "scopes": ["org.view"], "unit": "marte"}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "unit"


def test_only_administrators_manage_keys(org: Org, people: People) -> None:
    client = client_for(people.bruno)

    assert client.get(URL).status_code == 403
    assert post(client, URL, {"name": "x", "scopes": ["org.view"]}).status_code == 403


def test_a_key_cannot_manage_keys_whatever_its_scopes(org: Org) -> None:
    _key, token = create_api_key(
        name="all", scopes=[scope.value for scope in API_KEY_SCOPES], created_by=None
    )
    client = Client(headers={"Authorization": f"Bearer {token}"})

    assert client.get(URL).status_code == 403
    assert post(client, URL, {"name": "x", "scopes": ["org.view"]}).status_code == 403


def test_revoking_a_key_stops_it_at_once(org: Org, people: People) -> None:
    key, token = create_api_key(name="old", scopes=["org.view"], created_by=people.alicia)
    key_client = Client(headers={"Authorization": f"Bearer {token}"})
    assert key_client.get("/api/v1/me").status_code == 200

    response = post(client_for(people.alicia), f"{URL}/{key.pk}/revoke")

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert key_client.get("/api/v1/me").status_code == 401


def test_revoking_an_unknown_key_is_404(org: Org, people: People) -> None:
    response = post(client_for(people.alicia), f"{URL}/999/revoke")

    assert response.status_code == 404


def test_listing_keys_takes_as_many_queries_for_20_keys_as_for_2(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    client = client_for(people.alicia)
    for number in range(2):
        create_api_key(
            name=f"k{number}", scopes=["org.view"], created_by=people.alicia, unit=org.sur
        )
    with CaptureQueriesContext(connection) as two:
        client.get(URL)
    for number in range(2, 20):
        create_api_key(
            name=f"k{number}", scopes=["org.view"], created_by=people.bruno, unit=org.norte
        )

    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(URL)

    assert len(response.json()) == 20
