"""The notifications API (/api/v1/notifications): the caller's own notifications, unread
first, and marking them read. An API key belongs to no person and has none; someone
else's notification is a 404, like one that does not exist."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from vinculo.cases import notifications
from vinculo.cases.models import Notification
from vinculo.lib.apiedge import ErrorOut, PageQuery, actor_of, not_found, page

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    case_id: int | None
    signal_id: int | None
    url: str
    created_at: datetime
    read_at: datetime | None
    email_status: str

    @staticmethod
    def resolve_url(row: Notification) -> str:
        return notifications.target_of(row)


class NotificationQuery(PageQuery):
    unread: bool = False


class NotificationPage(Schema):
    count: int
    unread: int
    limit: int
    offset: int
    items: list[NotificationOut]


class ReadAllOut(Schema):
    marked: int


@router.get("", response={200: NotificationPage})
def list_notifications(request: HttpRequest, params: Query[NotificationQuery]) -> dict[str, Any]:
    """Your notifications, unread first, then newest first; ``unread=true`` for only those."""
    user_id = actor_of(request).user_id
    rows = notifications.notifications_of(user_id)
    if params.unread:
        rows = rows.filter(read_at__isnull=True)
    unread = notifications.unread_count(user_id) if user_id is not None else 0
    return {**page(rows, params), "unread": unread}


@router.post("/read-all", response={200: ReadAllOut})
def read_all(request: HttpRequest) -> dict[str, int]:
    """Marks all your unread notifications read; says how many."""
    return {"marked": notifications.mark_all_read(user_id=actor_of(request).user_id)}


@router.post("/{notification_id}/read", response={200: NotificationOut, 404: ErrorOut})
def read_one(request: HttpRequest, notification_id: int) -> Notification:
    """Marks one of your notifications read."""
    user_id = actor_of(request).user_id
    if not notifications.mark_read(user_id=user_id, notification_id=notification_id):
        raise not_found()
    return notifications.notifications_of(user_id).get(pk=notification_id)
