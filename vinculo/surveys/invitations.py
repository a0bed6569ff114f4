"""Creating invitations: campaigns (``Distribution``), single invitations, and the counts
the distribution pages and the API show.

Invitations are created ``queued``; ``sending.py`` decides at send time whether each one may
really go out (consent, address, contact fatigue), so the rules hold however long a
campaign waits. Creating is idempotent: the unique constraints
``invitation_once_per_distribution`` and ``invitation_once_per_trigger_event`` make a re-run
(a retried task, a worker restarted halfway) add nothing twice.

Triggered invitations are created by ``triggers.py``, with the same field rules
(``invitation_fields``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.journeys.models import Touchpoint
from vinculo.surveys.choices import DistributionStatus, InvitationStatus, SurveyStatus
from vinculo.surveys.models import ContactPolicy, Distribution, Invitation, Survey

# Customers read and invitations written per transaction: bounded memory and short write
# locks (SQLite has one writer) for audiences of any size.
CHUNK = 2000
# Profile fields an audience may filter on, besides "unit" (a subtree of home units) and
# "customer_ids" (an explicit list).
PROFILE_FILTERS = ("segment", "lifecycle_stage", "value_tier", "plan", "language")
EDITABLE = (
    "name",
    "channel",
    "audience",
    "unit",
    "touchpoint",
    "send_at",
    "reminder_after_days",
    "expires_after_days",
)


class DistributionRefused(Exception):
    """A change the campaign's state or the actor's scope does not allow; ``code`` says which."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# What each refusal tells the person (page) or client (API, with the code).
REFUSALS = {
    "not_a_draft": gettext_lazy("Only a draft campaign can be changed or started."),
    "survey_not_live": gettext_lazy("Publish the survey (or reopen it) before sending it."),
    "already_finished": gettext_lazy("This campaign has already finished."),
    "audience_outside_scope": gettext_lazy("Choose customers of one of your units."),
    "unit_outside_scope": gettext_lazy("Answers must land on one of your units."),
}


# -- audiences ---------------------------------------------------------------------------


def audience_customers(audience: Mapping[str, Any]) -> QuerySet[Customer]:
    """The live customers an audience selects (merged and erased customers never)."""
    customers = Customer.objects.filter(merged_into__isnull=True, erased_at__isnull=True)
    unit_id = audience.get("unit")
    if unit_id:
        unit = Unit.objects.filter(pk=unit_id).only("path").first()
        if unit is None:
            return customers.none()
        subtree = Unit.objects.filter(path__startswith=unit.path).values("id")
        customers = customers.filter(home_unit_id__in=subtree)
    for key in PROFILE_FILTERS:
        if audience.get(key):
            customers = customers.filter(**{key: audience[key]})
    if "customer_ids" in audience:
        # An explicit list, even empty, is the whole audience: never "everyone".
        customers = customers.filter(pk__in=list(audience["customer_ids"] or []))
    return customers


def audience_size(audience: Mapping[str, Any]) -> int:
    return audience_customers(audience).count()


def _check_scope(actor: Actor, audience: Mapping[str, Any], unit: Unit | None) -> None:
    """A unit-limited actor only reaches customers, and lands answers, in their subtree."""
    if actor.unit_ids is None:
        return
    if not audience.get("unit") or int(audience["unit"]) not in actor.unit_ids:
        raise DistributionRefused("audience_outside_scope")
    if unit is not None and unit.pk not in actor.unit_ids:
        raise DistributionRefused("unit_outside_scope")


# -- campaigns ---------------------------------------------------------------------------


@transaction.atomic
def create_distribution(
    *,
    actor: Actor,
    survey: Survey,
    name: str,
    channel: str,
    audience: Mapping[str, Any],
    unit: Unit | None = None,
    touchpoint: Touchpoint | None = None,
    send_at: datetime | None = None,
    reminder_after_days: int | None = None,
    expires_after_days: int = 30,
) -> Distribution:
    """A campaign in draft; ``send_distribution`` starts it."""
    _check_scope(actor, audience, unit)
    return Distribution.objects.create(
        survey=survey,
        name=name,
        channel=channel,
        audience=dict(audience),
        unit=unit,
        touchpoint=touchpoint,
        send_at=send_at,
        reminder_after_days=reminder_after_days,
        expires_after_days=expires_after_days,
        created_by_id=actor.user_id,
    )


