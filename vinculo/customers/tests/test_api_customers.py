"""GET/POST /api/v1/customers and GET/PATCH /api/v1/customers/{id}."""

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_api_key
from vinculo.customers.models import Customer, Identity
from vinculo.customers.services import create_customer, merge_customers
from vinculo.test import PASSWORD, Org, People, actor_of, add_interaction, client_for, make_customer

URL = "/api/v1/customers"
ALL_SCOPES = ["customers.view", "customers.edit", "customers.merge", "interactions.add"]


def key_client(scopes: list[str] = ALL_SCOPES, unit: Unit | None = None) -> Client:
    _key, token = create_api_key(name="crm", scopes=scopes, created_by=None, unit=unit)
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


def ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


# --- list and search -------------------------------------------------------------------


def test_list_gives_each_customer_with_identities_and_home_unit(org: Org) -> None:
    create_customer(
        identities={"email": "ana@example.com", "phone": "600112233"},
        name="Ana",
        home_unit_id=org.bilbao.pk,
    )

    response = key_client().get(URL)

    assert response.status_code == 200
    [ana] = response.json()["items"]
    assert ana["name"] == "Ana"
    assert ana["home_unit"] == "bilbao-centro"
    assert ana["identities"] == [
        {"kind": "email", "value": "ana@example.com", "source": ""},
        {"kind": "phone", "value": "+34600112233", "source": ""},
    ]


def test_search_finds_a_customer_by_a_phone_written_any_way(org: Org) -> None:
    ana = make_customer("Ana", phone="600 11 22 33")
    make_customer("Berta", phone="611223344")

    response = key_client().get(URL, {"q": "0034 600-112-233"})

    assert ids(response) == [ana.pk]


def test_search_finds_customers_by_part_of_the_name(org: Org) -> None:
    make_customer("Ana García", email="ana@example.com")
    luis = make_customer("Luis Garcés", email="luis@example.com")

    response = key_client().get(URL, {"q": "garcé"})

    assert ids(response) == [luis.pk]


def test_list_pages_with_limit_offset_and_a_total_count(org: Org) -> None:
    for number in range(5):
        make_customer(f"Cliente {number}", customer_number=f"C{number}")

    response = key_client().get(URL, {"limit": 2, "offset": 2})

    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (5, 2, 2)
    assert [item["name"] for item in body["items"]] == ["Cliente 2", "Cliente 3"]


def test_a_page_larger_than_500_is_refused_naming_limit(org: Org) -> None:
    response = key_client().get(URL, {"limit": 501})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "limit"


def test_unit_manager_lists_only_customers_of_their_subtree(org: Org, people: People) -> None:
    in_bilbao = make_customer("Bilbao", email="b@example.com")
    add_interaction(in_bilbao, org.bilbao)
    in_sevilla = make_customer("Sevilla", email="s@example.com")
    add_interaction(in_sevilla, org.sevilla)

    response = client_for(people.carmen).get(URL)

    assert ids(response) == [in_bilbao.pk]


def test_listing_takes_as_many_queries_for_30_customers_as_for_3(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    client = client_for(people.carmen)
    for number in range(3):
        customer = make_customer(
            f"C{number}", email=f"c{number}@example.com", phone=f"60000000{number}"
        )
        add_interaction(customer, org.bilbao)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(URL).json()["items"]) == 3
    for number in range(3, 30):
        customer = make_customer(f"C{number}", email=f"c{number}@example.com")
        add_interaction(customer, org.santander)

    with django_assert_max_num_queries(len(three.captured_queries)):
        response = client.get(URL)

    assert len(response.json()["items"]) == 30
    assert len(three.captured_queries) <= 8


def test_a_viewer_without_any_role_gets_403(org: Org, people: People) -> None:
    response = client_for(people.nadie).get(URL)

    assert response.status_code == 403


# --- one customer ------------------------------------------------------------------------


