"""Publishing: case events and rule matches become one delivery per subscribed endpoint,
once; private notes and what people wrote never leave Vínculo."""

from __future__ import annotations

from typing import Any

from vinculo.accounts.actors import SYSTEM
from vinculo.cases.models import CaseEvent, RuleMatch
from vinculo.cases.rules_services import RuleData, save_rule
from vinculo.cases.services import add_note, log_contact
from vinculo.cases.testing import opened
from vinculo.test import Org, make_customer
from vinculo.testservers import HttpPeer
from vinculo.webhooks.choices import DeliveryStatus
from vinculo.webhooks.models import WebhookDelivery
from vinculo.webhooks.outbox import publish_case_event, publish_rule_match
from vinculo.webhooks.tests.helpers import endpoint_at


def test_a_case_opened_is_delivered_to_a_subscribed_endpoint(
    org: Org, http_peer: HttpPeer, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://cx.example.com"
    endpoint = endpoint_at(f"{http_peer.url}/hook", "case.opened")
    sofia = make_customer("Sofía Sevilla", phone="+34655000111")

    with django_capture_on_commit_callbacks(execute=True):
        case = opened(org.sevilla, customer=sofia, title="Detractora en tienda")

    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint == endpoint
    assert delivery.event_type == "case.opened"
    assert delivery.status == DeliveryStatus.SUCCEEDED
    [request] = http_peer.wait_for(1)
    body = request.json()
    event = CaseEvent.objects.get(case=case, kind="opened")
    assert body["id"] == f"case-event-{event.pk}"
    assert body["type"] == "case.opened"
    assert body["data"]["case"] == {
        "id": case.pk,
        "title": "Detractora en tienda",
        "status": "new",
        "priority": "normal",
        "unit": {"code": org.sevilla.code, "name": org.sevilla.name},
        "department": "customer_service",
        "owner": None,
        "customer_id": sofia.pk,
        "url": f"https://cx.example.com/cases/{case.pk}/",
    }
    assert b"Sof" not in request.body and b"655000111" not in request.body


def test_publishing_the_same_case_event_twice_queues_one_delivery(org: Org) -> None:
    endpoint_at("http://127.0.0.1:9/hook")
    case = opened(org.sevilla)  # on-commit publishing does not run inside the test
    event = CaseEvent.objects.get(case=case, kind="opened")

    publish_case_event(event)
    publish_case_event(event)

    assert WebhookDelivery.objects.count() == 1


def test_private_notes_are_never_published(
    org: Org, http_peer: HttpPeer, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint_at(f"{http_peer.url}/hook", "*")
    case = opened(org.sevilla)

    with django_capture_on_commit_callbacks(execute=True):
        add_note(actor=SYSTEM, case=case, text="El cliente nos contó algo privado")
        log_contact(actor=SYSTEM, case=case, channel="call", outcome="reached", text="Habló mucho")

    assert list(WebhookDelivery.objects.values_list("event_type", flat=True)) == ["case.contact"]
    [request] = http_peer.wait_for(1)
    assert request.json()["data"]["change"] == {"channel": "call", "outcome": "reached"}
    assert b"privado" not in request.body and b"mucho" not in request.body


def test_endpoints_that_did_not_subscribe_or_are_inactive_get_nothing(org: Org) -> None:
    endpoint_at("http://127.0.0.1:9/a", "case.resolved", name="Solo resueltos")
    endpoint_at("http://127.0.0.1:9/b", "*", name="Apagado", active=False)
    wanted = endpoint_at("http://127.0.0.1:9/c", "*", name="Todo")
    case = opened(org.sevilla)

    publish_case_event(CaseEvent.objects.get(case=case, kind="opened"))

    assert [d.endpoint for d in WebhookDelivery.objects.all()] == [wanted]


def test_a_rule_match_is_published_with_its_rule_and_case(org: Org) -> None:
    endpoint_at("http://127.0.0.1:9/hook", "rule.matched")
    rule = save_rule(
        actor=SYSTEM,
        data=RuleData(
            name="Detractor",
            event="response",
            conditions=[{"field": "nps", "op": "lte", "value": 6}],
        ),
    )
    case = opened(org.sevilla)
    match = RuleMatch.objects.create(
        rule=rule, event="response", event_id=41, case=case, matched_at=case.opened_at
    )

    publish_rule_match(match, recipients=[object(), object()])
    publish_rule_match(match, recipients=[])

    delivery = WebhookDelivery.objects.get()
    assert delivery.event_type == "rule.matched"
    assert delivery.event_key == f"rule-match-{rule.pk}-response-41"
    data = delivery.payload["data"]
    assert data["rule"] == {"id": rule.pk, "name": "Detractor", "action": "case"}
    assert data["event"] == {"kind": "response", "id": 41}
    assert data["case"]["id"] == case.pk and data["notified"] == 2
