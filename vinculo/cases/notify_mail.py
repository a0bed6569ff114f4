"""E-mailing notifications: each one to its recipient, as they allow, once, and not lost.

A worker claims a notification with a conditional UPDATE on what it read (``email_status``
and ``email_attempts``), which sets ``email_claimed_at`` and counts the attempt, so two
workers, or the same task run twice, never both send it. It ends ``sent`` (with
``emailed_at``), ``skipped`` (no address, or the person turned e-mails off) or ``failed``
(the server refused it for good, or ``MAX_ATTEMPTS`` went by). A temporary failure puts
it back to "" to be tried again after ``backoff(attempts)``; a claim older than ``LEASE``
belongs to a worker that died and is taken again. ``sweep`` (a periodic task) finds those,
and the notifications whose after-commit task never ran. The Message-ID is fixed per
notification, so a message sent again after a crash can be recognised by the receiver.

E-mails carry no personal data: the kind, the case (or signal, or action) number, its
unit, status and due time, and a link; never the notification's text or a case's title
(which may name the customer). The in-app notification stays whatever its e-mail does.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vinculo.cases.choices import NotificationKind
from vinculo.cases.listing import next_due
from vinculo.cases.models import ImprovementAction, Notification, NotificationPrefs
from vinculo.cases.notifications import improvement_of, target_of
from vinculo.cases.notify import language_of
from vinculo.messaging.email import send_email
from vinculo.messaging.outcomes import PermanentFailure, TemporaryFailure

logger = logging.getLogger(__name__)

SENDING, SENT, SKIPPED, FAILED = "sending", "sent", "skipped", "failed"

# A claim older than this is a dead worker's: an SMTP exchange takes seconds.
LEASE = timedelta(minutes=10)
# A notification still waiting this long after it was written lost its after-commit task.
GRACE = timedelta(minutes=1)
# Older than this, a notification nobody e-mailed is no longer news.
MAX_AGE = timedelta(days=1)
MAX_ATTEMPTS = 5
# The most notifications one sweep e-mails; the next tick takes the rest.
SWEEP_BATCH = 200


def backoff(attempts: int) -> timedelta:
    """How long after its last claim a temporarily failed e-mail waits: 2, 4, 8, 16 min."""
    return timedelta(minutes=2 ** max(attempts, 1))


def email_notifications(notification_ids: list[int], *, now: datetime | None = None) -> int:
    """E-mails each of these notifications that is due; returns how many went out."""
    return sum(email_notification(pk, now=now) == SENT for pk in notification_ids)


def sweep(*, now: datetime | None = None) -> int:
    """E-mails what fell through: notifications never tried (their task never ran),
    temporary failures whose backoff is over, and claims of dead workers. Returns how
    many went out."""
    now = now or timezone.now()
    waiting = Notification.objects.filter(
        Q(email_status="", emailed_at__isnull=True, created_at__lte=now - GRACE)
        | Q(email_status=SENDING),
        created_at__gte=now - MAX_AGE,
    ).order_by("pk")
    return email_notifications(list(waiting.values_list("pk", flat=True)[:SWEEP_BATCH]), now=now)


def claimable(status: str, attempts: int, claimed_at: datetime | None, now: datetime) -> bool:
    """Whether a row in this state may be claimed at ``now``."""
    if status == "":
        return claimed_at is None or now >= claimed_at + backoff(attempts)
    if status == SENDING:
        return claimed_at is None or now >= claimed_at + LEASE
    return False


def email_notification(notification_id: int, *, now: datetime | None = None) -> str:
    """Sends one notification's e-mail if it is due and nobody has it; returns what
    became of it ("" when it was not this run's to send)."""
    now = now or timezone.now()
    state = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
        .values_list("email_status", "email_attempts", "email_claimed_at")
        .first()
    )
    if state is None or not claimable(*state, now):
        return ""
    status, attempts, _claimed_at = state
    if attempts >= MAX_ATTEMPTS:  # the last worker died with it: give up
        gave_up = Notification.objects.filter(
            pk=notification_id, email_status=status, email_attempts=attempts
        ).update(email_status=FAILED)
        return FAILED if gave_up else ""
    claimed = Notification.objects.filter(
        pk=notification_id, email_status=status, email_attempts=attempts
    ).update(email_status=SENDING, email_attempts=attempts + 1, email_claimed_at=now)
    if not claimed:
        return ""  # another run took it between the read and the update
    return _send(notification_id, attempts + 1, now)


