"""E-mail invitations at a real SMTP server: one message per customer, consent, opt-out,
contact fatigue across surveys, and SMTP errors."""

from collections import Counter
from datetime import timedelta
from typing import Any

from django.db.models import F
from django.test import Client
from django.utils import timezone

from vinculo.customers.services import create_customer
from vinculo.surveys.choices import DistributionStatus, InvitationStatus
from vinculo.surveys.invitations import create_distribution_invitations
from vinculo.surveys.models import Invitation
from vinculo.surveys.sending import send_invitation
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.distribution_helpers import bulk_customers, start_campaign, token_in
from vinculo.surveys.tokens import invitation_from_token
from vinculo.test import Org
from vinculo.testservers import SmtpServer


def _text(mail: Any) -> str:
    return str(mail.message.get_body(("plain",)).get_content())


def _html(mail: Any) -> str:
    return str(mail.message.get_body(("html",)).get_content())


def test_a_campaign_to_a_thousand_customers_sends_each_exactly_one_email_with_a_working_link(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    survey = published_survey(unit=org.bilbao)
    customers = bulk_customers(1000, unit=org.bilbao)
    addresses = {f"cliente{i}@example.com": c.pk for i, c in enumerate(customers)}

    distribution = start_campaign(
        django_capture_on_commit_callbacks, survey, audience={"unit": org.norte.pk}
    )

    received = Counter(rcpt for mail in smtp_server.messages for rcpt in mail.rcpt_tos)
    assert set(received) == set(addresses)
    assert set(received.values()) == {1}
    for mail in smtp_server.messages[:50]:
        invitation = invitation_from_token(token_in(_text(mail)))
        assert invitation.customer_id == addresses[mail.rcpt_tos[0]]
        assert invitation.distribution_id == distribution.pk
        assert f"/s/i/{token_in(_text(mail))}/unsubscribe/" in mail.message["List-Unsubscribe"]
        assert f"/s/i/{token_in(_text(mail))}/o.gif" in _html(mail)
    assert distribution.status == DistributionStatus.DONE
    statuses = Counter(distribution.invitations.values_list("status", flat=True))
    assert statuses == {InvitationStatus.SENT: 1000}
    page = Client().get(f"/s/i/{token_in(_text(smtp_server.messages[0]))}/")
    assert page.status_code == 200


def test_customers_without_email_consent_or_who_opted_out_get_nothing_and_say_why(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    survey = published_survey(unit=org.bilbao)
    yes = create_customer(identities={"email": "si@example.com"}, consents={"email": True})
    never_asked = create_customer(identities={"email": "nunca@example.com"})
    refused = create_customer(identities={"email": "no@example.com"}, consents={"email": False})
    opted_out = create_customer(
        identities={"email": "baja@example.com"}, consents={"email": True, "surveys": False}
    )
    no_address = create_customer(identities={"phone": "+34600111222"}, consents={"email": True})
    ids = [c.pk for c in (yes, never_asked, refused, opted_out, no_address)]

    start_campaign(django_capture_on_commit_callbacks, survey, audience={"customer_ids": ids})

    assert [mail.rcpt_tos for mail in smtp_server.messages] == [["si@example.com"]]
    outcome = dict(
        Invitation.objects.values_list("customer_id").values_list("customer_id", "failure_reason")
    )
    assert outcome == {
        yes.pk: "",
        never_asked.pk: "no consent for e-mail",
        refused.pk: "no consent for e-mail",
        opted_out.pk: "opted out of surveys",
        no_address.pk: "no e-mail address",
    }
    assert Invitation.objects.filter(status=InvitationStatus.SUPPRESSED).count() == 4


def test_the_fatigue_rule_holds_across_two_surveys(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    first = published_survey(unit=org.bilbao, slug="primera")
    second = published_survey(unit=org.bilbao, slug="segunda")
    customers = bulk_customers(20, unit=org.bilbao)
    audience = {"customer_ids": [c.pk for c in customers]}

    start_campaign(django_capture_on_commit_callbacks, first, audience=audience)
    assert len(smtp_server.messages) == 20
    blocked = start_campaign(django_capture_on_commit_callbacks, second, audience=audience)

    assert len(smtp_server.messages) == 20
    reasons = set(blocked.invitations.values_list("status", "failure_reason"))
    assert reasons == {(InvitationStatus.SUPPRESSED, "invited 0 days ago (limit 30)")}

    Invitation.objects.filter(survey=first).update(sent_at=F("sent_at") - timedelta(days=31))
    later = start_campaign(
        django_capture_on_commit_callbacks, second, audience=audience, name="Otra vez"
    )
    assert len(smtp_server.messages) == 40
    assert set(later.invitations.values_list("status", flat=True)) == {InvitationStatus.SENT}


def test_running_a_campaign_again_creates_and_sends_nothing_twice(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    survey = published_survey(unit=org.bilbao)
    customers = bulk_customers(5, unit=org.bilbao)
    distribution = start_campaign(
        django_capture_on_commit_callbacks, survey, audience={"unit": org.bilbao.pk}
    )

    created_again = create_distribution_invitations(distribution_id=distribution.pk)
    statuses = [send_invitation(c.pk) for c in distribution.invitations.all()]

    assert created_again == 0
    assert statuses == [InvitationStatus.SENT] * len(customers)
    assert len(smtp_server.messages) == 5


def test_a_refused_address_bounces_and_a_deferring_server_is_retried_then_fails(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SURVEY_SEND_MAX_ATTEMPTS = 3
    settings.SURVEY_SEND_BACKOFF_SECONDS = 60
    survey = published_survey(unit=org.bilbao)
    bounced, deferred = bulk_customers(2, unit=org.bilbao)
    smtp_server.refuse("cliente0@example.com")
    smtp_server.defer()

    start_campaign(django_capture_on_commit_callbacks, survey, audience={"unit": org.bilbao.pk})
    first = Invitation.objects.get(customer=deferred)
    assert first.status == InvitationStatus.QUEUED
    assert first.attempts == 1
    assert first.failure_reason.startswith("451")
    now = timezone.now()
    assert now + timedelta(seconds=50) < first.send_after <= now + timedelta(seconds=61)
    assert send_invitation(first.pk, now=now) == InvitationStatus.QUEUED  # not due yet
    assert send_invitation(first.pk, now=now + timedelta(seconds=61)) == InvitationStatus.QUEUED
    assert Invitation.objects.get(pk=first.pk).send_after >= now + timedelta(seconds=61 + 120)
    final = send_invitation(first.pk, now=now + timedelta(hours=1))

    assert final == InvitationStatus.FAILED
    failed = Invitation.objects.get(pk=first.pk)
    assert (failed.attempts, failed.failure_reason[:3]) == (3, "451")
    refused = Invitation.objects.get(customer=bounced)
    assert refused.status == InvitationStatus.BOUNCED
    assert refused.failure_reason.startswith("550")
    assert smtp_server.messages == []
