"""Telling people: in-app notifications and e-mails about cases and rule matches.

(Being built: e-mail, assignment and escalation notices come next.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vinculo.cases.models import CaseEvent, RuleMatch


def case_event_noticed(event: CaseEvent) -> None:
    """Tells whoever a case event concerns (the new owner, the managers of an escalation)."""


def rule_match_noticed(match: RuleMatch, recipients: list[Any]) -> None:
    """E-mails the people told in the app about ``match``, as their preferences allow."""