def _send(notification_id: int, attempt: int, now: datetime) -> str:
    row = Notification.objects.select_related("recipient", "case__unit", "signal__unit").get(
        pk=notification_id
    )
    person = row.recipient
    if not (person.is_active and person.email and wants(person, "email_alerts")):
        return _finish(row, SKIPPED)
    try:
        with translation.override(language_of(person)), timezone.override(local_zone()):
            subject, text = render_notification(row)
        send_once(to=person.email, subject=subject, text=text, reference=f"notice-{row.pk}")
    except TemporaryFailure as exc:
        logger.warning("Notification %s not e-mailed (attempt %s): %s", row.pk, attempt, exc)
        return _finish(row, FAILED if attempt >= MAX_ATTEMPTS else "")
    except PermanentFailure as exc:
        logger.warning("Notification %s not e-mailed: %s", row.pk, exc)
        return _finish(row, FAILED)
    except Exception:  # one person's e-mail must not stop the others'
        logger.exception("Notification %s could not be e-mailed", row.pk)
        return _finish(row, FAILED)
    return _finish(row, SENT, now)


def wants(person: User, what: str) -> bool:
    """Whether ``person`` wants ``what`` (``email_alerts`` or ``daily_digest``); everyone
    does until they say otherwise."""
    prefs = NotificationPrefs.objects.filter(user=person).values_list(what, flat=True).first()
    return True if prefs is None else bool(prefs)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def absolute(path: str) -> str:
    """A link people can follow from an e-mail."""
    return f"{settings.SITE_URL}{path}"


def link_of(row: Notification) -> str:
    """Where a notification leads: its case, action or signal, else the notifications page."""
    return absolute(target_of(row) or reverse("cases:notifications"))


def headline(row: Notification) -> str:
    """What happened, by number only, in the active language."""
    kind = row.kind
    if row.case_id is not None:
        number = {"number": row.case_id}
        if kind == NotificationKind.ASSIGNED:
            return _("Case #%(number)s is yours now") % number
        if kind == NotificationKind.ESCALATED:
            return _("Case #%(number)s is overdue and was escalated") % number
        if kind == NotificationKind.RULE:
            return _("An alert rule matched: case #%(number)s") % number
        return _("Case #%(number)s") % number
    if kind == NotificationKind.SIGNAL and row.signal_id is not None:
        return _("Sales signal #%(number)s") % {"number": row.signal_id}
    improvement = improvement_of(row)
    if improvement is not None:
        return _("Improvement action #%(number)s is yours now") % {"number": improvement}
    return str(NotificationKind(kind).label)


def facts_of(row: Notification) -> dict[str, Any]:
    """The unit, status and due time of what a notification is about, for its e-mail."""
    if row.case is not None:
        case = row.case
        return {
            "unit": case.unit.name,
            "status": case.get_status_display(),
            "due": next_due(case),
        }
    if row.signal is not None:
        return {"unit": row.signal.unit.name}
    improvement = improvement_of(row)
    action = (
        ImprovementAction.objects.select_related("unit").filter(pk=improvement).first()
        if improvement is not None
        else None
    )
    if action is not None:
        return {
            "unit": action.unit.name if action.unit else _("The whole company"),
            "status": action.get_status_display(),
            "due_on": action.due_on,
        }
    return {}


def render_notification(row: Notification) -> tuple[str, str]:
    """The subject and text of a notification's e-mail, in the active language and zone."""
    line = headline(row)
    context = {
        "headline": line,
        "kind": row.get_kind_display(),
        "user": row.recipient,
        "link": link_of(row),
        "settings_url": absolute(reverse("cases:notifications_settings")),
        **facts_of(row),
    }
    subject = _("Vínculo: %(what)s") % {"what": line}
    return " ".join(subject.split())[:200], render_to_string(
        "cases/notifications_email.txt", context
    )


def message_id(reference: str, sender: str) -> str:
    """The same Message-ID every time for one ``reference`` (a notification, a digest),
    so a message sent again after a worker died is one message to the receiver."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "vinculo.invalid"
    return f"<{reference}@{domain}>"


def send_once(*, to: str, subject: str, text: str, reference: str, html: str | None = None) -> None:
    """Sends one message with the Message-ID of ``reference`` (the same on every try);
    raises ``PermanentFailure`` or ``TemporaryFailure`` like ``messaging.email.send_email``."""
    sender = settings.DEFAULT_FROM_EMAIL
    send_email(
        to=to,
        subject=subject,
        text=text,
        html=html,
        reference=reference,
        message_id=message_id(reference, sender),
    )


def _finish(row: Notification, status: str, when: datetime | None = None) -> str:
    Notification.objects.filter(pk=row.pk, email_status=SENDING).update(
        email_status=status, emailed_at=when
    )
    return status
