"""Sending one invitation or its reminder: claim, check, render, send, record the outcome.

**At most once.** Every send starts with one conditional UPDATE (queued → sending, only
once ``send_after`` has come), so a retried task, a duplicated enqueue or two workers never
send the same invitation twice. Every later transition is a conditional UPDATE from
"sending". A worker killed between the claim and the provider's answer leaves the invitation
in "sending"; ``recover_stale_sends`` marks it failed after SURVEY_STALE_SENDING_MINUTES
instead of sending it again, because the message may already have left.

**Checks at send time**, under a row lock on the customer so that two surveys for the same
customer are decided one after the other: consent for the channel and no opt-out from
surveys, an address, and contact fatigue (no other invitation of this customer sent within
``ContactPolicy.fatigue_days``; a case's follow-up survey is exempt from this last one).
``sent_at`` is set by the claim: it reserves the contact slot before the lock is taken, so
the check sees every concurrent send.

Reasons stored in ``failure_reason`` are short English technical strings, like those of
``vinculo.messaging``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from vinculo.customers.models import Customer, Identity
from vinculo.messaging import sms
from vinculo.messaging.email import send_email, unsubscribe_headers
from vinculo.messaging.outcomes import (
    PermanentFailure,
    SendFailure,
    SendOutcome,
    TemporaryFailure,
    short_reason,
)
from vinculo.messaging.sms_reports import DeliveryReport
from vinculo.surveys.choices import InvitationStatus, InviteChannel, SurveyStatus
from vinculo.surveys.models import ContactPolicy, Invitation
from vinculo.surveys.tokens import invitation_token

logger = logging.getLogger(__name__)

S = InvitationStatus
# Statuses that mean "this customer was contacted": they count against contact fatigue.
CONTACTED = [S.SENDING, S.SENT, S.DELIVERED, S.OPENED, S.STARTED, S.COMPLETED]
# Invitations whose customer has not started answering: they may get one reminder.
REMINDABLE = [S.SENT, S.DELIVERED, S.OPENED]
INTERRUPTED = "interrupted while sending; not resent to avoid a duplicate"
IDENTITY_KIND = {InviteChannel.EMAIL: "email", InviteChannel.SMS: "phone"}
NO_CONSENT = {InviteChannel.EMAIL: "no consent for e-mail", InviteChannel.SMS: "no consent for SMS"}
NO_ADDRESS = {InviteChannel.EMAIL: "no e-mail address", InviteChannel.SMS: "no phone number"}


@dataclass(frozen=True)
class Message:
    """One invitation or reminder, rendered in the invitation's language."""

    subject: str
    text: str
    html: str
    sms: str


def link(invitation: Invitation, suffix: str = "") -> str:
    """The absolute address of the invitation's personal page (or a page under it)."""
    return f"{settings.SITE_URL}/s/i/{invitation_token(invitation)}/{suffix}"


def render_message(invitation: Invitation, *, reminder: bool = False) -> Message:
    """The e-mail (subject, text, HTML with an open pixel) and the SMS text."""
    language = invitation.language
    version = invitation.survey.current_version
    titles = version.title if version is not None else {}
    context = {
        "title": titles.get(language) or invitation.survey.name,
        "name": invitation.customer.name,
        "unit": invitation.unit.name,
        "link": link(invitation),
        "unsubscribe_link": link(invitation, "unsubscribe/"),
        "pixel": link(invitation, "o.gif"),
        "expires_at": invitation.expires_at,
    }
    kind = "reminder" if reminder else "invitation"
    with translation.override(language):
        render = lambda part: render_to_string(f"surveys/messages/{kind}{part}", context)  # noqa: E731
        return Message(
            subject=" ".join(render("_subject.txt").split()),
            text=render(".txt"),
            html=render(".html"),
            sms=" ".join(render("_sms.txt").split()),
        )


def claim(invitation_id: int, now: datetime) -> bool:
    """Takes a due queued invitation for sending; False if it is not due or someone has it."""
    return bool(
        Invitation.objects.filter(pk=invitation_id, status=S.QUEUED, send_after__lte=now).update(
            status=S.SENDING, sent_at=now, updated_at=now
        )
    )


def send_invitation(invitation_id: int, *, now: datetime | None = None) -> str:
    """Sends one invitation if it is due and still queued; returns its status afterwards."""
    now = now or timezone.now()
    if not claim(invitation_id, now):
        return str(
            Invitation.objects.filter(pk=invitation_id).values_list("status", flat=True).first()
            or ""
        )
    invitation = Invitation.objects.select_related(
        "survey__current_version", "customer", "unit"
    ).get(pk=invitation_id)
    if not _passes_checks(invitation, now):
        return S.SUPPRESSED
    try:
        message = render_message(invitation)
    except Exception as exc:  # a broken template must not leave it "sending" for ever
        logger.exception("Cannot render invitation %s", invitation_id)
        return _finish(invitation, S.FAILED, now, reason=f"cannot render the message: {exc}")
    try:
        outcome = _deliver(invitation, message, reference=f"invitation-{invitation.pk}")
    except TemporaryFailure as failure:
        return _retry_later(invitation, failure, now)
    except PermanentFailure as failure:
        status = S.BOUNCED if failure.bounced else S.FAILED
        return _finish(invitation, status, now, reason=failure.reason)
    except Exception as exc:
        # Unknown: the message may have left, so it is not tried again.
        logger.exception("Sending invitation %s failed", invitation_id)
        return _finish(invitation, S.FAILED, now, reason=f"unexpected error: {exc}")
    return _record_sent(invitation, outcome, now)