@transaction.atomic
def update_distribution(*, actor: Actor, distribution: Distribution, **fields: Any) -> Distribution:
    """Changes a draft campaign; once started its invitations say what was sent."""
    locked = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if locked.status != DistributionStatus.DRAFT:
        raise DistributionRefused("not_a_draft")
    changes = {key: value for key, value in fields.items() if key in EDITABLE}
    _check_scope(
        actor,
        changes.get("audience", locked.audience),
        changes.get("unit", locked.unit),
    )
    for key, value in changes.items():
        setattr(locked, key, dict(value) if key == "audience" else value)
    locked.save(update_fields=[*changes, "updated_at"])
    return locked


@transaction.atomic
def delete_distribution(*, distribution: Distribution) -> None:
    """Deletes a draft campaign (nothing was sent from it)."""
    deleted, _rows = Distribution.objects.filter(
        pk=distribution.pk, status=DistributionStatus.DRAFT
    ).delete()
    if not deleted:
        raise DistributionRefused("not_a_draft")


@transaction.atomic
def send_distribution(*, distribution: Distribution, now: datetime | None = None) -> Distribution:
    """Starts a draft campaign: now, or at its ``send_at``.

    The invitations are created by ``send_distribution_task`` after this commits (at once,
    or by the scheduler once ``send_at`` comes), in chunks, so an audience of any size
    starts in one short transaction here.
    """
    from vinculo.surveys.tasks import send_distribution_task

    now = now or timezone.now()
    survey = Survey.objects.get(pk=distribution.survey_id)
    if survey.status != SurveyStatus.LIVE:
        raise DistributionRefused("survey_not_live")
    started = Distribution.objects.filter(
        pk=distribution.pk, status=DistributionStatus.DRAFT
    ).update(status=DistributionStatus.SCHEDULED, updated_at=now)
    if not started:
        raise DistributionRefused("not_a_draft")
    distribution.refresh_from_db()
    if distribution.send_at is None or distribution.send_at <= now:
        transaction.on_commit(lambda: send_distribution_task.enqueue(distribution.pk))
    return distribution


@transaction.atomic
def cancel_distribution(*, distribution: Distribution) -> int:
    """Stops a campaign: what was not sent yet never will be. Returns how many were stopped."""
    cancelled = Distribution.objects.filter(
        pk=distribution.pk,
        status__in=[
            DistributionStatus.DRAFT,
            DistributionStatus.SCHEDULED,
            DistributionStatus.SENDING,
        ],
    ).update(status=DistributionStatus.CANCELLED, updated_at=timezone.now())
    if not cancelled:
        raise DistributionRefused("already_finished")
    return Invitation.objects.filter(
        distribution_id=distribution.pk, status=InvitationStatus.QUEUED
    ).update(
        status=InvitationStatus.SUPPRESSED,
        failure_reason="campaign cancelled",
        updated_at=timezone.now(),
    )


def invitation_fields(
    *,
    survey: Survey,
    customer_language: str,
    unit_id: int,
    touchpoint_id: int | None,
    send_after: datetime,
    expires_after_days: int,
    reminder_after_days: int | None,
) -> dict[str, Any]:
    """The fields every new invitation gets, whatever created it."""
    offered = survey.languages or [survey.default_language]
    language = customer_language if customer_language in offered else survey.default_language
    return {
        "survey_id": survey.pk,
        "unit_id": unit_id,
        "touchpoint_id": touchpoint_id,
        "language": language,
        "send_after": send_after,
        "expires_at": send_after + timedelta(days=expires_after_days),
        "reminder_after_days": reminder_after_days,
        "status": InvitationStatus.QUEUED,
    }


