"""What happens after a case changes or a rule matches, once the change is committed.

Services call these explicitly (never through Django signals): each case event (opened,
assigned, escalated, contacted, resolved ...) and each new rule match is told to the
people it concerns (``notify``) and published to the subscribed webhooks
(``webhooks.outbox``). Both run after commit, so a rolled-back change tells nobody, and a
failure in one is logged and never undoes the change nor stops the other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from vinculo.cases.models import CaseEvent, RuleMatch

logger = logging.getLogger(__name__)


def case_event_recorded(event: CaseEvent) -> None:
    from vinculo.cases.notify import case_event_noticed
    from vinculo.webhooks.outbox import publish_case_event

    _after_commit(case_event_noticed, event)
    _after_commit(publish_case_event, event)


def rule_match_recorded(match: RuleMatch, recipients: list[Any]) -> None:
    from vinculo.cases.notify import rule_match_noticed
    from vinculo.webhooks.outbox import publish_rule_match

    _after_commit(rule_match_noticed, match, recipients)
    _after_commit(publish_rule_match, match, recipients)


def _after_commit(function: Callable[..., None], *args: Any) -> None:
    def run() -> None:
        try:
            function(*args)
        except Exception:
            logger.exception("%s failed after a case change", function.__qualname__)

    transaction.on_commit(run)
