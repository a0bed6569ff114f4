"""Background work of cases: safe to run twice at once (each case escalates once)."""

from __future__ import annotations

from django_tasks import task

from vinculo.cases.services import escalate_overdue


@task()
def escalate_cases_task() -> int:
    """Escalates the open cases past a due time; returns how many."""
    return len(escalate_overdue())


@task()
def evaluate_alert_rules_task() -> int:
    """Evaluates the alert rules on the events recorded since the last run; returns how
    many events were read. Safe to run twice at once (``rules_eval``)."""
    from vinculo.cases.rules_eval import evaluate_new

    return evaluate_new()
