"""The daily digest: each person who owns open cases gets, by e-mail, how many they have
and which, the overdue first, with their due times and links.

``send_due_case_digests`` runs on every scheduler tick and does something only from
CASE_DIGEST_HOUR (local time, ``TIME_ZONE``) on. A person's digest of a day is claimed
by inserting their ``DigestSent`` row (unique per person and day) before the message is
written, so later ticks, or two workers at once, never send it twice. A digest the
server refused is recorded as failed and not tried again that day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Case as Cond
from django.db.models import QuerySet, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vinculo.cases.choices import OPEN
from vinculo.cases.listing import next_due, overdue_q
from vinculo.cases.models import Case, DigestSent
from vinculo.cases.notify import language_of
from vinculo.cases.notify_mail import FAILED, SENDING, SENT, absolute
from vinculo.messaging.email import send_email
from vinculo.messaging.outcomes import PermanentFailure, TemporaryFailure

logger = logging.getLogger(__name__)

# The most cases one e-mail lists; the counts are always whole.
LISTED = 50


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def due_day(now: datetime) -> date | None:
    """The local day whose digest may go out at ``now``; None before its hour."""
    local = now.astimezone(local_zone())
    if local.time() < time(settings.CASE_DIGEST_HOUR):
        return None
    return local.date()


def recipients() -> QuerySet[User]:
    """Active people with an address who own open cases and did not turn the digest off."""
    return (
        User.objects.filter(is_active=True, owned_cases__status__in=OPEN)
        .exclude(email="")
        .exclude(notification_prefs__daily_digest=False)
        .distinct()
        .order_by("pk")
    )


def send_due_case_digests(*, now: datetime | None = None) -> int:
    """Sends today's digests if their hour has come and they were not sent; returns how
    many went out."""
    now = now or timezone.now()
    day = due_day(now)
    if day is None:
        return 0
    already = set(DigestSent.objects.filter(day=day).values_list("user_id", flat=True))
    sent = 0
    for person in recipients().exclude(pk__in=already):
        sent += send_case_digest(person, day, now=now)
    return sent


@dataclass(frozen=True)
class DigestLine:
    case: Case
    due: datetime
    overdue: bool
    link: str


def owner_cases(person: User, now: datetime) -> list[DigestLine]:
    """The person's open cases: the overdue first, then by the due time that matters."""
    flag = Cond(When(overdue_q(now), then=Value(True)), default=Value(False))
    rows = (
        Case.objects.filter(owner=person, status__in=OPEN)
        .select_related("unit", "customer")
        .annotate(is_overdue=flag)
    )
    lines = [
        DigestLine(case, next_due(case), bool(case.is_overdue), _case_link(case.pk))
        for case in rows
    ]
    return sorted(lines, key=lambda line: (not line.overdue, line.due, line.case.pk))


def send_case_digest(person: User, day: date, *, now: datetime) -> int:
    """Claims and sends one person's digest of ``day``; 1 if it went out."""
    lines = owner_cases(person, now)
    if not lines:
        return 0
    overdue = sum(line.overdue for line in lines)
    try:
        with transaction.atomic():
            claim = DigestSent.objects.create(
                user=person,
                day=day,
                open_cases=len(lines),
                overdue_cases=overdue,
                status=SENDING,
            )
    except IntegrityError:
        return 0  # another run has it
    try:
        with translation.override(language_of(person)), timezone.override(local_zone()):
            subject, text, html = render_case_digest(person, day, lines)
        send_email(
            to=person.email,
            subject=subject,
            text=text,
            html=html,
            reference=f"case-digest-{claim.pk}",
        )
    except (PermanentFailure, TemporaryFailure) as exc:
        logger.warning("Case digest %s not sent: %s", claim.pk, exc)
        DigestSent.objects.filter(pk=claim.pk).update(status=FAILED)
        return 0
    except Exception:  # one person's digest must not stop the others'
        logger.exception("Case digest %s could not be built", claim.pk)
        DigestSent.objects.filter(pk=claim.pk).update(status=FAILED)
        return 0
    DigestSent.objects.filter(pk=claim.pk).update(status=SENT, sent_at=now)
    return 1


def render_case_digest(person: User, day: date, lines: list[DigestLine]) -> tuple[str, str, str]:
    """Subject, text and HTML of a person's digest, in the active language and zone."""
    overdue = [line for line in lines if line.overdue]
    context = {
        "user": person,
        "day": day,
        "open_count": len(lines),
        "overdue_count": len(overdue),
        "overdue": overdue[:LISTED],
        "on_time": [line for line in lines if not line.overdue][: max(LISTED - len(overdue), 0)],
        "more": max(len(lines) - LISTED, 0),
        "list_url": absolute(reverse("cases:list") + "?owner=mine"),
        "settings_url": absolute(reverse("cases:notifications_settings")),
    }
    subject = _("Your cases on %(day)s: %(open)s open, %(overdue)s overdue") % {
        "day": day.strftime("%d/%m/%Y"),
        "open": len(lines),
        "overdue": len(overdue),
    }
    text = render_to_string("cases/notifications_digest.txt", context)
    html = render_to_string("cases/notifications_digest.html", context)
    return subject, text, html


def _case_link(case_id: int) -> str:
    return absolute(reverse("cases:case", args=[case_id]))
