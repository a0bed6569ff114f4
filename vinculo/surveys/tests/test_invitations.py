"""Creating invitations: audiences, the fields each invitation gets, scheduling, chunks,
idempotency, cancelling, retrying and the scope of unit-limited people."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from vinculo.accounts.actors import SYSTEM
from vinculo.customers.models import Customer
from vinculo.customers.services import create_customer, merge_customers
from vinculo.journeys.models import Channel, InteractionType
from vinculo.journeys.services import touchpoint_for
from vinculo.surveys import invitations as invitations_module
from vinculo.surveys.choices import DistributionStatus, InvitationStatus
from vinculo.surveys.invitations import (
    DistributionRefused,
    audience_customers,
    cancel_distribution,
    create_distribution,
    create_distribution_invitations,
    retry_failed,
    send_distribution,
    update_distribution,
)
from vinculo.surveys.models import Distribution, Invitation
from vinculo.surveys.scheduler import dispatch_due
from vinculo.surveys.sending import INTERRUPTED
from vinculo.surveys.services import set_status
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.distribution_helpers import bulk_customers, start_campaign
from vinculo.test import Org, People, actor_of
from vinculo.testservers import SmtpServer


def _names(customers: Any) -> set[str]:
    return set(customers.values_list("name", flat=True))


def test_an_audience_filters_on_the_unit_subtree_and_the_profile(org: Org) -> None:
    create_customer(identities={"email": "a@x.es"}, name="A", home_unit_id=org.bilbao.pk)
    create_customer(
        identities={"email": "b@x.es"},
        name="B",
        home_unit_id=org.santander.pk,
        segment="empresa",
        lifecycle_stage="at_risk",
        value_tier="top",
        plan="fibra",
        language="en",
    )
    create_customer(identities={"email": "c@x.es"}, name="C", home_unit_id=org.sevilla.pk)
    create_customer(identities={"email": "d@x.es"}, name="D")

    assert _names(audience_customers({"unit": org.norte.pk})) == {"A", "B"}
    assert _names(audience_customers({"unit": org.bilbao.pk})) == {"A"}
    assert _names(audience_customers({"segment": "empresa"})) == {"B"}
    assert _names(
        audience_customers(
            {"lifecycle_stage": "at_risk", "value_tier": "top", "plan": "fibra", "language": "en"}
        )
    ) == {"B"}
    assert _names(audience_customers({})) == {"A", "B", "C", "D"}


def test_an_explicit_list_is_the_whole_audience_and_merged_customers_are_left_out(
    org: Org, people: People
) -> None:
    a = create_customer(identities={"email": "a@x.es"}, name="A")
    b = create_customer(identities={"email": "b@x.es"}, name="B")
    merge_customers(survivor_id=a.pk, merged_id=b.pk, actor=actor_of(people.alicia))

    assert _names(audience_customers({"customer_ids": [a.pk, b.pk]})) == {"A"}
    assert _names(audience_customers({"customer_ids": []})) == set()


def test_each_invitation_gets_the_campaigns_unit_or_the_customers_and_a_language_of_the_survey(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    touchpoint = touchpoint_for(
        channel=Channel.objects.get(code="email"),
        interaction_type=InteractionType.objects.get(code="use"),
    )
    survey = published_survey(unit=org.company, languages=["es", "en"])
    french = create_customer(
        identities={"email": "f@x.es"}, language="fr", home_unit_id=org.sevilla.pk
    )
    english = create_customer(identities={"email": "e@x.es"}, language="en")

    start_campaign(
        django_capture_on_commit_callbacks,
        survey,
        audience={"customer_ids": [french.pk, english.pk]},
        touchpoint=touchpoint,
        expires_after_days=10,
    )
    by_customer = {i.customer_id: i for i in Invitation.objects.all()}
    assert (by_customer[french.pk].unit_id, by_customer[french.pk].language) == (
        org.sevilla.pk,
        "es",
    )
    assert (by_customer[english.pk].unit_id, by_customer[english.pk].language) == (
        org.company.pk,
        "en",
    )
    assert {i.touchpoint_id for i in by_customer.values()} == {touchpoint.pk}
    invitation = by_customer[english.pk]
    assert invitation.expires_at - invitation.send_after == timedelta(days=10)

    start_campaign(
        django_capture_on_commit_callbacks,
        survey,
        audience={"customer_ids": [english.pk]},
        unit=org.bilbao,
        name="Otra",
    )
    assert Invitation.objects.order_by("-pk").first().unit_id == org.bilbao.pk  # type: ignore[union-attr]


def test_a_large_audience_is_created_in_chunks_and_a_rerun_adds_nothing(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(invitations_module, "CHUNK", 7)
    survey = published_survey(unit=org.bilbao)
    bulk_customers(20, unit=org.bilbao)
    campaign = create_distribution(
        actor=SYSTEM, survey=survey, name="c", channel="email", audience={"unit": org.bilbao.pk}
    )
    Distribution.objects.filter(pk=campaign.pk).update(status=DistributionStatus.SCHEDULED)

    first = create_distribution_invitations(distribution_id=campaign.pk)
    again = create_distribution_invitations(distribution_id=campaign.pk)

    assert (first, again) == (20, 0)
    assert Invitation.objects.filter(distribution=campaign).count() == 20


def test_a_scheduled_campaign_waits_for_its_time_then_sends(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    survey = published_survey(unit=org.bilbao)
    bulk_customers(3, unit=org.bilbao)
    send_at = timezone.now() + timedelta(days=1)
    campaign = start_campaign(
        django_capture_on_commit_callbacks,
        survey,
        audience={"unit": org.bilbao.pk},
        send_at=send_at,
    )
    assert campaign.status == DistributionStatus.SCHEDULED
    assert not campaign.invitations.exists()

    early = dispatch_due(now=send_at - timedelta(minutes=1))
    assert early.campaigns_started == 0
    started = dispatch_due(now=send_at + timedelta(minutes=1))

    # The preparation task ran at once here (immediate backend); the same pass sent them.
    assert (started.campaigns_started, started.attempted) == (1, 3)
    assert set(campaign.invitations.values_list("send_after", flat=True)) == {send_at}
    campaign.refresh_from_db()
    assert campaign.status == DistributionStatus.DONE
    assert len(smtp_server.messages) == 3


def test_a_campaign_whose_preparation_stalled_is_started_again(
    org: Org, smtp_server: SmtpServer
) -> None:
    survey = published_survey(unit=org.bilbao)
    bulk_customers(4, unit=org.bilbao)
    campaign = create_distribution(
        actor=SYSTEM, survey=survey, name="c", channel="email", audience={"unit": org.bilbao.pk}
    )
    # Started, then the worker preparing it died before it did anything.
    Distribution.objects.filter(pk=campaign.pk).update(
        status=DistributionStatus.SCHEDULED, updated_at=timezone.now() - timedelta(minutes=5)
    )

    summary = dispatch_due()

    assert summary.campaigns_started == 1
    assert len(smtp_server.messages) == 4


def test_cancelling_stops_what_was_not_sent(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    survey = published_survey(unit=org.bilbao)
    bulk_customers(3, unit=org.bilbao)
    campaign = create_distribution(
        actor=SYSTEM, survey=survey, name="c", channel="email", audience={"unit": org.bilbao.pk}
    )
    Distribution.objects.filter(pk=campaign.pk).update(status=DistributionStatus.SCHEDULED)
    create_distribution_invitations(distribution_id=campaign.pk)

    stopped = cancel_distribution(distribution=campaign)

    assert stopped == 3
    assert set(campaign.invitations.values_list("status", "failure_reason")) == {
        (InvitationStatus.SUPPRESSED, "campaign cancelled")
    }
    with pytest.raises(DistributionRefused):
        cancel_distribution(distribution=campaign)


def test_only_a_draft_of_a_live_survey_can_be_sent_or_edited(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    campaign = create_distribution(
        actor=SYSTEM, survey=survey, name="c", channel="email", audience={}
    )
    set_status(survey=survey, status="closed")
    with pytest.raises(DistributionRefused) as closed:
        send_distribution(distribution=campaign)
    assert closed.value.code == "survey_not_live"

    set_status(survey=survey, status="live")
    send_distribution(distribution=campaign)
    with pytest.raises(DistributionRefused) as twice:
        send_distribution(distribution=campaign)
    with pytest.raises(DistributionRefused) as edit:
        update_distribution(actor=SYSTEM, distribution=campaign, name="x")
    assert (twice.value.code, edit.value.code) == ("not_a_draft", "not_a_draft")


def test_a_unit_limited_actor_can_only_reach_customers_of_their_units(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)
    carmen = actor_of(people.carmen)  # manages Norte

    for audience, unit in (
        ({}, None),
        ({"unit": org.sur.pk}, None),
        ({"unit": org.bilbao.pk}, org.sevilla),
    ):
        with pytest.raises(DistributionRefused):
            create_distribution(
                actor=carmen, survey=survey, name="c", channel="email", audience=audience, unit=unit
            )
    allowed = create_distribution(
        actor=carmen, survey=survey, name="c", channel="email", audience={"unit": org.bilbao.pk}
    )
    assert allowed.audience == {"unit": org.bilbao.pk}


def test_retrying_requeues_only_invitations_that_ran_out_of_tries(org: Org, settings: Any) -> None:
    settings.SURVEY_SEND_MAX_ATTEMPTS = 4
    survey = published_survey(unit=org.bilbao)
    customers: list[Customer] = bulk_customers(4, unit=org.bilbao)
    campaign = create_distribution(
        actor=SYSTEM, survey=survey, name="c", channel="email", audience={"unit": org.bilbao.pk}
    )
    Distribution.objects.filter(pk=campaign.pk).update(status=DistributionStatus.SCHEDULED)
    create_distribution_invitations(distribution_id=campaign.pk)
    Distribution.objects.filter(pk=campaign.pk).update(status=DistributionStatus.DONE)
    outcomes = [
        (InvitationStatus.FAILED, 4, "HTTP 500 from provider"),
        (InvitationStatus.FAILED, 1, INTERRUPTED),
        (InvitationStatus.BOUNCED, 1, "550 no such user"),
        (InvitationStatus.SUPPRESSED, 0, "no consent for e-mail"),
    ]
    for customer, (status, attempts, reason) in zip(customers, outcomes, strict=True):
        Invitation.objects.filter(customer=customer).update(
            status=status, attempts=attempts, failure_reason=reason
        )

    requeued = retry_failed(distribution=campaign, max_attempts=4)

    assert requeued == 1
    again = Invitation.objects.get(customer=customers[0])
    assert (again.status, again.attempts) == (InvitationStatus.QUEUED, 0)
    campaign.refresh_from_db()
    assert campaign.status == DistributionStatus.SENDING
