"""Periodic work: the tasks ``manage.py run_scheduler`` enqueues on every tick.

django-tasks has no periodic tasks of its own. Each task here is idempotent and claims its
work, so a tick that enqueues it while an earlier run is still going only wastes a query;
a task already waiting in the queue is not enqueued again (a stopped worker would
otherwise find thousands of copies waiting for it).
"""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string
from django_tasks.base import Task

PERIODIC_TASKS = (
    # Surveys: invitations for new interactions, then everything time-driven in sending.
    "vinculo.surveys.tasks.scan_triggers_task",
    "vinculo.surveys.tasks.dispatch_due_task",
    # Metrics: answers into the roll-ups, then the weekly digests when they are due.
    "vinculo.metrics.tasks.fold_rollups_task",
    "vinculo.metrics.tasks.send_digests_task",
    # Text analytics: new open answers, then those analysed with older lexicons or topics.
    "vinculo.textan.tasks.analyze_texts_task",
    # Scoring jobs: stalled ones queued again, old ones deleted with their files.
    "vinculo.textan.tasks.tidy_scoring_jobs_task",
    # Cases: the overdue escalated to their units' managers, once.
    "vinculo.cases.tasks.escalate_cases_task",
    # Alert rules: new responses, texts, feedback and interactions; cases and notices, once.
    "vinculo.cases.tasks.evaluate_alert_rules_task",
    # Sales signals: service contacts of a segment told to sales, later sales linked.
    "vinculo.cases.tasks.evaluate_sales_signals_task",
    # Cases: answers to the follow-up survey onto their cases (the recovered score), once.
    "vinculo.cases.tasks.link_follow_ups_task",
    # Cases: each owner's daily digest of their open and overdue cases, once a day.
    "vinculo.cases.tasks.send_case_digests_task",
    # Cases: notification e-mails never tried, due for a retry, or left by a dead worker.
    "vinculo.cases.tasks.sweep_notification_emails_task",
    # Feedback: customer e-mails from the feedback mailbox (nothing when none is configured).
    "vinculo.feedback.tasks.fetch_feedback_mail_task",
    # Webhooks: retries that are due, and deliveries whose worker stopped mid-send.
    "vinculo.webhooks.tasks.deliver_due_webhooks_task",
)


def enqueue_periodic() -> list[str]:
    """Enqueues each periodic task unless one is already waiting; returns those enqueued."""
    enqueued = []
    for path in PERIODIC_TASKS:
        task: Task[Any, Any] = import_string(path)
        if not _already_waiting(task):
            task.enqueue()
            enqueued.append(task.name)
    return enqueued


def _already_waiting(task: Task[Any, Any]) -> bool:
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: enqueue every time, the tasks are idempotent
        return False
    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.ready().filter(task_path=task.module_path).exists()
