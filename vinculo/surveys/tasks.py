"""Background tasks of distribution. They take ids, and running one twice sends nothing twice:
every invitation is claimed with a conditional UPDATE before it is sent (sending.py).

A task killed mid-run (a worker restart) is not run again by django-tasks-db; the
scheduler's ``dispatch_due_task`` picks up whatever it left queued, and gives up on the one
invitation it may have left "sending" (see sending.recover_stale_sends).
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from vinculo.surveys.choices import DistributionStatus
from vinculo.surveys.invitations import create_distribution_invitations, mark_sending
from vinculo.surveys.models import Distribution
from vinculo.surveys.scheduler import dispatch_due, finish_campaigns, send_due
from vinculo.surveys.sending import send_invitation
from vinculo.surveys.triggers import scan_triggers


@task()
def send_invitation_task(invitation_id: int) -> str:
    """Sends one invitation now if it is due and still queued."""
    return send_invitation(invitation_id)


@task()
def send_distribution_task(distribution_id: int) -> dict[str, Any]:
    """Prepares a started campaign (its invitations), then sends them for a while.

    What is left when the time budget runs out goes to a new task, so other work gets a
    worker in between.
    """
    status = (
        Distribution.objects.filter(pk=distribution_id).values_list("status", flat=True).first()
    )
    created = 0
    if status == DistributionStatus.SCHEDULED:
        created = create_distribution_invitations(distribution_id=distribution_id)
        mark_sending(distribution_id=distribution_id)
    elif status != DistributionStatus.SENDING:
        return {"created": 0, "attempted": 0}  # cancelled, done or deleted meanwhile
    run = send_due(distribution_id=distribution_id)
    if run.more:
        send_distribution_task.enqueue(distribution_id)
    else:
        finish_campaigns()
    return {"created": created, "attempted": run.attempted}


@task()
def scan_triggers_task() -> int:
    """Creates the invitations new interactions trigger; returns how many."""
    return scan_triggers()


@task()
def dispatch_due_task() -> dict[str, Any]:
    """Stale sends, campaigns to start, due invitations and reminders (scheduler.py)."""
    summary = dispatch_due()
    if summary.more:
        dispatch_due_task.enqueue()
    return summary.__dict__