def test_get_gives_the_customer(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")

    response = key_client().get(f"{URL}/{ana.pk}")

    assert response.status_code == 200
    assert response.json()["identities"][0]["value"] == "ana@example.com"


def test_a_customer_outside_the_scope_is_404_like_one_that_does_not_exist(
    org: Org, people: People
) -> None:
    in_sevilla = make_customer("Sevilla", email="s@example.com")
    add_interaction(in_sevilla, org.sevilla)
    client = client_for(people.diego)

    outside = client.get(f"{URL}/{in_sevilla.pk}")
    missing = client.get(f"{URL}/999999")

    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()


def test_a_merged_customer_answers_308_to_the_survivor_with_a_json_body(
    org: Org, people: People
) -> None:
    survivor = make_customer("Ana", email="ana@example.com")
    merged = make_customer("Ana G.", phone="600112233")
    merge_customers(survivor_id=survivor.pk, merged_id=merged.pk, actor=actor_of(people.bruno))

    response = key_client().get(f"{URL}/{merged.pk}", headers={"Accept-Language": "en"})

    assert response.status_code == 308
    assert response["Location"] == f"{URL}/{survivor.pk}"
    assert response.json()["merged_into"] == survivor.pk
    assert "merged" in response.json()["detail"]


def test_a_merged_customer_whose_survivor_is_out_of_scope_is_404(org: Org, people: People) -> None:
    survivor = make_customer("Ana", email="ana@example.com")
    add_interaction(survivor, org.sevilla)
    merged = make_customer("Ana G.", phone="600112233")
    add_interaction(merged, org.bilbao, external_id="bilbao-1")
    merge_customers(survivor_id=survivor.pk, merged_id=merged.pk, actor=actor_of(people.bruno))
    outsider = key_client(unit=org.santander)  # the survivor has nothing in Santander

    response = outsider.get(f"{URL}/{merged.pk}")

    assert response.status_code == 404


# --- create ------------------------------------------------------------------------------


def test_create_with_unknown_identities_creates_a_customer_with_201(org: Org) -> None:
    response = post(
        key_client(),
        URL,
        {
            "identities": [
                {"kind": "email", "value": "Ana@Example.com"},
                {"kind": "phone", "value": "600 11 22 33"},
            ],
            "name": "Ana",
            "lifecycle_stage": "active",
            "value_tier": "high",
            "consents": {"email": True, "sms": False},
            "attributes": {"plan_months": 12, "vip": True},
            "home_unit": "bilbao-centro",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True
    customer = Customer.objects.get(pk=body["id"])
    assert customer.home_unit_id == org.bilbao.pk
    assert customer.consents == {"email": True, "sms": False}
    assert customer.attributes == {"plan_months": 12, "vip": True}
    assert set(customer.identities.values_list("value", flat=True)) == {
        "ana@example.com",
        "+34600112233",
    }


def test_create_accepts_identities_as_an_object(org: Org) -> None:
    response = post(key_client(), URL, {"identities": {"email": "ana@example.com"}})

    assert response.status_code == 201
    assert response.json()["identities"][0]["kind"] == "email"


def test_create_with_a_known_identity_updates_that_customer_with_200(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")

    response = post(
        key_client(),
        URL,
        {"identities": {"email": "ANA@example.com", "phone": "600112233"}, "plan": "Fibra"},
    )

    assert response.status_code == 200
    assert response.json()["created"] is False
    assert response.json()["id"] == ana.pk
    ana.refresh_from_db()
    assert ana.plan == "Fibra"
    assert ana.identities.count() == 2
    assert Customer.objects.count() == 1


def test_an_invalid_identity_is_422_naming_the_item(org: Org) -> None:
    response = post(
        key_client(),
        URL,
        {"identities": [{"kind": "email", "value": "a@b.es"}, {"kind": "phone", "value": "abc"}]},
    )

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "identities[1].value"
    assert error["loc"] == ["body", "identities", 1, "value"]
    assert error["type"] == "invalid_phone"
    assert not Customer.objects.exists()


def test_an_unknown_identity_kind_is_422_naming_the_item(org: Org) -> None:
    response = post(key_client(), URL, {"identities": [{"kind": "fax", "value": "1"}]})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "identities[0].kind"


def test_error_messages_are_in_english_when_the_client_asks_for_english(org: Org) -> None:
    response = key_client().post(
        URL,
        {"identities": [{"kind": "email", "value": "nope"}]},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )

    assert response.json()["detail"][0]["msg"] == "Enter a valid e-mail address."


def test_create_without_identities_is_422(org: Org) -> None:
    response = post(key_client(), URL, {"identities": [], "name": "Nadie"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "identities"


def test_a_consent_for_an_unknown_channel_is_422_naming_it(org: Org) -> None:
    response = post(
        key_client(), URL, {"identities": {"email": "a@b.es"}, "consents": {"fax": True}}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "consents.fax"


def test_identities_of_two_customers_are_a_409_naming_both(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    other = make_customer("Otra", phone="600112233")

    response = post(
        key_client(), URL, {"identities": {"email": "ana@example.com", "phone": "600112233"}}
    )

    assert response.status_code == 409
    assert response.json()["customer_ids"] == [ana.pk, other.pk]


def test_a_scoped_key_must_give_a_home_unit_in_its_subtree(org: Org) -> None:
    client = key_client(unit=org.norte)

    without = post(client, URL, {"identities": {"email": "a@b.es"}})
    elsewhere = post(client, URL, {"identities": {"email": "a@b.es"}, "home_unit": "sur"})
    inside = post(client, URL, {"identities": {"email": "a@b.es"}, "home_unit": "santander"})

    assert without.status_code == elsewhere.status_code == 422
    assert without.json()["detail"][0]["field"] == "home_unit"
    assert elsewhere.json()["detail"][0]["field"] == "home_unit"
    assert inside.status_code == 201


def test_a_scoped_key_cannot_take_over_a_customer_of_another_unit(org: Org) -> None:
    in_sevilla = make_customer("Sevilla", email="s@example.com")
    add_interaction(in_sevilla, org.sevilla)

    response = post(
        key_client(unit=org.norte),
        URL,
        {"identities": {"email": "s@example.com"}, "name": "Mine", "home_unit": "bilbao-centro"},
    )

    assert response.status_code == 409
    assert response.json()["customer_ids"] == []
    in_sevilla.refresh_from_db()
    assert (in_sevilla.name, in_sevilla.home_unit_id) == ("Sevilla", None)


def test_create_needs_the_edit_permission(org: Org, people: People) -> None:
    response = post(client_for(people.fernando), URL, {"identities": {"email": "a@b.es"}})

    assert response.status_code == 403


# --- update ------------------------------------------------------------------------------


def test_patch_changes_given_fields_merges_consents_and_adds_identities(org: Org) -> None:
    ana = create_customer(
        identities={"email": "ana@example.com"}, name="Ana", plan="Móvil", consents={"sms": True}
    )

    response = patch(
        key_client(),
        f"{URL}/{ana.pk}",
        {"plan": "Fibra", "consents": {"email": False}, "identities": {"phone": "600112233"}},
    )

    assert response.status_code == 200
    ana.refresh_from_db()
    assert (ana.name, ana.plan) == ("Ana", "Fibra")
    assert ana.consents == {"sms": True, "email": False}
    assert response.json()["identities"][1]["value"] == "+34600112233"


def test_patch_with_another_customers_identity_is_a_409_naming_it(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    luis = make_customer("Luis", email="luis@example.com")

    response = patch(key_client(), f"{URL}/{ana.pk}", {"identities": {"email": "luis@example.com"}})

    assert response.status_code == 409
    assert response.json()["customer_ids"] == [luis.pk]
    assert Identity.objects.get(value="luis@example.com").customer_id == luis.pk


def test_patch_outside_the_scope_is_404(org: Org, people: People) -> None:
    in_sevilla = make_customer("Sevilla", email="s@example.com")
    add_interaction(in_sevilla, org.sevilla)

    response = patch(client_for(people.carmen), f"{URL}/{in_sevilla.pk}", {"name": "X"})

    assert response.status_code == 404


def test_patch_by_a_session_works_with_the_csrf_token(org: Org, people: People) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="bruno", password=PASSWORD)
    client.get("/api/v1/docs")  # any page that sets the CSRF cookie
    token = client.cookies["csrftoken"].value

    response = client.patch(
        f"{URL}/{ana.pk}",
        {"name": "Ana M."},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Ana M."
