"""Background work of cases: safe to run twice at once (each case escalates once)."""

from __future__ import annotations

from django_tasks import task

from vinculo.cases.services import escalate_overdue


@task()
def escalate_cases_task() -> int:
    """Escalates the open cases past a due time; returns how many."""
    return len(escalate_overdue())
