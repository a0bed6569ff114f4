"""What every page's menu shows of cases: the count of one's unread notifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from vinculo.cases.notifications import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications`` for signed-in people: counted (one indexed query) only when
    a template shows it, at most once per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    user_id = user.pk
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user_id))}
