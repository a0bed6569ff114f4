"""Background work of webhooks: sending one delivery, and the periodic sweep that sends
retries that are due and takes back deliveries whose worker stopped. Both are safe to run
twice at once: every try is claimed with a conditional UPDATE (``delivery``)."""

from __future__ import annotations

from django_tasks import task

from vinculo.webhooks.delivery import attempt_delivery, deliver_due


@task()
def deliver_webhook_task(delivery_id: int) -> str | None:
    """Tries the delivery once if it is due; returns its new status (None: nothing done)."""
    return attempt_delivery(delivery_id=delivery_id)


@task()
def deliver_due_webhooks_task() -> int:
    """Sends the retries that are due and the deliveries left by a stopped worker."""
    return deliver_due()
