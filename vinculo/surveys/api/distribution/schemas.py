"""Request and response bodies of the distribution API, and what its handlers share."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.customers.choices import LifecycleStage, ValueTier
from vinculo.customers.schemas import IdentitiesIn
from vinculo.journeys.models import Touchpoint
from vinculo.lib.apiedge import ErrorOut, PageQuery, ValidationErrorOut, invalid, not_found
from vinculo.surveys.choices import DistributionStatus, InvitationStatus, InviteChannel
from vinculo.surveys.invitations import REFUSALS, DistributionRefused
from vinculo.surveys.models import Invitation, Survey, TriggerRule
from vinculo.surveys.queries import visible_surveys
from vinculo.surveys.sending import link


class RefusedOut(Schema):
    detail: str
    code: str


READ = {403: ErrorOut, 404: ErrorOut}
WRITE = {**READ, 409: RefusedOut, 422: ValidationErrorOut}


class AudienceIn(Schema):
    """Which customers a campaign invites; filters combine (AND). Empty: every customer."""

    unit: str | None = Field(None, description="Code of a unit: its customers and below.")
    segment: str | None = Field(None, max_length=60)
    lifecycle_stage: LifecycleStage | None = None
    value_tier: ValueTier | None = None
    plan: str | None = Field(None, max_length=80)
    language: str | None = Field(None, max_length=8)
    customer_ids: list[int] | None = Field(
        None, max_length=100_000, description="Exactly these customers (an empty list: none)."
    )


class DistributionIn(Schema):
    name: str = Field(min_length=1, max_length=150)
    channel: InviteChannel
    audience: AudienceIn | None = Field(None, description="Empty: every customer.")
    unit: str | None = Field(None, description="Where answers land; empty: the home unit.")
    touchpoint: int | None = None
    send_at: datetime | None = Field(None, description="Empty: when it is sent.")
    reminder_after_days: int | None = Field(None, ge=1, le=60)
    expires_after_days: int = Field(30, ge=1, le=365)


class DistributionPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    channel: InviteChannel | None = None
    audience: AudienceIn | None = None
    unit: str | None = None
    touchpoint: int | None = None
    send_at: datetime | None = None
    reminder_after_days: int | None = Field(None, ge=1, le=60)
    expires_after_days: int | None = Field(None, ge=1, le=365)


class DistributionOut(Schema):
    id: int
    survey_id: int
    name: str
    channel: InviteChannel
    status: DistributionStatus
    audience: dict[str, Any]
    unit: str | None
    touchpoint: int | None
    send_at: datetime | None
    reminder_after_days: int | None
    expires_after_days: int
    counts: dict[str, int] = Field(description="Invitations per status.")
    created_at: datetime


class InvitationOut(Schema):
    id: int
    survey_id: int
    distribution_id: int | None
    trigger_id: int | None
    customer_id: int
    channel: InviteChannel
    address: str
    unit: str
    language: str
    status: InvitationStatus
    failure_reason: str
    attempts: int
    reminders_sent: int
    send_after: datetime
    expires_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    opened_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None

    @staticmethod
    def resolve_unit(invitation: Invitation) -> str:
        return invitation.unit.code


class InvitationLinkOut(InvitationOut):
    link: str = Field(description="The customer's personal link; it works once.")

    @staticmethod
    def resolve_link(invitation: Invitation) -> str:
        return link(invitation)


class InvitationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[InvitationOut]


class InvitationQuery(PageQuery):
    status: InvitationStatus | None = None


class InviteIn(Schema):
    """One customer, by id or by identities they already have; invited right away."""

    customer_id: int | None = None
    identities: IdentitiesIn | None = None
    channel: InviteChannel
    unit: str | None = None
    touchpoint: int | None = None
    expires_after_days: int = Field(14, ge=1, le=365)
    reminder_after_days: int | None = Field(None, ge=1, le=60)


class TriggerRuleIn(Schema):
    name: str = Field(min_length=1, max_length=150)
    interaction_type: str = Field(description="Code of the interaction type, e.g. support.")
    interaction_channel: str | None = Field(None, description="Channel code; empty: any.")
    channel: InviteChannel
    delay_hours: int = Field(24, ge=0, le=24 * 90)
    max_age_hours: int = Field(72, ge=1, le=24 * 365)
    reminder_after_days: int | None = Field(None, ge=1, le=60)
    expires_after_days: int = Field(14, ge=1, le=365)


class TriggerRulePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    channel: InviteChannel | None = None
    delay_hours: int | None = Field(None, ge=0, le=24 * 90)
    max_age_hours: int | None = Field(None, ge=1, le=24 * 365)
    reminder_after_days: int | None = Field(None, ge=1, le=60)
    expires_after_days: int | None = Field(None, ge=1, le=365)
    active: bool | None = Field(None, description="false pauses the rule.")


class TriggerRuleOut(Schema):
    id: int
    survey_id: int
    name: str
    interaction_type: str
    interaction_channel: str | None
    channel: InviteChannel
    delay_hours: int
    max_age_hours: int
    reminder_after_days: int | None
    expires_after_days: int
    active: bool

    @staticmethod
    def resolve_interaction_type(rule: TriggerRule) -> str:
        return rule.interaction_type.code

    @staticmethod
    def resolve_interaction_channel(rule: TriggerRule) -> str | None:
        return rule.interaction_channel.code if rule.interaction_channel else None


class ContactPolicyIO(Schema):
    fatigue_days: int = Field(
        ge=0, le=365, description="Days between two invitations; 0: no limit."
    )


# Fields a patch may set to null; null elsewhere means "leave it as it is".
NULLABLE = {"send_at", "reminder_after_days", "unit", "touchpoint", "interaction_channel"}


def given(payload: Schema, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """The fields the client sent, without nulls where null means nothing."""
    sent = payload.model_dump(exclude_unset=True, exclude=exclude)
    return {key: value for key, value in sent.items() if value is not None or key in NULLABLE}


def survey_or_404(actor: Actor, survey_id: int) -> Survey:
    survey = visible_surveys(actor).filter(pk=survey_id).first()
    if survey is None:
        raise not_found()
    return survey


def refused(error: DistributionRefused) -> Status[dict[str, str]]:
    return Status(409, {"detail": str(REFUSALS.get(error.code, error.code)), "code": error.code})


def touchpoint_or_422(pk: int | None, loc: tuple[str, ...]) -> Touchpoint | None:
    if not pk:
        return None
    touchpoint = Touchpoint.objects.filter(pk=pk).first()
    if touchpoint is None:
        raise invalid(loc, "unknown_touchpoint", _("No touchpoint with this id."))
    return touchpoint
