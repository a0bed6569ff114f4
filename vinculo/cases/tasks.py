"""Background work of cases: safe to run twice at once (each case escalates once)."""

from __future__ import annotations

from django_tasks import task

from vinculo.cases.escalation import escalate_overdue


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


@task()
def email_notifications_task(notification_ids: list[int]) -> int:
    """E-mails these notifications, each once (``notify_mail``); returns how many went out."""
    from vinculo.cases.notify_mail import email_notifications

    return email_notifications(notification_ids)


@task()
def sweep_notification_emails_task() -> int:
    """E-mails the notifications that fell through: never tried (their after-commit task
    never ran), temporarily failed and due again, or claimed by a worker that died; each
    once (``notify_mail.sweep``). Returns how many went out."""
    from vinculo.cases.notify_mail import sweep

    return sweep()


@task()
def send_case_digests_task() -> int:
    """Sends each owner's daily digest of their open cases once its hour has come; once a
    day per person, however often it runs (``digest``). Returns how many went out."""
    from vinculo.cases.digest import send_due_case_digests

    return send_due_case_digests()


@task()
def link_follow_ups_task() -> int:
    """Records the follow-up surveys customers answered (score, solved, the case's log and
    timeline) and the ones never delivered; each once, however often it runs
    (``follow_up.link_answers``). Returns how many changed."""
    from vinculo.cases.follow_up import link_answers

    return link_answers()


@task()
def evaluate_sales_signals_task() -> int:
    """Raises the sales signals of the contacts recorded since the last run and links
    the sales that followed; returns how many contacts were read. Safe to run twice at
    once (``signals``)."""
    from vinculo.cases.signals import evaluate_signals

    return evaluate_signals()
