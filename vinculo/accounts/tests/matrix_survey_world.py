"""The surveys part of the permission matrix's world, built through the real services.

One live survey (company-wide, with a draft open so that publishing has something to
publish) answered by Sofía in Sevilla and by Beatriz in Bilbao; a draft campaign for
Sevilla's customers; a started SMS campaign inviting both of them, Sofía's invitation
tried once (no SMS provider here: it waits in the queue with her phone as its address);
a trigger rule; and the signed tokens of a Sevilla tablet and a Sevilla QR code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.journeys.models import InteractionType
from vinculo.surveys import respondents, services
from vinculo.surveys.choices import Collector, InviteChannel
from vinculo.surveys.invitations import (
    create_distribution,
    create_distribution_invitations,
    send_distribution,
)
from vinculo.surveys.models import Invitation, Survey
from vinculo.surveys.sending import send_invitation
from vinculo.surveys.submission import Respondent, submit_all
from vinculo.surveys.testing import live_version, published_survey
from vinculo.surveys.tokens import invitation_token, unit_token
from vinculo.surveys.triggers import create_trigger_rule
from vinculo.test import Org

# Sofía's answer to the open question: it must never reach anyone who may not see her.
SOFIA_ANSWER = "SOFIA-RESPUESTA-1"


@dataclass
class SurveyWorld:
    survey_id: int
    slug: str
    response_id: int  # Sofía's, given in Sevilla
    bea_response_id: int  # Beatriz's, given in Bilbao
    draft_distribution_id: int  # a draft campaign for Sevilla's customers
    distribution_id: int  # a started SMS campaign: Sofía's and Beatriz's invitations
    invitation_id: int  # Sofía's, in that campaign
    invitation_token: str
    rule_id: int
    kiosk_token: str  # a tablet in Sevilla
    unit_token: str  # Sevilla's QR code


def _answered(survey: Survey, customer: Customer, unit: Unit, raw: dict[str, Any], key: str) -> int:
    respondent = Respondent(
        survey=survey,
        version=live_version(survey),
        unit=unit,
        collector=Collector.LINK,
        language="es",
        customer=customer,
    )
    return submit_all(respondent=respondent, idempotency_key=key, raw=raw).response.pk


def build_survey_world(org: Org, sofia: Customer, bea: Customer) -> SurveyWorld:
    survey = published_survey(unit=org.company)
    sofia_response = _answered(
        survey, sofia, org.sevilla, {"nps": 10, "csat": 5, "gusto": SOFIA_ANSWER}, "m-sofia"
    )
    bea_response = _answered(
        survey, bea, org.bilbao, {"nps": 6, "csat": 2, "mejora": "Las colas"}, "m-bea"
    )
    services.draft_of(survey)
    draft = create_distribution(
        actor=SYSTEM,
        survey=survey,
        name="Clientes de Sevilla",
        channel=InviteChannel.EMAIL,
        audience={"unit": org.sevilla.pk},
    )
    started = create_distribution(
        actor=SYSTEM,
        survey=survey,
        name="Sofía y Beatriz",
        channel=InviteChannel.SMS,
        audience={"customer_ids": [sofia.pk, bea.pk]},
    )
    # The task that send_distribution enqueues runs on commit, which never comes here.
    send_distribution(distribution=started)
    create_distribution_invitations(distribution_id=started.pk)
    invitation = Invitation.objects.get(distribution=started, customer=sofia)
    send_invitation(invitation.pk)
    rule = create_trigger_rule(
        survey=survey,
        name="Tras una reclamación",
        interaction_type=InteractionType.objects.get(code="complaint"),
        channel=InviteChannel.SMS,
    )
    return SurveyWorld(
        survey_id=survey.pk,
        slug=survey.slug,
        response_id=sofia_response,
        bea_response_id=bea_response,
        draft_distribution_id=draft.pk,
        distribution_id=started.pk,
        invitation_id=invitation.pk,
        invitation_token=invitation_token(invitation),
        rule_id=rule.pk,
        kiosk_token=respondents.kiosk_token(survey, org.sevilla),
        unit_token=unit_token(org.sevilla),
    )