def _passes_checks(invitation: Invitation, now: datetime) -> bool:
    """Consent, address and fatigue, decided under the customer's row lock."""
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=invitation.customer_id)
        reason = refusal(invitation, customer, now, fatigue=not is_service_follow_up(invitation))
        address = "" if reason else address_of(customer, invitation.channel)
        if not reason and not address:
            reason = NO_ADDRESS[InviteChannel(invitation.channel)]
        if reason:
            _finish(invitation, S.SUPPRESSED, now, reason=reason, count_attempt=False)
            return False
        Invitation.objects.filter(pk=invitation.pk, status=S.SENDING).update(address=address)
        invitation.address = address
        return True


def refusal(
    invitation: Invitation, customer: Customer, now: datetime, *, fatigue: bool = True
) -> str:
    """Why this invitation must not be sent now; empty if it may."""
    if invitation.survey.status != SurveyStatus.LIVE:
        return "survey closed"
    if invitation.expires_at <= now:
        return "link expired before it was sent"
    if customer.erased_at is not None:
        return "personal data erased"
    if customer.consents.get(invitation.channel) is not True:
        return NO_CONSENT[InviteChannel(invitation.channel)]
    if customer.consents.get("surveys") is False:
        return "opted out of surveys"
    return _contacted_recently(invitation, now) if fatigue else ""


def is_service_follow_up(invitation: Invitation) -> bool:
    """A case's follow-up survey (``cases.FollowUp``, "Did we solve your problem?"): the
    customer has just been in touch about their case, so contact fatigue does not hold it
    back; consent, opt-out and the address still do. Only single invitations can be one."""
    if invitation.distribution_id is not None or invitation.trigger_id is not None:
        return False
    return Invitation.objects.filter(pk=invitation.pk, case_follow_up__isnull=False).exists()


def _contacted_recently(invitation: Invitation, now: datetime) -> str:
    days = ContactPolicy.objects.filter(pk=1).values_list("fatigue_days", flat=True).first()
    if not days:
        return ""
    last = (
        Invitation.objects.filter(
            customer_id=invitation.customer_id,
            status__in=CONTACTED,
            sent_at__gt=now - timedelta(days=days),
        )
        .exclude(pk=invitation.pk)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    if last is None:
        return ""
    ago = max((now - last).days, 0)
    return f"invited {ago} days ago (limit {days})"


def address_of(customer: Customer, channel: str) -> str:
    """The customer's most recently added e-mail or phone, the one to write to."""
    value = (
        Identity.objects.filter(customer=customer, kind=IDENTITY_KIND[InviteChannel(channel)])
        .order_by("-created_at", "-id")
        .values_list("value", flat=True)
        .first()
    )
    return value or ""


def _deliver(invitation: Invitation, message: Message, *, reference: str) -> SendOutcome:
    if invitation.channel == InviteChannel.SMS:
        try:
            provider = sms.provider_from_settings()
        except sms.SmsNotConfigured as exc:
            # Nothing left: retrying once an administrator fixed the settings is safe.
            raise TemporaryFailure(str(exc)) from exc
        return provider.send(to=invitation.address, body=message.sms, reference=reference)
    return send_email(
        to=invitation.address,
        subject=message.subject,
        text=message.text,
        html=message.html,
        headers=unsubscribe_headers(link(invitation, "unsubscribe/")),
        reference=reference,
    )


def _record_sent(invitation: Invitation, outcome: SendOutcome, now: datetime) -> str:
    status = S.DELIVERED if outcome.status == "delivered" else S.SENT
    fields = {
        "status": status,
        "provider_message_id": outcome.provider_message_id[:120],
        "attempts": F("attempts") + 1,
        "failure_reason": "",
        "delivered_at": now if status == S.DELIVERED else None,
        "updated_at": now,
    }
    updated = Invitation.objects.filter(pk=invitation.pk, status=S.SENDING).update(**fields)
    if not updated:
        # The stale sweep gave up on it while the provider was still answering: it did go.
        Invitation.objects.filter(
            pk=invitation.pk, status=S.FAILED, failure_reason=INTERRUPTED
        ).update(**fields)
    return status


def _retry_later(invitation: Invitation, failure: TemporaryFailure, now: datetime) -> str:
    attempts = invitation.attempts + 1
    if attempts >= settings.SURVEY_SEND_MAX_ATTEMPTS:
        return _finish(invitation, S.FAILED, now, reason=failure.reason)
    delay = backoff_seconds(attempts, retry_after=failure.retry_after)
    Invitation.objects.filter(pk=invitation.pk, status=S.SENDING).update(
        status=S.QUEUED,
        send_after=now + timedelta(seconds=delay),
        attempts=attempts,
        failure_reason=failure.reason,
        sent_at=None,
        updated_at=now,
    )
    return S.QUEUED


def backoff_seconds(attempts: int, *, retry_after: float | None = None) -> float:
    """Seconds to wait before try ``attempts + 1``: base * 2 ** (attempts - 1), capped, and
    at least the provider's Retry-After."""
    delay = min(
        settings.SURVEY_SEND_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0),
        settings.SURVEY_SEND_BACKOFF_MAX_SECONDS,
    )
    return max(delay, retry_after or 0)


