from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vinculo.customers.choices import LifecycleStage
from vinculo.customers.services import create_customer
from vinculo.test import Org, People, add_interaction, client_for, make_customer

URL = reverse("customers:list")


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def names_listed(client: Client, query: str = "", **params: str) -> list[str]:
    response = client.get(URL, {"q": query, **params})
    assert response.status_code == 200
    return [customer.name for customer in response.context["page"]]


def test_search_finds_a_phone_typed_in_another_format_than_stored(people: People) -> None:
    make_customer("Ana Ruiz", phone="+34600112233")
    make_customer("Otro Cliente", phone="+34611000000")

    assert names_listed(client_for(people.bruno), "600 11 22 33") == ["Ana Ruiz"]


def test_search_matches_an_email_whatever_its_case(people: People) -> None:
    make_customer("Ana Ruiz", email="ana.ruiz@example.com")

    assert names_listed(client_for(people.bruno), "Ana.Ruiz@EXAMPLE.com") == ["Ana Ruiz"]


def test_search_finds_a_customer_number(people: People) -> None:
    make_customer("Ana Ruiz", customer_number="C-0001234")
    make_customer("Beatriz Gil", customer_number="C-0009999")

    assert names_listed(client_for(people.bruno), "C-0001234") == ["Ana Ruiz"]


def test_search_finds_part_of_a_name(people: People) -> None:
    make_customer("Ana Ruiz", email="ana@example.com")
    make_customer("Beatriz Gil", email="bea@example.com")

    assert names_listed(client_for(people.bruno), "ruiz") == ["Ana Ruiz"]


def test_empty_search_lists_every_visible_customer_by_name(people: People) -> None:
    make_customer("Beatriz Gil")
    make_customer("Ana Ruiz")

    assert names_listed(client_for(people.fernando)) == ["Ana Ruiz", "Beatriz Gil"]


def test_results_show_identities_stage_segment_and_home_unit(org: Org, people: People) -> None:
    create_customer(
        identities={"email": "ana@example.com", "phone": "600112233"},
        name="Ana Ruiz",
        lifecycle_stage=LifecycleStage.AT_RISK,
        segment="Residencial",
        home_unit_id=org.bilbao.pk,
    )

    response = english(client_for(people.fernando)).get(URL)

    html = response.content.decode()
    assert "ana@example.com" in html
    assert "+34600112233" in html
    assert "stage-at_risk" in html
    assert "Residencial" in html
    assert "Bilbao Centro" in html


def test_unit_manager_does_not_find_a_customer_served_only_in_another_region(
    org: Org, people: People
) -> None:
    customer = make_customer("Ana Ruiz", phone="+34600112233")
    add_interaction(customer, org.sevilla, when="2026-01-10 10:00")
    add_interaction(customer, org.sur, when="2026-02-10 10:00")

    assert names_listed(client_for(people.carmen), "600112233") == []
    assert names_listed(client_for(people.diego), "Ana") == []
    assert names_listed(client_for(people.gabriel), "600112233") == ["Ana Ruiz"]


def test_unit_manager_finds_a_customer_with_a_single_interaction_in_their_subtree(
    org: Org, people: People
) -> None:
    customer = make_customer("Ana Ruiz", phone="+34600112233")
    add_interaction(customer, org.sevilla, when="2026-01-10 10:00")
    add_interaction(customer, org.bilbao, when="2026-02-10 10:00")

    assert names_listed(client_for(people.diego), "600 112 233") == ["Ana Ruiz"]
    assert names_listed(client_for(people.carmen), "Ana") == ["Ana Ruiz"]


def test_results_are_paginated_by_25(people: People) -> None:
    for number in range(30):
        make_customer(f"Cliente {number:02d}")
    client = client_for(people.bruno)

    assert len(names_listed(client, "Cliente")) == 25
    assert names_listed(client, "Cliente", page="2") == [f"Cliente {n}" for n in range(25, 30)]


def test_pagination_links_keep_the_search(people: People) -> None:
    for number in range(30):
        make_customer(f"Cliente {number:02d}")

    response = client_for(people.bruno).get(URL, {"q": "Cliente"})

    assert "?q=Cliente&amp;page=2" in response.content.decode()


def test_htmx_search_returns_only_the_results(people: People) -> None:
    make_customer("Ana Ruiz")

    response = client_for(people.bruno).get(URL, {"q": "Ana"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "Ana Ruiz" in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_a_normal_request_returns_the_whole_page(people: People) -> None:
    response = client_for(people.bruno).get(URL, {"q": "Ana"})

    html = response.content.decode()
    assert "<html" in html
    assert 'hx-get="/customers/"' in html


def _queries_to_list(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"q": "Cliente"}).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_customers_listed(
    org: Org, people: People
) -> None:
    def add_customers(start: int, count: int) -> None:
        for n in range(start, start + count):
            customer = make_customer(
                f"Cliente {n:02d}", email=f"c{n}@example.com", phone=f"+346000000{n:02d}"
            )
            add_interaction(customer, org.bilbao, external_id=f"list-{n}")

    add_customers(0, 3)
    few = _queries_to_list(client_for(people.diego))
    add_customers(3, 27)
    many = _queries_to_list(client_for(people.diego))

    assert few == many
    assert many <= 9  # 8, and the count of unread notifications in the menu


def test_someone_without_a_role_is_forbidden(people: People) -> None:
    assert client_for(people.nadie).get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(db: None) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
