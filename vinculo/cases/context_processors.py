"""What every page's menu shows of notifications: whether to show the link, and the
count of one's unread ones."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from vinculo.cases.notifications import counts_of


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """For signed-in people: ``unread_notifications`` (the count) and ``has_notifications``
    (any at all), counted together in one indexed query, only when a template shows
    them, at most once per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    user_id = user.pk
    counted = cache(lambda: counts_of(user_id))
    return {
        "unread_notifications": SimpleLazyObject(lambda: counted()[1]),
        "has_notifications": SimpleLazyObject(lambda: counted()[0] > 0),
    }
