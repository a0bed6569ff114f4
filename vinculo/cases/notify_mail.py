"""E-mailing notifications: each one at most once, to its recipient, as they allow.

A notification is claimed with a conditional UPDATE (``email_status`` from empty to
``sending``) before its message goes out, so two workers, or the same task run twice,
never send it twice. It ends ``sent`` (with ``emailed_at``), ``skipped`` (no address, or
the person turned e-mails off) or ``failed`` (the server refused it); the in-app
notification stays whatever happens to its e-mail.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vinculo.cases.models import Notification, NotificationPrefs
from vinculo.cases.notifications import target_of
from vinculo.cases.notify import language_of
from vinculo.messaging.email import send_email
from vinculo.messaging.outcomes import PermanentFailure, TemporaryFailure

logger = logging.getLogger(__name__)

SENDING, SENT, SKIPPED, FAILED = "sending", "sent", "skipped", "failed"


def email_notifications(notification_ids: list[int], *, now: datetime | None = None) -> int:
    """E-mails each of these notifications not e-mailed yet; returns how many went out."""
    return sum(email_notification(pk, now=now) == SENT for pk in notification_ids)


def email_notification(notification_id: int, *, now: datetime | None = None) -> str:
    """Sends one notification's e-mail if nobody did; returns what became of it ("" when
    another run had it already)."""
    claimed = Notification.objects.filter(
        pk=notification_id, email_status="", emailed_at__isnull=True
    ).update(email_status=SENDING)
    if not claimed:
        return ""
    row = Notification.objects.select_related("recipient", "case").get(pk=notification_id)
    person = row.recipient
    if not (person.is_active and person.email and wants(person, "email_alerts")):
        return _finish(row, SKIPPED)
    try:
        with translation.override(language_of(person)):
            subject, text = render_notification(row)
        send_email(to=person.email, subject=subject, text=text, reference=f"notice-{row.pk}")
    except (PermanentFailure, TemporaryFailure) as exc:
        logger.warning("Notification %s not e-mailed: %s", row.pk, exc)
        return _finish(row, FAILED)
    except Exception:  # one person's e-mail must not stop the others'
        logger.exception("Notification %s could not be e-mailed", row.pk)
        return _finish(row, FAILED)
    return _finish(row, SENT, now or timezone.now())


def wants(person: User, what: str) -> bool:
    """Whether ``person`` wants ``what`` (``email_alerts`` or ``daily_digest``); everyone
    does until they say otherwise."""
    prefs = NotificationPrefs.objects.filter(user=person).values_list(what, flat=True).first()
    return True if prefs is None else bool(prefs)


def absolute(path: str) -> str:
    """A link people can follow from an e-mail."""
    return f"{settings.SITE_URL}{path}"


def link_of(row: Notification) -> str:
    """Where a notification leads: its case or signal, else the notifications page."""
    return absolute(target_of(row) or reverse("cases:notifications"))


def render_notification(row: Notification) -> tuple[str, str]:
    """The subject and text of a notification's e-mail, in the active language."""
    context = {
        "notification": row,
        "user": row.recipient,
        "link": link_of(row),
        "settings_url": absolute(reverse("cases:notifications_settings")),
    }
    subject = _("Vínculo: %(text)s") % {"text": row.text}
    return " ".join(subject.split())[:200], render_to_string(
        "cases/notifications_email.txt", context
    )


def _finish(row: Notification, status: str, when: datetime | None = None) -> str:
    Notification.objects.filter(pk=row.pk).update(email_status=status, emailed_at=when)
    return status
