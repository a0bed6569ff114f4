"""Trigger rules and the contact policy over the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from vinculo.accounts.permissions import Perm
from vinculo.journeys.models import Channel, InteractionType
from vinculo.lib.apiedge import invalid, not_found, require
from vinculo.surveys import invitations as campaigns
from vinculo.surveys.api.distribution.schemas import (
    READ,
    WRITE,
    ContactPolicyIO,
    TriggerRuleIn,
    TriggerRuleOut,
    TriggerRulePatch,
    given,
    survey_or_404,
)
from vinculo.surveys.models import TriggerRule
from vinculo.surveys.triggers import create_trigger_rule, update_trigger_rule

router = Router()


@router.get(
    "/{int:survey_id}/triggers",
    response={200: list[TriggerRuleOut], **READ},
    url_name="trigger_rules",
)
def triggers(request: HttpRequest, survey_id: int) -> Any:
    actor = require(request, Perm.MANAGE_SURVEYS)
    survey = survey_or_404(actor, survey_id)
    return survey.triggers.select_related("interaction_type", "interaction_channel")


def _coded(model: Any, code: str, loc: tuple[str, ...]) -> Any:
    found = model.objects.filter(code=code).first()
    if found is None:
        raise invalid(loc, "unknown_code", _("No entry with this code in the catalogue."))
    return found


@router.post(
    "/{int:survey_id}/triggers",
    response={201: TriggerRuleOut, **WRITE},
    url_name="trigger_rule_create",
)
def create_trigger(request: HttpRequest, survey_id: int, payload: TriggerRuleIn) -> Any:
    """A rule inviting customers after interactions of a type (recorded from now on)."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    survey = survey_or_404(actor, survey_id)
    fields = payload.model_dump(exclude={"interaction_type", "interaction_channel"})
    channel = payload.interaction_channel
    rule = create_trigger_rule(
        survey=survey,
        interaction_type=_coded(
            InteractionType, payload.interaction_type, ("body", "interaction_type")
        ),
        interaction_channel=(
            _coded(Channel, channel, ("body", "interaction_channel")) if channel else None
        ),
        **fields,
    )
    return Status(201, rule)


def _rule(rule_id: int) -> TriggerRule:
    rule = (
        TriggerRule.objects.select_related("interaction_type", "interaction_channel")
        .filter(pk=rule_id)
        .first()
    )
    if rule is None:
        raise not_found()
    return rule


@router.get(
    "/triggers/{int:rule_id}", response={200: TriggerRuleOut, **READ}, url_name="trigger_rule"
)
def trigger(request: HttpRequest, rule_id: int) -> TriggerRule:
    require(request, Perm.MANAGE_SURVEYS)
    return _rule(rule_id)


@router.patch(
    "/triggers/{int:rule_id}",
    response={200: TriggerRuleOut, **WRITE},
    url_name="trigger_rule_update",
)
def update_trigger(request: HttpRequest, rule_id: int, payload: TriggerRulePatch) -> TriggerRule:
    """Changes a rule; ``active: false`` pauses it (reactivated, it reacts from then on)."""
    require(request, Perm.MANAGE_SURVEYS)
    update_trigger_rule(rule=_rule(rule_id), **given(payload))
    return _rule(rule_id)


@router.get("/contact-policy", response={200: ContactPolicyIO, **READ}, url_name="contact_policy")
def get_policy(request: HttpRequest) -> Any:
    require(request, Perm.MANAGE_SURVEYS)
    return campaigns.contact_policy()


@router.put(
    "/contact-policy", response={200: ContactPolicyIO, **WRITE}, url_name="contact_policy_update"
)
def put_policy(request: HttpRequest, payload: ContactPolicyIO) -> Any:
    """No customer is invited more than once in ``fatigue_days`` days, across surveys."""
    require(request, Perm.MANAGE_SURVEYS)
    return campaigns.set_contact_policy(fatigue_days=payload.fatigue_days)
