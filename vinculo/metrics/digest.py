"""The weekly digest: each unit manager gets, by e-mail, their units' figures of the last
week and the last 90 days, with n and intervals, and a link to the dashboard.

``send_due_digests`` runs on every scheduler tick and does something only once the
week's sending time has come (METRICS_DIGEST_WEEKDAY at METRICS_DIGEST_HOUR, local time).
Each person's digest of a week is one ``DigestDelivery`` row, created once (a unique
constraint) and claimed with a conditional UPDATE before the message is sent, so two
ticks or two workers never send it twice; a failed send is retried on later ticks, up to
METRICS_DIGEST_MAX_ATTEMPTS.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vinculo.accounts.actors import actor_for_user
from vinculo.accounts.choices import Role
from vinculo.messaging.email import send_email
from vinculo.messaging.outcomes import PermanentFailure, TemporaryFailure, short_reason
from vinculo.metrics import dashboard, links, queries
from vinculo.metrics.choices import DigestStatus
from vinculo.metrics.filters import RawFilter, resolve
from vinculo.metrics.league import league
from vinculo.metrics.models import DigestDelivery
from vinculo.metrics.periods import Period, week_start
from vinculo.metrics.rollups.deltas import report_zone

logger = logging.getLogger(__name__)
Status = DigestStatus
STALE_SENDING = timedelta(minutes=15)


def due_week(now: datetime) -> date | None:
    """The Monday of the week whose digest may go out at ``now``, or None before this
    week's sending time. The digest reports the week before the one it is sent in."""
    local = now.astimezone(report_zone())
    this_week = week_start(local.date())
    send_day = this_week + timedelta(days=settings.METRICS_DIGEST_WEEKDAY)
    send_from = datetime.combine(send_day, time(settings.METRICS_DIGEST_HOUR), report_zone())
    if local < send_from:
        return None
    return this_week - timedelta(days=7)


def recipients(week: date) -> list[User]:
    """Unit managers with an e-mail address and an active account who already had it when
    the reported week began (a newcomer's first digest is of their first whole week)."""
    began = datetime.combine(week, time.min, report_zone())
    return list(
        User.objects.filter(
            is_active=True,
            membership__role=Role.UNIT_MANAGER,
            membership__unit__isnull=False,
            date_joined__lt=began,
        )
        .exclude(email="")
        .select_related("membership__unit")
        .order_by("pk")
    )


def send_due_digests(*, now: datetime | None = None) -> int:
    """Queues this week's digests if their time has come, then sends what is waiting.
    Returns how many went out."""
    now = now or timezone.now()
    week = due_week(now)
    if week is None:
        return 0
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(user=user, week=week) for user in recipients(week)],
        ignore_conflicts=True,
    )
    _recover_stale(now)
    waiting = DigestDelivery.objects.filter(week=week).filter(
        Q(status=Status.QUEUED)
        | Q(status=Status.FAILED, attempts__lt=settings.METRICS_DIGEST_MAX_ATTEMPTS)
    )
    sent = 0
    for delivery_id in waiting.values_list("pk", flat=True):
        sent += send_digest(delivery_id, now=now)
    return sent


def _failed(delivery: DigestDelivery, reason: str) -> None:
    DigestDelivery.objects.filter(pk=delivery.pk).update(
        status=Status.FAILED,
        attempts=delivery.attempts + 1,
        failure_reason=short_reason(reason),
        updated_at=timezone.now(),
    )
    logger.warning("Digest %s not sent: %s", delivery.pk, reason)


def _recover_stale(now: datetime) -> None:
    """A digest "sending" for this long lost its worker: it counts as a failed attempt."""
    DigestDelivery.objects.filter(status=Status.SENDING, updated_at__lt=now - STALE_SENDING).update(
        status=Status.FAILED, attempts=F("attempts") + 1, failure_reason="worker lost"
    )


def _claim(delivery_id: int) -> bool:
    return bool(
        DigestDelivery.objects.filter(
            pk=delivery_id, status__in=[Status.QUEUED, Status.FAILED]
        ).update(status=Status.SENDING, updated_at=timezone.now())
    )


def send_digest(delivery_id: int, *, now: datetime) -> int:
    """Sends one claimed digest; 1 if it went out."""
    if not _claim(delivery_id):
        return 0  # sent, being sent, or given up on
    delivery = DigestDelivery.objects.select_related("user__membership__unit").get(pk=delivery_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            rendered = render_digest(delivery.user, delivery.week)
        if rendered is None:  # no answer at all in their units: no e-mail about nothing
            DigestDelivery.objects.filter(pk=delivery_id).update(status=Status.SKIPPED)
            return 0
        subject, text, html = rendered
        send_email(
            to=delivery.user.email,
            subject=subject,
            text=text,
            html=html,
            reference=f"digest-{delivery.pk}",
        )
    except (PermanentFailure, TemporaryFailure) as exc:
        _failed(delivery, str(exc))
        return 0
    except Exception as exc:  # one person's digest must not stop the others'
        logger.exception("Digest %s could not be built", delivery_id)
        _failed(delivery, f"{type(exc).__name__}: {exc}")
        return 0
    DigestDelivery.objects.filter(pk=delivery_id).update(
        status=Status.SENT, attempts=delivery.attempts + 1, sent_at=now, failure_reason=""
    )
    return 1


@dataclass(frozen=True)
class DigestPart:
    title: str
    board: dashboard.Dashboard
    url: str


def render_digest(user: User, week: date) -> tuple[str, str, str] | None:
    """Subject, text and HTML of a person's digest of the week starting on ``week``; None
    when their units had no answer in the last 90 days."""
    actor = actor_for_user(user)
    unit = user.membership.unit
    assert unit is not None
    last_week = Period(week, week + timedelta(days=6))
    quarter = Period(last_week.until - timedelta(days=89), last_week.until)
    parts = []
    for title, period in ((_("Last week"), last_week), (_("Last 90 days"), quarter)):
        raw = RawFilter(unit=unit.code, period="custom", since=period.since, until=period.until)
        f = resolve(actor, raw)
        # Only what the e-mail shows: the tiles and the league's ends.
        board = dashboard.Dashboard(
            filter=f,
            tiles=queries.tiles(actor, f),
            interval="",
            trend=[],
            units=[],
            league=league(f),
            by="",
            breakdown=[],
            comments=[],
        )
        parts.append(DigestPart(str(title), board, settings.SITE_URL + links.dashboard_url(f)))
    if not any(tile.figure.n for part in parts for tile in part.board.tiles):
        return None
    context = {
        "user": user,
        "unit": unit,
        "week": last_week,
        "parts": parts,
        "min_sample": parts[0].board.filter.min_sample,
        "dashboard_url": settings.SITE_URL + links.dashboard_url(parts[1].board.filter),
    }
    subject = _("Your customers last week: %(unit)s, %(since)s to %(until)s") % {
        "unit": unit.name,
        "since": last_week.since.strftime("%d/%m"),
        "until": last_week.until.strftime("%d/%m/%Y"),
    }
    text = render_to_string("metrics/digest.txt", context)
    html = render_to_string("metrics/digest.html", context)
    return subject, text, html