def create_distribution_invitations(*, distribution_id: int, now: datetime | None = None) -> int:
    """Creates the queued invitations of a started campaign; returns how many are new.

    Reads the audience in id order, ``CHUNK`` customers per transaction, and inserts with
    ``ignore_conflicts``: running it again, or twice at once, creates nothing twice. Each
    chunk touches the campaign's ``updated_at``, which tells the scheduler the work is alive.
    """
    now = now or timezone.now()
    distribution = Distribution.objects.select_related("survey").get(pk=distribution_id)
    survey = distribution.survey
    send_after = max(distribution.send_at or now, now)
    touchpoint_id = distribution.touchpoint_id or survey.touchpoint_id
    customers = audience_customers(distribution.audience).order_by("pk")
    created, last_id = 0, 0
    while True:
        rows = list(
            customers.filter(pk__gt=last_id).values_list("pk", "language", "home_unit_id")[:CHUNK]
        )
        if not rows:
            return created
        last_id = rows[-1][0]
        with transaction.atomic():
            still_on = Distribution.objects.filter(
                pk=distribution_id, status=DistributionStatus.SCHEDULED
            ).update(updated_at=timezone.now())
            if not still_on:
                return created  # cancelled meanwhile
            existing = Invitation.objects.filter(
                distribution_id=distribution_id, customer_id__in=[row[0] for row in rows]
            ).count()
            Invitation.objects.bulk_create(
                [
                    Invitation(
                        distribution_id=distribution_id,
                        customer_id=customer_id,
                        channel=distribution.channel,
                        **invitation_fields(
                            survey=survey,
                            customer_language=language,
                            unit_id=distribution.unit_id or home_unit_id or survey.unit_id,
                            touchpoint_id=touchpoint_id,
                            send_after=send_after,
                            expires_after_days=distribution.expires_after_days,
                            reminder_after_days=distribution.reminder_after_days,
                        ),
                    )
                    for customer_id, language, home_unit_id in rows
                ],
                ignore_conflicts=True,
            )
            created += len(rows) - existing


def mark_sending(*, distribution_id: int) -> bool:
    """The campaign's invitations all exist: from now on the sender works through them."""
    return bool(
        Distribution.objects.filter(pk=distribution_id, status=DistributionStatus.SCHEDULED).update(
            status=DistributionStatus.SENDING, updated_at=timezone.now()
        )
    )


@transaction.atomic
def retry_failed(
    *, distribution: Distribution, max_attempts: int, now: datetime | None = None
) -> int:
    """Queues again the invitations that failed for a passing reason (they ran out of tries).

    Bounced, suppressed and interrupted ones stay as they are: an interrupted send may have
    reached the customer, and at most one message per invitation is the promise.
    """
    now = now or timezone.now()
    requeued = Invitation.objects.filter(
        distribution_id=distribution.pk,
        status=InvitationStatus.FAILED,
        attempts__gte=max_attempts,
        expires_at__gt=now,
    ).update(
        status=InvitationStatus.QUEUED,
        attempts=0,
        send_after=now,
        sent_at=None,
        updated_at=now,
    )
    if requeued:
        Distribution.objects.filter(pk=distribution.pk, status=DistributionStatus.DONE).update(
            status=DistributionStatus.SENDING, updated_at=now
        )
    return requeued


# -- single invitations ------------------------------------------------------------------


@transaction.atomic
def invite_customer(
    *,
    survey: Survey,
    customer: Customer,
    channel: str,
    unit: Unit | None = None,
    touchpoint: Touchpoint | None = None,
    expires_after_days: int = 14,
    reminder_after_days: int | None = None,
    now: datetime | None = None,
) -> Invitation:
    """One invitation sent right away, e.g. by a CRM when a ticket closes.

    The same checks as a campaign apply when it is sent (consent, address, fatigue).
    """
    from vinculo.surveys.tasks import send_invitation_task

    now = now or timezone.now()
    invitation = Invitation.objects.create(
        customer=customer,
        channel=channel,
        **invitation_fields(
            survey=survey,
            customer_language=customer.language,
            unit_id=(unit.pk if unit else None) or customer.home_unit_id or survey.unit_id,
            touchpoint_id=(touchpoint.pk if touchpoint else None) or survey.touchpoint_id,
            send_after=now,
            expires_after_days=expires_after_days,
            reminder_after_days=reminder_after_days,
        ),
    )
    transaction.on_commit(lambda: send_invitation_task.enqueue(invitation.pk))
    return invitation


# -- contact policy ----------------------------------------------------------------------


def contact_policy() -> ContactPolicy:
    policy, _created = ContactPolicy.objects.get_or_create(pk=1)
    return policy


@transaction.atomic
def set_contact_policy(*, fatigue_days: int) -> ContactPolicy:
    """Sets how many days must pass between two invitations of one customer (0: no limit)."""
    policy = ContactPolicy.objects.select_for_update().get_or_create(pk=1)[0]
    policy.fatigue_days = fatigue_days
    policy.save(update_fields=["fatigue_days", "updated_at"])
    return policy
