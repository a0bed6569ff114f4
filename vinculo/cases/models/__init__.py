"""The models of cases: the cases (``core``), alert rules and notifications (``rules``),
and what closes the loop around them (``loop``): routing, follow-up surveys,
service-to-sales signals, improvement actions, notification preferences and digests."""

from vinculo.cases.models.core import (
    Case,
    CaseEvent,
    Holiday,
    RootCause,
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
from vinculo.cases.models.rules import AlertRule, Notification, RuleMatch, RuleState

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
