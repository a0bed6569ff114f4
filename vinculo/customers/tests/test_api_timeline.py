"""GET /api/v1/customers/{id}/timeline."""

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vinculo.accounts.services import create_api_key
from vinculo.test import Org, People, add_interaction, client_for, make_customer

URL = "/api/v1/customers/{}/timeline"


def key_client() -> Client:
    _key, token = create_api_key(name="crm", scopes=["customers.view"], created_by=None)
    return Client(headers={"Authorization": f"Bearer {token}"})


def kinds(response: Any) -> list[tuple[str, str]]:
    return [(item["channel"], item["type"]) for item in response.json()["items"]]


def test_timeline_lists_interactions_newest_first_with_their_codes(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    add_interaction(ana, org.bilbao, when="2026-01-10 10:00", kind="sale")
    add_interaction(
        ana, org.sevilla, when="2026-02-10 10:00", channel="call_centre", kind="support"
    )

    response = key_client().get(URL.format(ana.pk))

    assert response.status_code == 200
    assert response.json()["count"] == 2
    first = response.json()["items"][0]
    assert (first["channel"], first["type"], first["stage"], first["unit"]) == (
        "call_centre",
        "support",
        "get_help",
        "sevilla-nervion",
    )


def test_timeline_filters_by_channel_type_and_days(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    add_interaction(ana, org.bilbao, when="2026-01-10 10:00", kind="sale")
    add_interaction(ana, org.bilbao, when="2026-02-10 23:30", kind="billing")
    add_interaction(ana, org.bilbao, when="2026-02-11 00:30", kind="billing")
    add_interaction(ana, org.bilbao, when="2026-02-12 10:00", channel="web", kind="billing")
    client = key_client()

    by_type = client.get(URL.format(ana.pk), {"type": "billing", "channel": "store"})
    by_days = client.get(URL.format(ana.pk), {"since": "2026-02-10", "until": "2026-02-10"})

    assert kinds(by_type) == [("store", "billing"), ("store", "billing")]
    assert by_days.json()["count"] == 1


def test_unit_manager_sees_the_whole_timeline_of_a_customer_they_may_see(
    org: Org, people: People
) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    add_interaction(ana, org.bilbao)
    add_interaction(ana, org.sevilla)

    response = client_for(people.diego).get(URL.format(ana.pk))

    assert response.json()["count"] == 2


def test_timeline_of_a_customer_outside_the_scope_is_404(org: Org, people: People) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    add_interaction(ana, org.sevilla)

    response = client_for(people.diego).get(URL.format(ana.pk))

    assert response.status_code == 404


def test_an_unknown_channel_filter_is_422_naming_channel(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")

    response = key_client().get(URL.format(ana.pk), {"channel": "telegraph"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "channel"


def test_timeline_takes_as_many_queries_for_30_interactions_as_for_3(
    org: Org, django_assert_max_num_queries: Any
) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    client = key_client()
    for day in range(1, 4):
        add_interaction(ana, org.bilbao, when=f"2026-01-{day:02d} 10:00")
    with CaptureQueriesContext(connection) as three:
        client.get(URL.format(ana.pk))
    for day in range(4, 31):
        channel = "web" if day % 2 else "store"
        add_interaction(ana, org.sevilla, when=f"2026-01-{day:02d} 10:00", channel=channel)

    with django_assert_max_num_queries(len(three.captured_queries)):
        response = client.get(URL.format(ana.pk))

    assert len(response.json()["items"]) == 30
