"""POST /api/v1/customers/{id}/merge and GET /api/v1/customers/{id}/merges."""

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_api_key
from vinculo.customers.models import Customer, CustomerMerge
from vinculo.customers.services import merge_customers
from vinculo.test import Org, People, actor_of, add_interaction, client_for, make_customer

URL = "/api/v1/customers"


def key_client(scopes: list[str], unit: Unit | None = None) -> Client:
    _key, token = create_api_key(name="crm", scopes=scopes, created_by=None, unit=unit)
    return Client(headers={"Authorization": f"Bearer {token}"})


def merge(client: Client, survivor_id: int, body: dict[str, Any]) -> Any:
    return client.post(f"{URL}/{survivor_id}/merge", body, content_type="application/json")


def test_merge_moves_identities_and_interactions_and_reports_what_moved(
    org: Org, people: People
) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    twin = make_customer("Ana G.", phone="600112233", customer_number="C-1")
    add_interaction(twin, org.bilbao)

    response = merge(client_for(people.bruno), ana.pk, {"merged_id": twin.pk, "reason": "same"})

    assert response.status_code == 200
    body = response.json()
    assert (body["survivor_id"], body["merged_id"]) == (ana.pk, twin.pk)
    assert (body["identities_moved"], body["interactions_moved"]) == (2, 1)
    assert (body["actor"], body["reason"]) == ("bruno", "same")
    assert Customer.objects.get(pk=twin.pk).merged_into_id == ana.pk


def test_after_a_merge_the_old_id_redirects_every_path_to_the_survivor(
    org: Org, people: People
) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    twin = make_customer("Ana G.", phone="600112233")
    merge(client_for(people.bruno), ana.pk, {"merged_id": twin.pk})

    response = client_for(people.bruno).get(f"{URL}/{twin.pk}/timeline?channel=store")

    assert response.status_code == 308
    assert response["Location"] == f"{URL}/{ana.pk}/timeline?channel=store"


def test_merge_needs_the_merge_permission(org: Org, people: People) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    twin = make_customer("Ana G.", phone="600112233")

    by_agent = merge(client_for(people.elena), ana.pk, {"merged_id": twin.pk})
    by_key = merge(key_client(["customers.view", "customers.edit"]), ana.pk, {"merged_id": twin.pk})

    assert by_agent.status_code == by_key.status_code == 403
    assert not CustomerMerge.objects.exists()


def test_merging_a_customer_outside_the_scope_is_422_naming_merged_id(
    org: Org, people: People
) -> None:
    mine = make_customer("Norte", email="n@example.com")
    add_interaction(mine, org.bilbao)
    theirs = make_customer("Sur", email="s@example.com")
    add_interaction(theirs, org.sevilla)
    client = key_client(["customers.view", "customers.merge"], unit=org.norte)

    response = merge(client, mine.pk, {"merged_id": theirs.pk})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "merged_id"
    assert Customer.objects.get(pk=theirs.pk).merged_into_id is None


def test_merging_into_a_customer_outside_the_scope_is_404(org: Org, people: People) -> None:
    theirs = make_customer("Sur", email="s@example.com")
    add_interaction(theirs, org.sevilla)
    mine = make_customer("Norte", email="n@example.com")
    add_interaction(mine, org.bilbao)
    client = key_client(["customers.view", "customers.merge"], unit=org.norte)

    response = merge(client, theirs.pk, {"merged_id": mine.pk})

    assert response.status_code == 404


def test_a_customer_cannot_be_merged_into_itself(org: Org, people: People) -> None:
    ana = make_customer("Ana", email="ana@example.com")

    response = merge(client_for(people.bruno), ana.pk, {"merged_id": ana.pk})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "merged_id"


def test_merges_lists_the_audit_trail_including_earlier_chains(org: Org, people: People) -> None:
    a = make_customer("A", email="a@example.com")
    b = make_customer("B", email="b@example.com")
    c = make_customer("C", email="c@example.com")
    actor = actor_of(people.bruno)
    merge_customers(survivor_id=b.pk, merged_id=a.pk, actor=actor, reason="first")
    merge_customers(survivor_id=c.pk, merged_id=b.pk, actor=actor, reason="second")

    response = client_for(people.bruno).get(f"{URL}/{c.pk}/merges")

    assert response.status_code == 200
    assert [m["reason"] for m in response.json()] == ["second", "first"]


def test_merges_take_as_many_queries_for_20_merges_as_for_2(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    survivor = make_customer("S", email="s@example.com")
    actor = actor_of(people.bruno)
    client = client_for(people.bruno)

    def merge_in(count: int, start: int) -> None:
        for number in range(start, start + count):
            other = make_customer(f"M{number}", email=f"m{number}@example.com")
            merge_customers(survivor_id=survivor.pk, merged_id=other.pk, actor=actor)

    merge_in(2, 0)
    with CaptureQueriesContext(connection) as two:
        assert len(client.get(f"{URL}/{survivor.pk}/merges").json()) == 2
    merge_in(18, 2)

    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(f"{URL}/{survivor.pk}/merges")

    assert len(response.json()) == 20
