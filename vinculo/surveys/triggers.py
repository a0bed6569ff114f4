"""Triggered (transactional) surveys: "after an interaction of type T on channel C, invite
after D hours".

``scan_triggers`` reads the Interaction table itself, so interactions recorded by any path
(the API, an import's COPY, a service) trigger alike. Each rule keeps a watermark, the last
interaction id it read; a pass reads a bounded window of newer ids, creates one invitation
per matching interaction (``send_after`` = occurred_at + delay) and moves the watermark in
the same transaction with a conditional UPDATE, so two scanners never both advance it and
the unique constraint ``invitation_once_per_trigger_event`` makes any re-read harmless.

On PostgreSQL ids are handed out before transactions commit: a long import can commit ids
lower than ones already visible. The window therefore stops before any interaction created
after the oldest write transaction still running began (minus a little clock skew), and
the watermark only passes ids that can no longer appear. SQLite has one writer at a time,
so ids become visible in order there.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from vinculo.journeys.models import Channel, Interaction, InteractionType
from vinculo.surveys.choices import SurveyStatus
from vinculo.surveys.invitations import invitation_fields
from vinculo.surveys.models import Invitation, Survey, TriggerRule

BATCH = 5000  # interaction ids read per rule and pass
CLOCK_SKEW = timedelta(seconds=1)
RULE_FIELDS = (
    "name",
    "interaction_type",
    "interaction_channel",
    "channel",
    "delay_hours",
    "max_age_hours",
    "reminder_after_days",
    "expires_after_days",
    "active",
)


# -- rules -------------------------------------------------------------------------------


@transaction.atomic
def create_trigger_rule(
    *,
    survey: Survey,
    name: str,
    interaction_type: InteractionType,
    channel: str,
    interaction_channel: Channel | None = None,
    delay_hours: int = 24,
    max_age_hours: int = 72,
    reminder_after_days: int | None = None,
    expires_after_days: int = 14,
) -> TriggerRule:
    """A new active rule. It reacts to interactions recorded from now on, not to the past."""
    latest = Interaction.objects.aggregate(latest=Max("pk"))["latest"] or 0
    return TriggerRule.objects.create(
        survey=survey,
        name=name,
        interaction_type=interaction_type,
        interaction_channel=interaction_channel,
        channel=channel,
        delay_hours=delay_hours,
        max_age_hours=max_age_hours,
        reminder_after_days=reminder_after_days,
        expires_after_days=expires_after_days,
        last_interaction_id=latest,
    )


@transaction.atomic
def update_trigger_rule(*, rule: TriggerRule, **fields: object) -> TriggerRule:
    """Changes a rule (``active=False`` pauses it; reactivating skips what happened meanwhile)."""
    locked = TriggerRule.objects.select_for_update().get(pk=rule.pk)
    changes = {key: value for key, value in fields.items() if key in RULE_FIELDS}
    if changes.get("active") and not locked.active:
        changes["last_interaction_id"] = (
            Interaction.objects.aggregate(latest=Max("pk"))["latest"] or 0
        )
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.save(update_fields=[*changes, "updated_at"])
    return locked


# -- scanning ----------------------------------------------------------------------------


def scan_triggers(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """One pass over every active rule of a live survey; returns the invitations created."""
    now = now or timezone.now()
    horizon = visibility_horizon(now)
    rules = TriggerRule.objects.filter(active=True, survey__status=SurveyStatus.LIVE)
    return sum(
        scan_rule(rule_id=pk, now=now, batch=batch, horizon=horizon)
        for pk in rules.order_by("pk").values_list("pk", flat=True)
    )


def visibility_horizon(now: datetime) -> datetime | None:
    """Interactions created from this moment on may still have lower ids to come (PostgreSQL).

    None on SQLite, where ids become visible in order.
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity"
            " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    horizon = now - CLOCK_SKEW
    oldest_writer = row[0] if row else None
    return min(horizon, oldest_writer) if oldest_writer is not None else horizon


def scan_rule(
    *, rule_id: int, now: datetime, batch: int = BATCH, horizon: datetime | None = None
) -> int:
    """Reads one window of new interactions for one rule; returns the invitations created."""
    rule = TriggerRule.objects.select_related("survey").get(pk=rule_id)
    start = rule.last_interaction_id
    window = Interaction.objects.filter(pk__gt=start)
    if horizon is not None:
        unsettled = (
            window.filter(created_at__gte=horizon).order_by("pk").values_list("pk", flat=True)
        ).first()
        if unsettled is not None:
            window = window.filter(pk__lt=unsettled)
    ids = list(window.order_by("pk").values_list("pk", flat=True)[:batch])
    if not ids:
        return 0
    end = ids[-1]
    matches = Interaction.objects.filter(
        pk__gt=start,
        pk__lte=end,
        touchpoint__interaction_type_id=rule.interaction_type_id,
        occurred_at__gte=now - timedelta(hours=rule.max_age_hours),
    )
    if rule.interaction_channel_id is not None:
        matches = matches.filter(touchpoint__channel_id=rule.interaction_channel_id)
    rows = list(
        matches.values_list(
            "pk", "customer_id", "unit_id", "touchpoint_id", "occurred_at", "customer__language"
        )
    )
    with transaction.atomic():
        moved = TriggerRule.objects.filter(pk=rule.pk, last_interaction_id=start).update(
            last_interaction_id=end, updated_at=timezone.now()
        )
        if not moved:
            return 0  # another scanner read this window first
        existing = Invitation.objects.filter(
            trigger=rule, trigger_interaction_id__in=[row[0] for row in rows]
        ).count()
        Invitation.objects.bulk_create(
            [_invitation(rule, *row) for row in rows], ignore_conflicts=True
        )
    return len(rows) - existing


def _invitation(
    rule: TriggerRule,
    interaction_id: int,
    customer_id: int,
    unit_id: int,
    touchpoint_id: int,
    occurred_at: datetime,
    language: str,
) -> Invitation:
    # The survey asks about this interaction: its unit and touchpoint, not the survey's.
    return Invitation(
        trigger=rule,
        trigger_interaction_id=interaction_id,
        customer_id=customer_id,
        channel=rule.channel,
        **invitation_fields(
            survey=rule.survey,
            customer_language=language,
            unit_id=unit_id,
            touchpoint_id=touchpoint_id,
            send_after=occurred_at + timedelta(hours=rule.delay_hours),
            expires_after_days=rule.expires_after_days,
            reminder_after_days=rule.reminder_after_days,
        ),
    )
