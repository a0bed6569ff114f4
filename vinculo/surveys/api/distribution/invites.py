"""One invitation over the API: a CRM invites a known customer now and gets the link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.permissions import Perm
from vinculo.customers.queries import visible_customers
from vinculo.customers.schemas import identity_map
from vinculo.customers.services import IdentityConflict, find_by_identities
from vinculo.lib.apiedge import invalid, not_found, require, unit_in_scope
from vinculo.surveys import invitations as campaigns
from vinculo.surveys import queries
from vinculo.surveys.api.distribution.schemas import (
    READ,
    WRITE,
    InvitationLinkOut,
    InviteIn,
    survey_or_404,
    touchpoint_or_422,
)
from vinculo.surveys.models import Invitation

router = Router()


@router.post(
    "/{int:survey_id}/invitations",
    response={201: InvitationLinkOut, **WRITE},
    url_name="invitation_create",
)
def invite(request: HttpRequest, survey_id: int, payload: InviteIn) -> Any:
    """Invites one known customer now (by id or identities); returns the personal link.

    Consent, opt-out and contact fatigue are checked when it is sent, as for campaigns:
    read the invitation back for its status.
    """
    actor = require(request, Perm.MANAGE_SURVEYS)
    survey = survey_or_404(actor, survey_id)
    customer = _customer(actor, payload)
    unit = unit_in_scope(actor, payload.unit, ("body", "unit")) if payload.unit else None
    invitation = campaigns.invite_customer(
        survey=survey,
        customer=customer,
        channel=payload.channel,
        unit=unit,
        touchpoint=touchpoint_or_422(payload.touchpoint, ("body", "touchpoint")),
        expires_after_days=payload.expires_after_days,
        reminder_after_days=payload.reminder_after_days,
    )
    return Status(201, _invitation_out(invitation.pk))


def _customer(actor: Actor, payload: InviteIn) -> Any:
    customers = visible_customers(actor)
    if payload.customer_id is not None:
        customer = customers.filter(pk=payload.customer_id).first()
        loc: tuple[str, ...] = ("body", "customer_id")
    elif payload.identities:
        loc = ("body", "identities")
        try:
            found = find_by_identities(identity_map(payload.identities, loc))
        except IdentityConflict:
            raise invalid(
                loc, "identity_conflict", _("These identities belong to more than one customer.")
            ) from None
        customer = customers.filter(pk=found.pk).first() if found else None
    else:
        raise invalid(("body", "customer_id"), "missing", _("Give a customer id or identities."))
    if customer is None:
        raise invalid(
            loc, "unknown_customer", _("No customer with these details within your scope.")
        )
    return customer


def _invitation_out(invitation_id: int) -> Invitation:
    return Invitation.objects.select_related("unit").get(pk=invitation_id)


@router.get(
    "/invitations/{int:invitation_id}",
    response={200: InvitationLinkOut, **READ},
    url_name="invitation",
)
def invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    """One invitation, its status and personal link."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    if not Invitation.objects.filter(queries.reachable(actor)).filter(pk=invitation_id).exists():
        raise not_found()
    return _invitation_out(invitation_id)
