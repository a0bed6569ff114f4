"""POST /api/v1/surveys/widget-identity: a site's server asks for its customer's token."""

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_api_key
from vinculo.customers.models import Customer
from vinculo.surveys.widgetauth import customer_from_identity_token
from vinculo.test import Org, add_interaction, make_customer

URL = "/api/v1/surveys/widget-identity"


def key_client(scopes: tuple[str, ...] = ("responses.enter",), unit: Unit | None = None) -> Client:
    _key, token = create_api_key(name="tienda", scopes=list(scopes), created_by=None, unit=unit)
    return Client(headers={"Authorization": f"Bearer {token}"})


def ask(client: Client, body: dict[str, Any]) -> Any:
    return client.post(URL, body, content_type="application/json")


def test_a_known_customer_gets_a_token_naming_them(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")

    answer = ask(key_client(), {"identities": {"email": "ANA@example.com"}, "ttl_minutes": 15})

    assert answer.status_code == 200
    body = answer.json()
    assert (body["customer_id"], body["created"]) == (ana.pk, False)
    assert customer_from_identity_token(body["token"]) == ana
    expires = parse_datetime(body["expires_at"])
    assert expires is not None
    assert abs(expires - (timezone.now() + timedelta(minutes=15))) < timedelta(seconds=30)


def test_unknown_identities_become_a_prospect(org: Org) -> None:
    answer = ask(
        key_client(unit=org.bilbao),
        {
            "identities": {"customer_number": "C-778", "email": "new@example.com"},
            "home_unit": "bilbao-centro",
            "name": "Pablo Nuevo",
        },
    )

    assert answer.status_code == 200
    prospect = Customer.objects.get()
    assert answer.json()["created"] is True
    assert (prospect.name, prospect.home_unit, prospect.lifecycle_stage) == (
        "Pablo Nuevo",
        org.bilbao,
        "prospect",
    )
    again = ask(
        key_client(unit=org.bilbao),
        {"identities": {"email": "new@example.com"}, "home_unit": "bilbao-centro"},
    )
    assert (again.json()["customer_id"], again.json()["created"]) == (prospect.pk, False)


def test_an_existing_customer_keeps_their_name_and_home_unit(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")

    ask(
        key_client(),
        {
            "identities": {"email": "ana@example.com"},
            "home_unit": "sevilla-nervion",
            "name": "Otra",
        },
    )

    ana.refresh_from_db()
    assert (ana.name, ana.home_unit) == ("Ana", None)


def test_unit_limited_keys_must_name_a_home_unit_of_theirs(org: Org) -> None:
    client = key_client(unit=org.bilbao)

    missing = ask(client, {"identities": {"email": "x@example.com"}})
    elsewhere = ask(
        client, {"identities": {"email": "x@example.com"}, "home_unit": "sevilla-nervion"}
    )

    assert [missing.status_code, elsewhere.status_code] == [422, 422]
    assert missing.json()["detail"][0]["field"] == "home_unit"
    assert not Customer.objects.exists()


def test_a_customer_outside_the_keys_units_is_not_found(org: Org) -> None:
    rocio = make_customer("Rocío", email="rocio@example.com")
    add_interaction(rocio, org.sevilla)

    answer = ask(
        key_client(unit=org.bilbao),
        {"identities": {"email": "rocio@example.com"}, "home_unit": "bilbao-centro"},
    )

    assert answer.status_code == 404


def test_identities_of_two_customers_are_a_conflict(org: Org) -> None:
    make_customer("Ana", email="ana@example.com")
    make_customer("Berta", phone="600112233")

    answer = ask(key_client(), {"identities": {"email": "ana@example.com", "phone": "600112233"}})

    assert answer.status_code == 409


def test_bad_input_and_missing_permission_are_refused(org: Org) -> None:
    bad = ask(key_client(), {"identities": {"email": "not-an-email"}, "ttl_minutes": 100000})
    no_scope = ask(key_client(scopes=("responses.view",)), {"identities": {"email": "a@b.es"}})

    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["detail"]} == {"ttl_minutes"}
    assert no_scope.status_code == 403
    assert ask(Client(), {"identities": {"email": "a@b.es"}}).status_code == 401
