"""Campaigns over the API: create, read, change, send, cancel, retry, and their invitations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import Perm
from vinculo.lib.apiedge import not_found, page, require, unit_in_scope
from vinculo.surveys import invitations as campaigns
from vinculo.surveys import queries
from vinculo.surveys.api.distribution.schemas import (
    READ,
    WRITE,
    AudienceIn,
    DistributionIn,
    DistributionOut,
    DistributionPatch,
    InvitationPage,
    InvitationQuery,
    given,
    refused,
    survey_or_404,
    touchpoint_or_422,
)
from vinculo.surveys.models import Distribution, Invitation

router = Router()


def _distribution(actor: Actor, distribution_id: int) -> Distribution:
    distribution = queries.visible_distributions(actor).filter(pk=distribution_id).first()
    if distribution is None:
        raise not_found()
    return distribution


def _audience(actor: Actor, audience: AudienceIn) -> dict[str, Any]:
    """The audience as stored: the unit by id, empty filters left out."""
    stored = audience.model_dump(exclude_none=True, exclude={"unit"})
    if audience.unit:
        stored["unit"] = unit_in_scope(actor, audience.unit, ("body", "audience", "unit")).pk
    return {key: value for key, value in stored.items() if value != ""}


def _fields(actor: Actor, payload: DistributionIn | DistributionPatch) -> dict[str, Any]:
    """The service's keyword arguments: units and touchpoints found, in the actor's scope."""
    fields = given(payload, exclude={"audience", "unit", "touchpoint"})
    if payload.audience is not None:
        fields["audience"] = _audience(actor, payload.audience)
    if "unit" in payload.model_fields_set:
        unit = payload.unit and unit_in_scope(actor, payload.unit, ("body", "unit"))
        fields["unit"] = unit or None
    if "touchpoint" in payload.model_fields_set:
        fields["touchpoint"] = touchpoint_or_422(payload.touchpoint, ("body", "touchpoint"))
    return fields


def _outs(distributions: list[Distribution]) -> list[dict[str, Any]]:
    """Campaigns with their counts and unit codes, in three queries whatever their number."""
    counts = queries.counts_by_distribution(distributions)
    unit_ids = {d.audience.get("unit") for d in distributions} - {None}
    codes = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "code"))
    outs = []
    for d in distributions:
        audience = dict(d.audience)
        if "unit" in audience:
            audience["unit"] = codes.get(audience["unit"])
        outs.append(
            {
                "id": d.pk,
                "survey_id": d.survey_id,
                "name": d.name,
                "channel": d.channel,
                "status": d.status,
                "audience": audience,
                "unit": d.unit.code if d.unit else None,
                "touchpoint": d.touchpoint_id,
                "send_at": d.send_at,
                "reminder_after_days": d.reminder_after_days,
                "expires_after_days": d.expires_after_days,
                "counts": counts[d.pk],
                "created_at": d.created_at,
            }
        )
    return outs


@router.post(
    "/{int:survey_id}/distributions",
    response={201: DistributionOut, **WRITE},
    url_name="distribution_create",
)
def create(request: HttpRequest, survey_id: int, payload: DistributionIn) -> Any:
    """A campaign in draft; send it with ``POST /surveys/distributions/{id}/send``."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    survey = survey_or_404(actor, survey_id)
    try:
        distribution = campaigns.create_distribution(
            actor=actor, survey=survey, **{"audience": {}, **_fields(actor, payload)}
        )
    except campaigns.DistributionRefused as error:
        return refused(error)
    return Status(201, _outs([_distribution(actor, distribution.pk)])[0])


@router.get(
    "/{int:survey_id}/distributions",
    response={200: list[DistributionOut], **READ},
    url_name="distributions",
)
def list_for_survey(request: HttpRequest, survey_id: int) -> list[dict[str, Any]]:
    actor = require(request, Perm.MANAGE_SURVEYS)
    survey = survey_or_404(actor, survey_id)
    return _outs(list(queries.visible_distributions(actor).filter(survey=survey)))


