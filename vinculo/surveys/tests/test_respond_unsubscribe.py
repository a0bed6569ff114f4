"""Unsubscribe /s/i/<token>/unsubscribe/: confirm page, form POST, RFC 8058 one-click."""

from django.test import Client

from vinculo.customers.models import Customer
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.respond_helpers import hidden_fields, invitation_url, invite, text_of
from vinculo.test import Org, make_customer


def _consents(customer: Customer) -> dict[str, bool]:
    customer.refresh_from_db()
    return dict(customer.consents)


def test_the_link_asks_before_unsubscribing(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    invitation = invite(published_survey(unit=org.bilbao), ana, org.bilbao)

    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(invitation_url(invitation, "unsubscribe/"))

    assert page.status_code == 200
    assert '<form method="post">' in page.content.decode()
    assert "Sí, no quiero recibir más encuestas" in text_of(page)
    assert "surveys" not in _consents(ana)


def test_confirming_withdraws_the_consent_to_surveys_and_keeps_the_others(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    Customer.objects.filter(pk=ana.pk).update(consents={"email": True})
    invitation = invite(published_survey(unit=org.bilbao), ana, org.bilbao)
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    url = invitation_url(invitation, "unsubscribe/")

    confirm = client.get(url)
    done = client.post(url, hidden_fields(confirm))

    assert done.status_code == 200
    assert "No recibirás más encuestas" in text_of(done)
    assert _consents(ana) == {"email": True, "surveys": False}


def test_a_form_post_without_its_csrf_token_is_refused(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    invitation = invite(published_survey(unit=org.bilbao), ana, org.bilbao)
    client = Client(enforce_csrf_checks=True)

    refused = client.post(invitation_url(invitation, "unsubscribe/"), {"confirm": "1"})

    assert refused.status_code == 403
    assert "surveys" not in _consents(ana)


def test_a_mail_clients_one_click_post_unsubscribes_without_a_csrf_token(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    invitation = invite(published_survey(unit=org.bilbao), ana, org.bilbao)
    mail_client = Client(enforce_csrf_checks=True)

    done = mail_client.post(
        invitation_url(invitation, "unsubscribe/"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert done.status_code == 200
    assert _consents(ana) == {"surveys": False}


def test_one_click_also_works_after_the_invitation_expired(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    invitation = invite(published_survey(unit=org.bilbao), ana, org.bilbao, expires_in_days=-3)

    done = Client(enforce_csrf_checks=True).post(
        invitation_url(invitation, "unsubscribe/"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert done.status_code == 200
    assert _consents(ana) == {"surveys": False}


def test_a_tampered_unsubscribe_link_changes_nothing(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    invite(published_survey(unit=org.bilbao), ana, org.bilbao)

    refused = Client(enforce_csrf_checks=True).post(
        "/s/i/1:forged/unsubscribe/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert refused.status_code == 400
    assert "surveys" not in _consents(ana)
