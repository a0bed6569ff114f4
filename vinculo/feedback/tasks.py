"""Background work of the feedback app: safe to retry and to run twice at once (a message
is filed once, whoever reads it; see vinculo.feedback.mailin)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django_tasks import task

from vinculo.feedback.mailin import configured_unit, env_mailbox, fetch_imap, fetch_maildir

# A backlog is left to the next fetch after this many messages.
BATCH = 500
LAST_FETCH = "feedback-mail:fetched"


@task()
def fetch_feedback_mail_task() -> int:
    """Files the unseen messages of FEEDBACK_MAILDIR or FEEDBACK_IMAP_URL under
    FEEDBACK_MAIL_UNIT; returns how many were filed (0 when no mailbox is configured).
    The scheduler ticks every few seconds; the mailbox is opened at most once every
    FEEDBACK_MAIL_INTERVAL seconds (an IMAP server need not see a login per tick)."""
    configured = env_mailbox()
    if configured is None:
        return 0
    interval = settings.FEEDBACK_MAIL_INTERVAL
    if interval and not cache.add(LAST_FETCH, True, timeout=interval):
        return 0
    kind, where = configured
    unit = configured_unit()
    fetch = fetch_maildir if kind == "maildir" else fetch_imap
    return fetch(where, unit=unit, limit=BATCH).filed
