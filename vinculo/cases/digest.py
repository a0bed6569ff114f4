"""The daily digest: each person who owns open cases gets, by e-mail, how many they have
and which, the overdue first, with their due times and links.

``send_due_case_digests`` runs on every scheduler tick and does something only from
CASE_DIGEST_HOUR (local time, ``TIME_ZONE``) on. A person's digest of a day is claimed
by inserting their ``DigestSent`` row (unique per person and day) before the message is
written, so later ticks, or two workers at once, never send it twice. That row is the
claim, as in ``notify_mail``: a temporary failure puts it back to "" and a later tick of
the same day tries again after the backoff (up to ``MAX_ATTEMPTS``); a row left
``sending`` by a worker that died is taken again once its lease is over (same
Message-ID); a digest the server refused for good is ``failed`` and not tried again.
Digests carry numbers, units, statuses and due times, never a case's title.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Case as Cond
from django.db.models import QuerySet, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vinculo.cases.choices import OPEN
from vinculo.cases.listing import next_due, overdue_q
from vinculo.cases.models import Case, DigestSent
from vinculo.cases.notify import language_of
from vinculo.cases.notify_mail import (
    FAILED,
    MAX_ATTEMPTS,
    SENDING,
    SENT,
    absolute,
    claimable,
    local_zone,
    send_once,
)
from vinculo.messaging.outcomes import PermanentFailure, TemporaryFailure

logger = logging.getLogger(__name__)

# The most cases one e-mail lists; the counts are always whole.
LISTED = 50


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
    """Sends today's digests if their hour has come and they were not sent, and tries
    again those of today that failed for a while or whose worker died; returns how many
    went out."""
    now = now or timezone.now()
    day = due_day(now)
    if day is None:
        return 0
    sent = 0
    for claim in (
        DigestSent.objects.filter(day=day, status__in=["", SENDING])
        .select_related("user")
        .order_by("pk")
    ):
        if claimable(claim.status, claim.attempts, claim.claimed_at, now):
            sent += send_case_digest(claim.user, day, now=now)
    already = DigestSent.objects.filter(day=day).values_list("user_id", flat=True)
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
        .select_related("unit")
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
    claim = _claim(person, day, now, lines)
    if claim is None:
        return 0  # another run has it, or it is not due again yet
    try:
        with translation.override(language_of(person)), timezone.override(local_zone()):
            subject, text, html = render_case_digest(person, day, lines)
        send_once(
            to=person.email,
            subject=subject,
            text=text,
            html=html,
            reference=f"case-digest-{claim.pk}",
        )
    except TemporaryFailure as exc:
        logger.warning("Case digest %s not sent (attempt %s): %s", claim.pk, claim.attempts, exc)
        _finish(claim, FAILED if claim.attempts >= MAX_ATTEMPTS else "")
        return 0
    except PermanentFailure as exc:
        logger.warning("Case digest %s not sent: %s", claim.pk, exc)
        _finish(claim, FAILED)
        return 0
    except Exception:  # one person's digest must not stop the others'
        logger.exception("Case digest %s could not be built", claim.pk)
        _finish(claim, FAILED)
        return 0
    _finish(claim, SENT, now)
    return 1


def _claim(person: User, day: date, now: datetime, lines: list[DigestLine]) -> DigestSent | None:
    """The person's digest of ``day``, claimed for this run: a new row, or one that failed
    for a while or whose worker died (a conditional UPDATE on what was read); None if
    another run has it, it was sent, or it is not due again yet."""
    counts = {"open_cases": len(lines), "overdue_cases": sum(line.overdue for line in lines)}
    try:
        with transaction.atomic():
            return DigestSent.objects.create(
                user=person,
                day=day,
                status=SENDING,
                attempts=1,
                claimed_at=now,
                **counts,
            )
    except IntegrityError:
        pass
    row = DigestSent.objects.filter(user=person, day=day).first()
    if row is None or not claimable(row.status, row.attempts, row.claimed_at, now):
        return None
    if row.attempts >= MAX_ATTEMPTS:  # the last worker died with it: give up
        DigestSent.objects.filter(pk=row.pk, status=row.status, attempts=row.attempts).update(
            status=FAILED
        )
        return None
    claimed = DigestSent.objects.filter(pk=row.pk, status=row.status, attempts=row.attempts).update(
        status=SENDING, attempts=row.attempts + 1, claimed_at=now, **counts
    )
    if not claimed:
        return None
    row.refresh_from_db()
    return row


def _finish(claim: DigestSent, status: str, when: datetime | None = None) -> None:
    DigestSent.objects.filter(pk=claim.pk, status=SENDING).update(status=status, sent_at=when)


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
        "day": date_format(day, "SHORT_DATE_FORMAT"),
        "open": len(lines),
        "overdue": len(overdue),
    }
    text = render_to_string("cases/notifications_digest.txt", context)
    html = render_to_string("cases/notifications_digest.html", context)
    return subject, text, html


def _case_link(case_id: int) -> str:
    return absolute(reverse("cases:case", args=[case_id]))
