"""Periodic work of distribution, and the sending loop campaigns and the scheduler share.

django-tasks has no periodic tasks, so ``manage.py run_scheduler`` (core.scheduler) enqueues
``scan_triggers_task`` and ``dispatch_due_task`` every SURVEY_SCHEDULER_SECONDS. Nothing here
depends on running once: every invitation is claimed before it is sent, every campaign
start is claimed on its row, so duplicate or overlapping runs only waste a query.

``dispatch_due`` does, in order: give up on sends a dead worker left "sending", start the
campaigns whose time has come (or whose preparation stalled), send every queued invitation
whose ``send_after`` has passed (triggered ones after their delay, retries after their
backoff), send due reminders, and mark finished campaigns done.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from vinculo.surveys.choices import DistributionStatus, InvitationStatus
from vinculo.surveys.models import Distribution, Invitation
from vinculo.surveys.sending import (
    due_reminders,
    recover_stale_sends,
    send_invitation,
    send_reminder,
)

logger = logging.getLogger(__name__)

SEND_BATCH = 500  # due invitation ids read per query
# A task sending longer than this hands the rest to a new task, so one big campaign does
# not hold a worker for an hour while other tasks wait behind it.
SEND_BUDGET_SECONDS = 60.0
# A campaign "scheduled" with no progress for this long lost the task preparing it.
PREPARATION_STALLED = timedelta(minutes=2)
REMINDERS_PER_PASS = 5000


@dataclass(frozen=True)
class SendRun:
    attempted: int
    more: bool  # stopped on the time budget with due invitations left


def due_invitation_ids(
    now: datetime, *, distribution_id: int | None = None, limit: int = SEND_BATCH
) -> list[int]:
    due = Invitation.objects.filter(status=InvitationStatus.QUEUED, send_after__lte=now)
    if distribution_id is not None:
        due = due.filter(distribution_id=distribution_id)
    return list(due.order_by("send_after", "pk").values_list("pk", flat=True)[:limit])


def send_due(
    *,
    now: datetime | None = None,
    distribution_id: int | None = None,
    budget_seconds: float = SEND_BUDGET_SECONDS,
) -> SendRun:
    """Sends due queued invitations (of one campaign, or all) until none is left or time is up.

    With ``now`` given every send uses that clock (tests); otherwise the real time, read
    again for each batch.
    """
    started = time.monotonic()
    attempted = 0
    while True:
        ids = due_invitation_ids(now or timezone.now(), distribution_id=distribution_id)
        if not ids:
            return SendRun(attempted, more=False)
        for invitation_id in ids:
            send_invitation(invitation_id, now=now)
            attempted += 1
            if time.monotonic() - started > budget_seconds:
                return SendRun(attempted, more=True)


def campaigns_to_start(now: datetime) -> list[int]:
    """Scheduled campaigns whose time has come and that nobody is preparing right now.

    ``send_at`` after the last touch means no task was ever started for it (it was
    scheduled ahead); an old touch means the task preparing it died.
    """
    return list(
        Distribution.objects.filter(status=DistributionStatus.SCHEDULED)
        .filter(Q(send_at__isnull=True) | Q(send_at__lte=now))
        .filter(
            Q(send_at__gt=F("updated_at")) | Q(updated_at__lt=timezone.now() - PREPARATION_STALLED)
        )
        .values_list("pk", flat=True)
    )


def claim_campaign_start(distribution_id: int) -> bool:
    """Touches the campaign so that one scheduler run, not two, enqueues its preparation."""
    current = (
        Distribution.objects.filter(pk=distribution_id).values_list("updated_at", flat=True).first()
    )
    return bool(
        current
        and Distribution.objects.filter(
            pk=distribution_id, status=DistributionStatus.SCHEDULED, updated_at=current
        ).update(updated_at=timezone.now())
    )


def finish_campaigns() -> int:
    """Campaigns sending with nothing left queued or in flight are done."""
    pending = Invitation.objects.filter(
        distribution=OuterRef("pk"),
        status__in=[InvitationStatus.QUEUED, InvitationStatus.SENDING],
    )
    return (
        Distribution.objects.filter(status=DistributionStatus.SENDING)
        .exclude(Exists(pending))
        .update(status=DistributionStatus.DONE, updated_at=timezone.now())
    )


@dataclass(frozen=True)
class DispatchSummary:
    recovered: int
    campaigns_started: int
    attempted: int
    reminders: int
    finished: int
    more: bool


def dispatch_due(
    *, now: datetime | None = None, budget_seconds: float = SEND_BUDGET_SECONDS
) -> DispatchSummary:
    """Everything time-driven in distribution, once. See the module docstring."""
    from vinculo.surveys.tasks import send_distribution_task

    recovered = recover_stale_sends(now=now)
    started = 0
    for distribution_id in campaigns_to_start(now or timezone.now()):
        if claim_campaign_start(distribution_id):
            send_distribution_task.enqueue(distribution_id)
            started += 1
    run = send_due(now=now, budget_seconds=budget_seconds)
    reminders = 0
    for invitation_id in due_reminders(now or timezone.now())[:REMINDERS_PER_PASS]:
        reminders += send_reminder(invitation_id, now=now)
    finished = finish_campaigns()
    summary = DispatchSummary(recovered, started, run.attempted, reminders, finished, run.more)
    if recovered or started or run.attempted or reminders or finished:
        logger.info("Survey dispatch: %s", summary)
    return summary
