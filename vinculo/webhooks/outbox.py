"""Outgoing webhooks: what the rest of Vínculo calls to publish an event.

(Being built: deliveries, signing and retries come with the webhooks app.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vinculo.cases.models import CaseEvent, RuleMatch


def publish_case_event(event: CaseEvent) -> None:
    """Queues one delivery of ``event`` to each active endpoint subscribed to its type."""


def publish_rule_match(match: RuleMatch, recipients: list[Any]) -> None:
    """Queues one delivery of ``match`` to each active endpoint subscribed to rule matches."""