@router.get(
    "/distributions/{int:distribution_id}",
    response={200: DistributionOut, **READ},
    url_name="distribution",
)
def detail(request: HttpRequest, distribution_id: int) -> dict[str, Any]:
    actor = require(request, Perm.MANAGE_SURVEYS)
    return _outs([_distribution(actor, distribution_id)])[0]


@router.patch(
    "/distributions/{int:distribution_id}",
    response={200: DistributionOut, **WRITE},
    url_name="distribution_update",
)
def update(request: HttpRequest, distribution_id: int, payload: DistributionPatch) -> Any:
    """Changes a draft campaign (409 once it has started)."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    distribution = _distribution(actor, distribution_id)
    try:
        campaigns.update_distribution(
            actor=actor, distribution=distribution, **_fields(actor, payload)
        )
    except campaigns.DistributionRefused as error:
        return refused(error)
    return _outs([_distribution(actor, distribution_id)])[0]


@router.delete(
    "/distributions/{int:distribution_id}",
    response={204: None, **WRITE},
    url_name="distribution_delete",
)
def delete(request: HttpRequest, distribution_id: int) -> Any:
    """Deletes a draft campaign (409 once it has started)."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    try:
        campaigns.delete_distribution(distribution=_distribution(actor, distribution_id))
    except campaigns.DistributionRefused as error:
        return refused(error)
    return Status(204, None)


@router.post(
    "/distributions/{int:distribution_id}/send",
    response={202: DistributionOut, **WRITE},
    url_name="distribution_send",
)
def send(request: HttpRequest, distribution_id: int) -> Any:
    """Starts a draft campaign: now, or at its ``send_at``. Invitations are created and sent
    in the background; poll the campaign for its counts."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    try:
        campaigns.send_distribution(distribution=_distribution(actor, distribution_id))
    except campaigns.DistributionRefused as error:
        return refused(error)
    return Status(202, _outs([_distribution(actor, distribution_id)])[0])


@router.post(
    "/distributions/{int:distribution_id}/cancel",
    response={200: DistributionOut, **WRITE},
    url_name="distribution_cancel",
)
def cancel(request: HttpRequest, distribution_id: int) -> Any:
    """Stops a campaign: invitations not sent yet never will be."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    try:
        campaigns.cancel_distribution(distribution=_distribution(actor, distribution_id))
    except campaigns.DistributionRefused as error:
        return refused(error)
    return _outs([_distribution(actor, distribution_id)])[0]


@router.post(
    "/distributions/{int:distribution_id}/retry",
    response={200: DistributionOut, **READ},
    url_name="distribution_retry",
)
def retry(request: HttpRequest, distribution_id: int) -> dict[str, Any]:
    """Queues again the invitations that failed for a passing reason (they ran out of tries);
    bounced, suppressed and interrupted ones stay."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    distribution = _distribution(actor, distribution_id)
    campaigns.retry_failed(
        distribution=distribution, max_attempts=settings.SURVEY_SEND_MAX_ATTEMPTS
    )
    return _outs([_distribution(actor, distribution_id)])[0]


def _invitations(actor: Actor) -> QuerySet[Invitation]:
    return Invitation.objects.filter(queries.reachable(actor)).select_related("unit")


@router.get(
    "/distributions/{int:distribution_id}/invitations",
    response={200: InvitationPage, **READ},
    url_name="distribution_invitations",
)
def invitations(
    request: HttpRequest, distribution_id: int, query: Query[InvitationQuery]
) -> dict[str, Any]:
    """A campaign's invitations, newest first, optionally of one status."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    rows = _invitations(actor).filter(distribution=_distribution(actor, distribution_id))
    if query.status:
        rows = rows.filter(status=query.status)
    return page(rows.order_by("-pk"), query)
