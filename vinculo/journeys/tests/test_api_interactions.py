"""GET/POST /api/v1/interactions and GET /api/v1/interactions/{id}."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_api_key
from vinculo.customers.models import Customer
from vinculo.customers.services import merge_customers
from vinculo.journeys.models import Interaction
from vinculo.test import Org, People, actor_of, add_interaction, client_for, make_customer

URL = "/api/v1/interactions"
SCOPES = ["customers.view", "interactions.add"]


def key_client(scopes: list[str] = SCOPES, unit: Unit | None = None) -> Client:
    _key, token = create_api_key(name="pos", scopes=scopes, created_by=None, unit=unit)
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(URL, body, content_type="application/json")


def sale(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "identities": {"email": "ana@example.com"},
        "channel": "store",
        "type": "sale",
        "unit": "bilbao-centro",
        "occurred_at": "2026-03-01T10:00:00+01:00",
        "amount": "49.90",
        "external_id": "ticket-1",
        "source": "pos",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["detail"]]


# --- record ------------------------------------------------------------------------------


def test_posting_an_interaction_for_a_known_identity_records_it_for_that_customer(
    org: Org,
) -> None:
    ana = make_customer("Ana", email="ana@example.com")

    response = post(key_client(), sale(attributes={"items": 2, "gift": True}))

    assert response.status_code == 201
    body = response.json()
    assert body["customer_id"] == ana.pk
    assert (body["channel"], body["type"], body["stage"], body["unit"]) == (
        "store",
        "sale",
        "buy",
        "bilbao-centro",
    )
    assert (body["amount"], body["currency"], body["source"]) == ("49.90", "EUR", "pos")
    stored = Interaction.objects.get()
    assert stored.occurred_at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert stored.amount == Decimal("49.90")
    assert stored.attributes == {"items": 2, "gift": True}


def test_an_unknown_identity_creates_a_prospect_customer(org: Org) -> None:
    response = post(key_client(), sale(identities=[{"kind": "phone", "value": "600112233"}]))

    assert response.status_code == 201
    customer = Customer.objects.get(pk=response.json()["customer_id"])
    assert customer.lifecycle_stage == "prospect"
    assert customer.identities.get().value == "+34600112233"


def test_a_retry_with_the_same_external_id_answers_200_with_the_stored_row(org: Org) -> None:
    client = key_client()
    first = post(client, sale())

    retry = post(client, sale(amount="1.00"))

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert Interaction.objects.count() == 1
    assert Customer.objects.count() == 1


def test_a_customer_can_be_given_by_id_and_a_stage_other_than_the_default(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")

    response = post(
        key_client(),
        sale(identities=None, customer_id=ana.pk, type="support", stage="use", amount=None),
    )

    assert response.status_code == 201
    assert (response.json()["stage"], response.json()["currency"]) == ("use", "")


def test_a_merged_customer_id_records_on_the_survivor(org: Org, people: People) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    twin = make_customer("Ana G.", phone="600112233")
    merge_customers(survivor_id=ana.pk, merged_id=twin.pk, actor=actor_of(people.bruno))

    response = post(key_client(), sale(identities=None, customer_id=twin.pk))

    assert response.json()["customer_id"] == ana.pk


def test_a_time_without_offset_is_read_in_the_server_time_zone(org: Org) -> None:
    post(key_client(), sale(occurred_at="2026-07-01T10:00:00"))

    assert Interaction.objects.get().occurred_at == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


def test_unknown_codes_are_422_naming_each_field(org: Org) -> None:
    response = post(key_client(), sale(channel="pigeon", type="gift", stage="dream"))

    assert response.status_code == 422
    assert fields(response) == ["channel", "type", "stage"]
    assert not Interaction.objects.exists()


def test_a_unit_outside_the_scope_is_422_naming_unit(org: Org) -> None:
    response = post(key_client(unit=org.norte), sale(unit="sevilla-nervion"))

    assert response.status_code == 422
    assert fields(response) == ["unit"]
    assert not Customer.objects.exists()


def test_a_missing_external_id_is_422(org: Org) -> None:
    body = sale()
    del body["external_id"]

    response = post(key_client(), body)

    assert response.status_code == 422
    assert fields(response) == ["external_id"]


def test_customer_id_or_identities_is_required_but_not_both(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    client = key_client()

    neither = post(client, sale(identities=None))
    both = post(client, sale(customer_id=ana.pk))

    assert neither.status_code == both.status_code == 422
    assert fields(neither) == fields(both) == ["customer_id"]


def test_a_customer_id_outside_the_scope_is_422(org: Org) -> None:
    theirs = make_customer("Sur", email="s@example.com")
    add_interaction(theirs, org.sevilla)

    response = post(key_client(unit=org.norte), sale(identities=None, customer_id=theirs.pk))

    assert response.status_code == 422
    assert fields(response) == ["customer_id"]


def test_an_invalid_identity_is_422_naming_the_item(org: Org) -> None:
    response = post(key_client(), sale(identities=[{"kind": "email", "value": "nope"}]))

    assert fields(response) == ["identities[0].value"]


def test_identities_of_two_customers_are_409(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    luis = make_customer("Luis", phone="600112233")

    response = post(
        key_client(), sale(identities={"email": "ana@example.com", "phone": "600112233"})
    )

    assert response.status_code == 409
    assert response.json()["customer_ids"] == [ana.pk, luis.pk]
    assert not Interaction.objects.exists()


def test_a_currency_without_amount_is_422_and_an_amount_defaults_to_euros(org: Org) -> None:
    client = key_client()

    without_amount = post(client, sale(amount=None, currency="USD"))
    lower_case = post(client, sale(currency="usd", external_id="ticket-2"))

    assert fields(without_amount) == ["currency"]
    assert lower_case.json()["currency"] == "USD"


def test_nested_attributes_are_422(org: Org) -> None:
    response = post(key_client(), sale(attributes={"basket": {"items": 2}}))

    assert response.status_code == 422
    assert fields(response)[0].startswith("attributes.basket")


def test_posting_needs_the_add_interactions_permission(org: Org, people: People) -> None:
    by_viewer = post(client_for(people.fernando), sale())
    by_key = post(key_client(scopes=["customers.view"]), sale())

    assert by_viewer.status_code == by_key.status_code == 403


def test_a_scoped_key_cannot_record_for_a_customer_known_only_elsewhere(org: Org) -> None:
    theirs = make_customer("Sur", email="s@example.com")
    add_interaction(theirs, org.sevilla)

    response = post(key_client(unit=org.norte), sale(identities={"email": "s@example.com"}))

    assert response.status_code == 409
    assert response.json()["customer_ids"] == []
    assert str(theirs.pk) not in response.content.decode()
    assert theirs.interactions.count() == 1


def test_a_retry_cannot_reveal_a_row_stored_outside_the_scope(org: Org) -> None:
    post(key_client(), sale(unit="sevilla-nervion"))

    response = post(key_client(unit=org.norte), sale())

    assert response.status_code == 409
    assert "customer_id" not in response.json()


# --- list and detail ---------------------------------------------------------------------


def test_list_filters_by_customer_unit_subtree_channel_type_and_days(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    luis = make_customer("Luis", email="luis@example.com")
    add_interaction(ana, org.bilbao, when="2026-03-01 10:00")
    add_interaction(ana, org.santander, when="2026-03-02 10:00", channel="web")
    add_interaction(ana, org.sevilla, when="2026-03-03 10:00", kind="billing")
    add_interaction(luis, org.bilbao, when="2026-03-04 10:00")
    client = key_client()

    def count(**query: Any) -> int:
        response = client.get(URL, query)
        assert response.status_code == 200, response.content
        return int(response.json()["count"])

    assert count() == 4
    assert count(customer=ana.pk) == 3
    assert count(unit="norte") == 3
    assert count(unit="norte", channel="store") == 2
    assert count(type="billing") == 1
    assert count(since="2026-03-02", until="2026-03-03") == 2


def test_a_scoped_key_lists_only_interactions_in_its_subtree(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    add_interaction(ana, org.bilbao)
    add_interaction(ana, org.sevilla)

    response = key_client(unit=org.norte).get(URL)

    assert [item["unit"] for item in response.json()["items"]] == ["bilbao-centro"]


def test_filtering_by_a_unit_outside_the_scope_is_422(org: Org) -> None:
    response = key_client(unit=org.norte).get(URL, {"unit": "sur"})

    assert response.status_code == 422
    assert fields(response) == ["unit"]


def test_one_interaction_outside_the_scope_is_404(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    mine = add_interaction(ana, org.bilbao)
    theirs = add_interaction(ana, org.sevilla)
    client = key_client(unit=org.norte)

    assert client.get(f"{URL}/{mine.pk}").status_code == 200
    assert client.get(f"{URL}/{theirs.pk}").status_code == 404


def test_listing_takes_as_many_queries_for_30_interactions_as_for_3(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    client = client_for(people.carmen)
    customers = [make_customer(f"C{n}", email=f"c{n}@example.com") for n in range(3)]
    for customer in customers:
        add_interaction(customer, org.bilbao)
    with CaptureQueriesContext(connection) as three:
        assert client.get(URL).json()["count"] == 3
    for day in range(1, 28):
        kind = "billing" if day % 2 else "support"
        add_interaction(
            customers[day % 3], org.santander, when=f"2026-02-{day:02d} 10:00", kind=kind
        )

    with django_assert_max_num_queries(len(three.captured_queries)):
        response = client.get(URL)

    assert len(response.json()["items"]) == 30