def _finish(
    invitation: Invitation, status: str, now: datetime, *, reason: str, count_attempt: bool = True
) -> str:
    """Ends a send that did not reach the customer: suppressed, bounced or failed."""
    Invitation.objects.filter(pk=invitation.pk, status=S.SENDING).update(
        status=status,
        failure_reason=short_reason(reason),
        attempts=F("attempts") + int(count_attempt),
        sent_at=None,
        updated_at=now,
    )
    return status


def recover_stale_sends(*, now: datetime | None = None) -> int:
    """Invitations "sending" for too long lost their worker: failed, never sent again."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=settings.SURVEY_STALE_SENDING_MINUTES)
    return Invitation.objects.filter(status=S.SENDING, sent_at__lt=stale).update(
        status=S.FAILED, failure_reason=INTERRUPTED, updated_at=now
    )


# -- reminders ---------------------------------------------------------------------------


def due_reminders(now: datetime) -> list[int]:
    """Ids of invitations whose one reminder is due: sent, no answer started, not expired."""
    waiting = Invitation.objects.filter(
        status__in=REMINDABLE,
        reminders_sent=0,
        reminder_after_days__isnull=False,
        expires_at__gt=now,
    )
    # One range query per distinct delay (a handful): portable, and it uses sent_at directly.
    ids: list[int] = []
    delays = waiting.order_by().values_list("reminder_after_days", flat=True).distinct()
    for days in delays:
        if days is None:
            continue
        ids += waiting.filter(
            reminder_after_days=days, sent_at__lte=now - timedelta(days=days)
        ).values_list("pk", flat=True)
    return sorted(ids)


def send_reminder(invitation_id: int, *, now: datetime | None = None) -> bool:
    """Sends the invitation's one reminder if due; True if it went out.

    Claimed by moving ``reminders_sent`` from 0 to 1, so it is never sent twice, even when
    the send fails (at most one reminder). Consent and opt-out are checked again; fatigue
    is not: it is the same invitation.
    """
    now = now or timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation_id, reminders_sent=0, status__in=REMINDABLE, expires_at__gt=now
    ).update(reminders_sent=1, last_reminded_at=now, updated_at=now)
    if not claimed:
        return False
    invitation = Invitation.objects.select_related(
        "survey__current_version", "customer", "unit"
    ).get(pk=invitation_id)
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=invitation.customer_id)
        reason = refusal(invitation, customer, now, fatigue=False)
        invitation.address = invitation.address or address_of(customer, invitation.channel)
    if reason or not invitation.address:
        logger.info("Reminder of invitation %s not sent: %s", invitation_id, reason or "no address")
        return False
    try:
        message = render_message(invitation, reminder=True)
        _deliver(invitation, message, reference=f"invitation-{invitation.pk}-reminder")
    except SendFailure as failure:
        logger.warning("Reminder of invitation %s failed: %s", invitation_id, failure.reason)
        return False
    return True


# -- delivery reports --------------------------------------------------------------------


def record_delivery_report(*, report: DeliveryReport, now: datetime | None = None) -> bool:
    """Moves an SMS invitation forward on the provider's report; True if it changed.

    Never backwards: "delivered" and a failure only follow "sent", so a late or repeated
    report never hides a delivery, an open or an answer.
    """
    now = now or timezone.now()
    if not report.provider_message_id:
        return False
    sent = Invitation.objects.filter(provider_message_id=report.provider_message_id)
    if report.status == "delivered":
        changed = sent.filter(status=S.SENT).update(
            status=S.DELIVERED, delivered_at=now, updated_at=now
        )
    elif report.status == "failed":
        changed = sent.filter(status=S.SENT).update(
            status=S.BOUNCED if report.bounced else S.FAILED,
            failure_reason=short_reason(report.reason or "provider reported a failure"),
            updated_at=now,
        )
    else:
        changed = 0  # "queued" and "sent" only confirm what the send told us
    return bool(changed)
