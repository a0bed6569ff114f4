"""The models of cases: the cases and their rules (``core``), and what closes the loop
around them (``loop``): routing, follow-up surveys, service-to-sales signals,
improvement actions, notification preferences and digests."""

from vinculo.cases.models.core import (
    AlertRule,
    Case,
    CaseEvent,
    Holiday,
    Notification,
    RootCause,
    RuleMatch,
    RuleState,
    SlaTarget,
    WorkingHours,
)
from vinculo.cases.models.loop import (
    CaseSettings,
    DigestSent,
    FollowUp,
    ImprovementAction,
    NotificationPrefs,
    RoundRobinCursor,
    SalesSignal,
    SalesSignalRule,
)

__all__ = [
    "AlertRule",
    "Case",
    "CaseEvent",
    "CaseSettings",
    "DigestSent",
    "FollowUp",
    "Holiday",
    "ImprovementAction",
    "Notification",
    "NotificationPrefs",
    "RootCause",
    "RoundRobinCursor",
    "RuleMatch",
    "RuleState",
    "SalesSignal",
    "SalesSignalRule",
    "SlaTarget",
    "WorkingHours",
]
