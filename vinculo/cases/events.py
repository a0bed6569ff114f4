"""What other parts listen to when cases change, sent once the change is committed.

``case_event`` is sent for every entry of a case's activity log (opened, assigned,
escalated, contacted, resolved ...) with ``event`` (the ``CaseEvent``); ``rule_matched``
for every new match of an alert rule with ``match`` (the ``RuleMatch``) and
``recipients`` (the people notified in the app). Notifications by e-mail and outgoing
webhooks subscribe to them; a receiver that fails is logged and never undoes the change.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

case_event = Signal()
rule_matched = Signal()


def announce(signal: Signal, **kwargs: Any) -> None:
    """Sends ``signal`` after the current transaction commits (right away outside one)."""

    def send() -> None:
        for receiver, outcome in signal.send_robust(sender=None, **kwargs):
            if isinstance(outcome, Exception):
                logger.error("Receiver %r of a case signal failed", receiver, exc_info=outcome)

    transaction.on_commit(send)
