"""Test helper: a feedback item filed through the real service."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.services import FeedbackData, file_feedback
from vinculo.journeys.models import Channel


def filed(unit: Unit, text: str, external_id: str = "", **fields: Any) -> FeedbackItem:
    """A review of ``unit`` written now (other FeedbackData fields as keywords)."""
    data: dict[str, Any] = {
        "source": "review",
        "channel": Channel.objects.get(code="web"),
        "occurred_at": timezone.now(),
        **fields,
    }
    item, _created = file_feedback(
        actor=SYSTEM, data=FeedbackData(text=text, unit=unit, external_id=external_id, **data)
    )
    return item
