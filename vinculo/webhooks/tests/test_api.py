"""/api/v1/webhooks: endpoints created (the secret in that answer only), read, replaced,
deleted; an endpoint's deliveries, a delivery with its attempts, replaying it. Errors name
the field; only company-wide managers of webhooks get in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key
from vinculo.test import Org, People, client_for
from vinculo.testservers import HttpPeer
from vinculo.webhooks.delivery import attempt_delivery
from vinculo.webhooks.models import WebhookDelivery, WebhookEndpoint
from vinculo.webhooks.tests.helpers import endpoint_at, queued

URL = "/api/v1/webhooks"


def body(**changes: Any) -> dict[str, Any]:
    return {
        "name": "CRM",
        "url": "https://hooks.invalid/crm",
        "event_types": ["case.opened", "case.resolved"],
        **changes,
    }


def test_an_endpoint_is_created_read_replaced_and_deleted(people: People) -> None:
    alicia = client_for(people.alicia)

    created = alicia.post(URL, body(), content_type="application/json")
    endpoint_id = created.json()["id"]
    read = alicia.get(f"{URL}/{endpoint_id}").json()
    replaced = alicia.put(
        f"{URL}/{endpoint_id}",
        body(event_types=["*"], active=False),
        content_type="application/json",
    )
    listed = alicia.get(URL).json()
    deleted = alicia.delete(f"{URL}/{endpoint_id}")

    assert created.status_code == 201
    assert created.json()["secret"].startswith("whsec_")
    assert "secret" not in read and read["event_types"] == ["case.opened", "case.resolved"]
    assert replaced.json()["event_types"] == ["*"] and replaced.json()["active"] is False
    assert listed["count"] == 1 and "secret" not in listed["items"][0]
    assert deleted.status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_rotating_gives_a_new_secret(people: People) -> None:
    endpoint = endpoint_at("https://hooks.invalid/x")

    response = client_for(people.alicia).post(f"{URL}/{endpoint.pk}/rotate-secret")

    endpoint.refresh_from_db()
    assert response.status_code == 200 and response.json()["secret"] == endpoint.secret


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "ftp://hooks.invalid/x"}, "url"),
        ({"event_types": ["case.note"]}, "event_types[0]"),
        ({"event_types": []}, "event_types"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_gives_422_naming_the_field(
    people: People, changes: dict[str, Any], field: str
) -> None:
    response = client_for(people.alicia).post(URL, body(**changes), content_type="application/json")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == [field]


def test_deliveries_and_attempts_are_listed_and_a_delivery_replayed(
    people: People, http_peer: HttpPeer, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint = endpoint_at(f"{http_peer.url}/hook")
    delivery = queued(endpoint)
    http_peer.respond(500, {"error": "down"})
    attempt_delivery(delivery_id=delivery.pk, now=timezone.now())
    alicia = client_for(people.alicia)

    listed = alicia.get(f"{URL}/{endpoint.pk}/deliveries").json()
    detail = alicia.get(f"{URL}/deliveries/{delivery.pk}").json()
    with django_capture_on_commit_callbacks(execute=True):
        replayed = alicia.post(f"{URL}/deliveries/{delivery.pk}/replay")

    assert listed["count"] == 1 and listed["items"][0]["status"] == "pending"
    assert listed["items"][0]["last_status_code"] == 500
    assert detail["payload"]["id"] == "evt-1"
    [attempt] = detail["attempt_log"]
    assert attempt["number"] == 1 and attempt["status_code"] == 500
    assert attempt["response_excerpt"] == '{"error": "down"}'
    assert replayed.status_code == 201
    assert (
        replayed.json()["replay_of"] == delivery.pk and replayed.json()["endpoint"] == endpoint.pk
    )
    new = WebhookDelivery.objects.get(pk=replayed.json()["id"])
    assert new.status == "succeeded"


def test_a_test_event_is_queued_and_sent(
    people: People, http_peer: HttpPeer, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint = endpoint_at(f"{http_peer.url}/hook")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.bruno).post(f"{URL}/{endpoint.pk}/test")

    assert response.status_code == 202 and response.json()["event_type"] == "webhook.test"
    assert http_peer.wait_for(1)[0].json()["type"] == "webhook.test"


def test_unknown_ids_are_404(people: People) -> None:
    alicia = client_for(people.alicia)

    assert alicia.get(f"{URL}/999").status_code == 404
    assert alicia.get(f"{URL}/deliveries/999").status_code == 404
    assert alicia.post(f"{URL}/deliveries/999/replay").status_code == 404


@pytest.mark.parametrize("person", ["carmen", "elena", "fernando", "nadie"])
def test_people_who_do_not_manage_webhooks_get_403(people: People, person: str) -> None:
    client = client_for(people.by_name(person))

    assert client.get(URL).status_code == 403
    assert client.post(URL, body(), content_type="application/json").status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_a_key_limited_to_one_unit_cannot_manage_webhooks(org: Org, people: People) -> None:
    _key, token = create_api_key(
        name="bilbao", scopes=[Perm.MANAGE_WEBHOOKS], created_by=people.alicia, unit=org.bilbao
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert client.get(URL).status_code == 403
    assert client.post(URL, body(), content_type="application/json").status_code == 403
