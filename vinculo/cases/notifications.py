"""A person's own notifications, as the page and the API show them: unread first, the
unread count for the menu, marking them read, and how the person wants to hear.

Everything here takes the person (a user id) and touches only their rows: someone
else's notification is "not found", never "forbidden".
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from vinculo.cases.choices import NotificationKind
from vinculo.cases.models import Notification, NotificationPrefs


def notifications_of(user_id: int | None) -> QuerySet[Notification]:
    """The person's notifications, unread first, then newest first."""
    if user_id is None:
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient_id=user_id)
        .select_related("case")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")
    )


def unread_count(user_id: int) -> int:
    """One query on the (recipient, read_at) index."""
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def counts_of(user_id: int) -> tuple[int, int]:
    """How many notifications the person has, and how many unread: one query on the
    (recipient, read_at) index."""
    counts = Notification.objects.filter(recipient_id=user_id).aggregate(
        total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True))
    )
    return int(counts["total"]), int(counts["unread"])


def improvement_of(row: Notification) -> int | None:
    """The improvement action a notification is about: its key is
    ``improvement-<id>-owner-...`` (``improvements._tell_owner``)."""
    if row.kind != NotificationKind.IMPROVEMENT:
        return None
    parts = row.key.split("-")
    if len(parts) < 2 or parts[0] != "improvement" or not parts[1].isdigit():
        return None
    return int(parts[1])


def target_of(row: Notification) -> str:
    """The page a notification is about: its case, improvement action or sales signal
    ("" if none)."""
    if row.case_id is not None:
        return reverse("cases:case", args=[row.case_id])
    improvement = improvement_of(row)
    if improvement is not None:
        return reverse("cases:improvement", args=[improvement])
    if row.signal_id is not None:
        try:
            return reverse("cases:signal", args=[row.signal_id])
        except NoReverseMatch:  # signals have no page of their own yet
            return ""
    return ""


def mark_read(*, user_id: int | None, notification_id: int, now: datetime | None = None) -> bool:
    """Marks one of the person's notifications read; False if they have none with this id."""
    mine = Notification.objects.filter(pk=notification_id, recipient_id=user_id)
    if user_id is None or not mine.exists():
        return False
    mine.filter(read_at__isnull=True).update(read_at=now or timezone.now())
    return True


def mark_all_read(*, user_id: int | None, now: datetime | None = None) -> int:
    """Marks every unread notification of the person read; returns how many."""
    if user_id is None:
        return 0
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def mark_read_about(
    *, user_id: int | None, case_id: int | None = None, signal_id: int | None = None
) -> int:
    """Marks read the person's notifications about the case or signal they are looking at
    (seeing it is reading them); returns how many."""
    if user_id is None or (case_id is None and signal_id is None):
        return 0
    about = Q(case_id=case_id) if case_id is not None else Q(signal_id=signal_id)
    unread = Notification.objects.filter(about, recipient_id=user_id, read_at__isnull=True)
    return unread.update(read_at=timezone.now())


def prefs_of(user_id: int) -> NotificationPrefs:
    """The person's preferences as stored, or the defaults (not saved) if they set none."""
    return NotificationPrefs.objects.filter(user_id=user_id).first() or NotificationPrefs(
        user_id=user_id
    )


@transaction.atomic
def set_prefs(*, user_id: int, email_alerts: bool, daily_digest: bool) -> NotificationPrefs:
    """Stores how the person wants to hear: each notification by e-mail, the daily digest."""
    prefs, _created = NotificationPrefs.objects.update_or_create(
        user_id=user_id, defaults={"email_alerts": email_alerts, "daily_digest": daily_digest}
    )
    return prefs
