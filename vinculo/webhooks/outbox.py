"""Outgoing webhooks: what the rest of Vínculo calls to publish an event.

``vinculo.cases.events`` calls these after the change commits. Each builds the event's
payload once and queues one delivery per active endpoint subscribed to its type
(``services.queue_deliveries``); the event's key makes publishing it twice add nothing.

Payloads name the case and who works it, and the customer only by id: no names, phones or
what anyone wrote. Private notes, actions taken and root causes set on their own are never
published (``case_event_type`` gives them no type).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse

from vinculo.cases.choices import EventKind, Status
from vinculo.webhooks.choices import EventType
from vinculo.webhooks.models import WebhookEndpoint
from vinculo.webhooks.queries import active_endpoints
from vinculo.webhooks.services import queue_deliveries

if TYPE_CHECKING:
    from vinculo.cases.models import Case, CaseEvent, RuleMatch

# The event kinds published, by type; a resolving status change is "case.resolved".
CASE_EVENT_TYPES: dict[str, str] = {
    EventKind.OPENED: EventType.CASE_OPENED,
    EventKind.ASSIGNED: EventType.CASE_ASSIGNED,
    EventKind.STATUS: EventType.CASE_STATUS,
    EventKind.PRIORITY: EventType.CASE_PRIORITY,
    EventKind.CONTACT: EventType.CASE_CONTACT,
    EventKind.ESCALATED: EventType.CASE_ESCALATED,
}


def publish_case_event(event: CaseEvent) -> None:
    """Queues one delivery of ``event`` to each active endpoint subscribed to its type."""
    event_type = case_event_type(event)
    if event_type is None:
        return
    endpoints = subscribed(event_type)
    if not endpoints:
        return
    from vinculo.cases.models import Case

    case = Case.objects.select_related("unit", "department", "owner").get(pk=event.case_id)
    key = f"case-event-{event.pk}"
    data = {"case": case_data(case), "change": _change(event)}
    payload = _payload(key, event_type, event.created_at.isoformat(), data)
    queue_deliveries(endpoints=endpoints, event_type=event_type, event_key=key, payload=payload)


def publish_rule_match(match: RuleMatch, recipients: list[Any]) -> None:
    """Queues one delivery of ``match`` to each active endpoint subscribed to rule matches."""
    event_type = EventType.RULE_MATCHED
    endpoints = subscribed(event_type)
    if not endpoints:
        return
    from vinculo.cases.models import AlertRule, Case

    rule = AlertRule.objects.get(pk=match.rule_id)
    case = None
    if match.case_id is not None:
        case = Case.objects.select_related("unit", "department", "owner").get(pk=match.case_id)
    # The match's natural key: rows made with bulk_create may not know their own id.
    key = f"rule-match-{match.rule_id}-{match.event}-{match.event_id}"
    data = {
        "rule": {"id": rule.pk, "name": rule.name, "action": rule.action},
        "event": {"kind": match.event, "id": match.event_id},
        "case": case_data(case) if case is not None else None,
        "notified": len(recipients),
    }
    payload = _payload(key, event_type, match.matched_at.isoformat(), data)
    queue_deliveries(endpoints=endpoints, event_type=event_type, event_key=key, payload=payload)


def case_event_type(event: CaseEvent) -> str | None:
    """The webhook type of a case event; None for those never published (notes above all)."""
    if event.kind == EventKind.STATUS and (event.data or {}).get("to") == Status.RESOLVED:
        return EventType.CASE_RESOLVED
    return CASE_EVENT_TYPES.get(event.kind)


def subscribed(event_type: str) -> list[WebhookEndpoint]:
    """The active endpoints that want this type (few rows: filtered here, since SQLite
    cannot look inside a JSON list)."""
    return [e for e in active_endpoints() if e.subscribes_to(event_type)]


def case_data(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "title": case.title,
        "status": case.status,
        "priority": case.priority,
        "unit": {"code": case.unit.code, "name": case.unit.name},
        "department": case.department.code if case.department else None,
        "owner": case.owner.get_username() if case.owner else None,
        "customer_id": case.customer_id,
        "url": settings.SITE_URL + reverse("cases:case", args=[case.pk]),
    }


def _change(event: CaseEvent) -> dict[str, Any]:
    """What this event changed, without free text (which may hold personal data)."""
    data = event.data or {}
    if event.kind in (EventKind.STATUS, EventKind.PRIORITY):
        return {"from": data.get("from"), "to": data.get("to")}
    if event.kind == EventKind.CONTACT:
        return {"channel": event.contact_channel, "outcome": event.contact_outcome}
    if event.kind == EventKind.ASSIGNED:
        return {"owner": data.get("owner")}
    if event.kind == EventKind.ESCALATED:
        return {"late": data.get("late")}
    return {}


def _payload(key: str, event_type: str, created_at: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": key, "type": event_type, "created_at": created_at, "data": data}
