"""SMS invitations through a real local HTTP provider (the webhook gateway): provider ids,
retries with backoff on HTTP 500 and timeouts, "failed" after the last try, no duplicates."""

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from vinculo.customers.services import create_customer
from vinculo.surveys.choices import InvitationStatus
from vinculo.surveys.invitations import invite_customer
from vinculo.surveys.models import Invitation, Survey
from vinculo.surveys.sending import send_invitation
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.distribution_helpers import bulk_customers, start_campaign, token_in
from vinculo.surveys.tokens import invitation_from_token
from vinculo.test import Org
from vinculo.testservers import HttpPeer

PHONE = "+34600111222"


@pytest.fixture
def gateway(http_peer: HttpPeer, settings: Any) -> HttpPeer:
    settings.SMS_PROVIDER = "webhook"
    settings.SMS_URL = f"{http_peer.url}/sms"
    settings.SMS_TOKEN = "gateway-token"
    settings.SMS_TIMEOUT_SECONDS = 1
    settings.SURVEY_SEND_MAX_ATTEMPTS = 4
    settings.SURVEY_SEND_BACKOFF_SECONDS = 60
    settings.SURVEY_SEND_BACKOFF_MAX_SECONDS = 3600
    return http_peer


@pytest.fixture
def survey(org: Org) -> Survey:
    return published_survey(unit=org.bilbao)


def _invite(survey: Survey, capture: Any) -> Invitation:
    customer = create_customer(identities={"phone": PHONE}, consents={"sms": True})
    with capture(execute=True):
        invitation = invite_customer(survey=survey, customer=customer, channel="sms")
    invitation.refresh_from_db()
    return invitation


def _accepted_per_phone(peer: HttpPeer) -> Counter[str]:
    return Counter(r.json()["to"] for r in peer.requests)


def test_an_sms_invitation_is_sent_with_the_providers_id_and_a_personal_link(
    gateway: HttpPeer, survey: Survey, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = _invite(survey, django_capture_on_commit_callbacks)

    assert invitation.status == InvitationStatus.SENT
    assert invitation.provider_message_id == "msg-1"
    assert invitation.address == PHONE
    request = gateway.requests[0]
    assert request.headers["Authorization"] == "Bearer gateway-token"
    payload = request.json()
    assert (payload["to"], payload["reference"]) == (PHONE, f"invitation-{invitation.pk}")
    assert invitation_from_token(token_in(payload["body"])).pk == invitation.pk
    assert len(payload["body"]) <= 160


def test_an_http_500_is_retried_after_a_backoff_and_then_sent_once(
    gateway: HttpPeer, survey: Survey, django_capture_on_commit_callbacks: Any
) -> None:
    gateway.respond(500, {"error": "gateway overloaded"})
    invitation = _invite(survey, django_capture_on_commit_callbacks)
    assert invitation.status == InvitationStatus.QUEUED
    assert invitation.failure_reason == "HTTP 500 from provider: gateway overloaded"
    retry_at = invitation.send_after

    assert send_invitation(invitation.pk, now=retry_at - timedelta(seconds=1)) == "queued"
    assert len(gateway.requests) == 1
    assert send_invitation(invitation.pk, now=retry_at) == InvitationStatus.SENT

    sent = Invitation.objects.get(pk=invitation.pk)
    assert (sent.attempts, sent.provider_message_id, sent.failure_reason) == (2, "msg-2", "")
    assert {r.json()["reference"] for r in gateway.requests} == {f"invitation-{sent.pk}"}
    assert _accepted_per_phone(gateway) == {PHONE: 2}  # one 500, one accepted
    assert send_invitation(invitation.pk, now=retry_at + timedelta(days=1)) == "sent"
    assert len(gateway.requests) == 2


def test_a_timeout_is_retried_with_the_same_reference(
    gateway: HttpPeer, survey: Survey, django_capture_on_commit_callbacks: Any
) -> None:
    gateway.respond(200, {"id": "too-late"}, delay=2)
    invitation = _invite(survey, django_capture_on_commit_callbacks)
    assert invitation.status == InvitationStatus.QUEUED
    assert invitation.failure_reason == "timed out after 1 s"

    final = send_invitation(invitation.pk, now=invitation.send_after)

    assert final == InvitationStatus.SENT
    references = [r.json()["reference"] for r in gateway.requests]
    assert references == [f"invitation-{invitation.pk}"] * 2


def test_a_provider_failing_every_time_ends_failed_with_the_reason_after_the_last_try(
    gateway: HttpPeer, survey: Survey, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(5):
        gateway.respond(500, {"error": "down"})
    invitation = _invite(survey, django_capture_on_commit_callbacks)
    waits = []
    now = timezone.now()
    while (current := Invitation.objects.get(pk=invitation.pk)).status == "queued":
        waits.append(round((current.send_after - now).total_seconds()))
        now = current.send_after
        send_invitation(invitation.pk, now=now)

    failed = Invitation.objects.get(pk=invitation.pk)
    assert failed.status == InvitationStatus.FAILED
    assert failed.failure_reason == "HTTP 500 from provider: down"
    assert failed.attempts == 4
    assert len(gateway.requests) == 4
    assert waits[1:] == [120, 240]  # 60 s, then doubling (the first is measured from the test)
    assert send_invitation(invitation.pk, now=now + timedelta(days=1)) == "failed"
    assert len(gateway.requests) == 4


def test_the_providers_retry_after_is_respected(
    gateway: HttpPeer, survey: Survey, django_capture_on_commit_callbacks: Any
) -> None:
    gateway.respond(429, {"error": "slow down"}, headers={"Retry-After": "900"})
    before = timezone.now()

    invitation = _invite(survey, django_capture_on_commit_callbacks)

    assert invitation.send_after >= before + timedelta(seconds=900)


def test_an_sms_campaign_sends_one_message_per_phone(
    gateway: HttpPeer, org: Org, survey: Survey, django_capture_on_commit_callbacks: Any
) -> None:
    customers = bulk_customers(30, unit=org.bilbao, phones=True)
    no_consent = bulk_customers(2, unit=org.bilbao, phones=True, prefix="x", consents={})

    start_campaign(
        django_capture_on_commit_callbacks, survey, audience={"unit": org.bilbao.pk}, channel="sms"
    )

    assert len(gateway.requests) == len(customers)
    assert set(_accepted_per_phone(gateway).values()) == {1}
    skipped = Invitation.objects.filter(customer__in=no_consent)
    assert set(skipped.values_list("failure_reason", flat=True)) == {"no consent for SMS"}


def test_an_unconfigured_provider_keeps_the_invitation_queued_with_the_reason(
    settings: Any, survey: Survey, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SMS_PROVIDER = ""

    invitation = _invite(survey, django_capture_on_commit_callbacks)

    assert invitation.status == InvitationStatus.QUEUED
    assert "set SMS_PROVIDER" in invitation.failure_reason
