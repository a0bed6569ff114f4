"""SMS delivery reports (/surveys/sms/status/<provider>/): signed by the provider, they move
an invitation forward to delivered, failed or bounced, and never backwards."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from vinculo.customers.services import create_customer
from vinculo.messaging.sms_reports import twilio_signature, webhook_signature
from vinculo.surveys.choices import InvitationStatus
from vinculo.surveys.invitations import invite_customer
from vinculo.surveys.models import Invitation
from vinculo.surveys.respondents import mark_opened
from vinculo.surveys.testing import published_survey
from vinculo.test import Org
from vinculo.testservers import HttpPeer

TOKEN = "shared-secret"
CALLBACK = "https://cx.example.com/surveys/sms/status/twilio/"


@pytest.fixture
def sent_sms(
    org: Org, http_peer: HttpPeer, settings: Any, django_capture_on_commit_callbacks: Any
) -> Invitation:
    settings.SMS_PROVIDER = "webhook"
    settings.SMS_URL = http_peer.url
    settings.SMS_TOKEN = TOKEN
    settings.SMS_STATUS_CALLBACK_URL = CALLBACK
    survey = published_survey(unit=org.bilbao)
    customer = create_customer(identities={"phone": "+34600111222"}, consents={"sms": True})
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_customer(survey=survey, customer=customer, channel="sms")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.provider_message_id) == ("sent", "msg-1")
    return invitation


def _webhook(report: dict[str, Any], *, token: str = TOKEN) -> Any:
    body = json.dumps(report).encode()
    return Client().post(
        reverse("surveys:sms_status", args=["webhook"]),
        body,
        content_type="application/json",
        headers={"X-Vinculo-Signature": webhook_signature(body, token)},
    )


def test_a_signed_delivered_report_marks_the_invitation_delivered(sent_sms: Invitation) -> None:
    response = _webhook({"id": "msg-1", "status": "delivered"})

    assert response.status_code == 204
    delivered = Invitation.objects.get(pk=sent_sms.pk)
    assert delivered.status == InvitationStatus.DELIVERED
    assert delivered.delivered_at is not None


def test_a_report_with_a_bad_signature_is_refused_and_changes_nothing(
    sent_sms: Invitation,
) -> None:
    forged = _webhook({"id": "msg-1", "status": "failed"}, token="guessed")
    unsigned = Client().post(
        reverse("surveys:sms_status", args=["webhook"]),
        {"id": "msg-1", "status": "failed"},
        content_type="application/json",
    )

    assert (forged.status_code, unsigned.status_code) == (403, 403)
    assert Invitation.objects.get(pk=sent_sms.pk).status == InvitationStatus.SENT


def test_a_failed_report_of_a_number_that_cannot_take_sms_bounces_with_the_reason(
    sent_sms: Invitation,
) -> None:
    _webhook({"id": "msg-1", "status": "failed", "reason": "unknown number", "bounced": True})

    bounced = Invitation.objects.get(pk=sent_sms.pk)
    assert (bounced.status, bounced.failure_reason) == (InvitationStatus.BOUNCED, "unknown number")


def test_the_status_never_moves_backwards(sent_sms: Invitation) -> None:
    mark_opened(invitation=sent_sms)

    _webhook({"id": "msg-1", "status": "delivered"})
    _webhook({"id": "msg-1", "status": "failed", "reason": "expired"})

    assert Invitation.objects.get(pk=sent_sms.pk).status == InvitationStatus.OPENED


def test_a_late_failure_never_undoes_a_delivery(sent_sms: Invitation) -> None:
    _webhook({"id": "msg-1", "status": "delivered"})
    _webhook({"id": "msg-1", "status": "undelivered", "reason": "carrier"})
    _webhook({"id": "msg-1", "status": "sent"})

    assert Invitation.objects.get(pk=sent_sms.pk).status == InvitationStatus.DELIVERED


def test_twilio_reports_are_checked_against_the_callback_url_signature(
    sent_sms: Invitation,
) -> None:
    params = {"MessageSid": "msg-1", "MessageStatus": "undelivered", "ErrorCode": "30003"}
    url = reverse("surveys:sms_status", args=["twilio"])

    forged = Client().post(url, params, headers={"X-Twilio-Signature": "nope"})
    signed = Client().post(
        url, params, headers={"X-Twilio-Signature": twilio_signature(CALLBACK, params, TOKEN)}
    )

    assert (forged.status_code, signed.status_code) == (403, 204)
    failed = Invitation.objects.get(pk=sent_sms.pk)
    assert failed.status == InvitationStatus.FAILED
    assert failed.failure_reason == "Twilio error 30003: unreachable destination handset"


def test_malformed_reports_and_unknown_providers_are_answered_plainly(
    sent_sms: Invitation,
) -> None:
    assert _webhook({"status": "delivered"}).status_code == 400
    unknown = Client().post(reverse("surveys:sms_status", args=["carrier-pigeon"]), {})
    assert unknown.status_code == 404
    assert Client().get(reverse("surveys:sms_status", args=["webhook"])).status_code == 405
