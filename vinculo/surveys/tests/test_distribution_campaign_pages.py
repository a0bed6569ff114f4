"""The campaign pages: a survey's sending page, the live audience count, a campaign's
invitations, and sending, cancelling, retrying and deleting from the page."""

from typing import Any

import pytest
from django.urls import reverse

from vinculo.surveys.choices import DistributionStatus, InvitationStatus
from vinculo.surveys.models import Distribution, Invitation, Survey
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.distribution_helpers import bulk_customers, start_campaign
from vinculo.test import Org, People, client_for
from vinculo.testservers import SmtpServer


@pytest.fixture
def survey(org: Org) -> Survey:
    return published_survey(unit=org.bilbao)


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("alicia", 200),
        ("bruno", 200),
        ("carmen", 403),
        ("elena", 403),
        ("fernando", 403),
        ("nadie", 403),
    ],
)
def test_only_people_who_manage_surveys_see_the_sending_pages(
    people: People, survey: Survey, person: str, status: int
) -> None:
    client = client_for(people.by_name(person))
    urls = [
        reverse("surveys:distribution", args=[survey.pk]),
        reverse("surveys:audience_count", args=[survey.pk]),
        reverse("surveys:triggers"),
        reverse("surveys:contact_policy"),
    ]

    assert [client.get(url).status_code for url in urls] == [status] * len(urls)


def test_creating_a_campaign_from_the_page_makes_a_draft_with_its_audience(
    org: Org, people: People, survey: Survey
) -> None:
    client = client_for(people.bruno)

    response = client.post(
        reverse("surveys:distribution", args=[survey.pk]),
        {
            "name": "Clientes empresa del norte",
            "channel": "email",
            "audience_unit": org.norte.pk,
            "segment": "empresa",
            "reminder_after_days": "3",
            "expires_after_days": "20",
        },
    )

    campaign = Distribution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:distribution_detail", args=[campaign.pk])
    assert campaign.status == DistributionStatus.DRAFT
    assert campaign.audience == {"unit": org.norte.pk, "segment": "empresa"}
    assert (campaign.reminder_after_days, campaign.expires_after_days) == (3, 20)
    assert campaign.created_by_id == people.bruno.pk


def test_a_bad_customer_list_is_refused_naming_the_value(people: People, survey: Survey) -> None:
    response = client_for(people.bruno).post(
        reverse("surveys:distribution", args=[survey.pk]),
        {"name": "x", "channel": "sms", "customer_ids": "12, 13, doce", "expires_after_days": "30"},
    )

    assert response.status_code == 400
    assert "doce" in response.content.decode()
    assert not Distribution.objects.exists()


def test_the_audience_count_follows_the_filters(org: Org, people: People, survey: Survey) -> None:
    norte_customers = bulk_customers(3, unit=org.bilbao)
    bulk_customers(2, unit=org.sevilla, prefix="sur")
    two = f"{norte_customers[0].pk}, {norte_customers[1].pk}"
    url = reverse("surveys:audience_count", args=[survey.pk])
    client = client_for(people.bruno)

    norte = client.get(url, {"audience_unit": org.norte.pk}).content.decode()
    everyone = client.get(url).content.decode()
    listed = client.get(url, {"customer_ids": two}).content.decode()

    assert "3 clientes" in norte  # the page speaks Spanish by default
    assert "5 clientes" in everyone
    assert "2 clientes" in listed


def test_a_campaigns_page_counts_and_lists_its_invitations_by_status(
    org: Org,
    people: People,
    survey: Survey,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    bulk_customers(60, unit=org.bilbao)
    bulk_customers(3, unit=org.bilbao, prefix="sinpermiso", consents={})
    campaign = start_campaign(
        django_capture_on_commit_callbacks, survey, audience={"unit": org.bilbao.pk}
    )
    client = client_for(people.bruno)
    url = reverse("surveys:distribution_detail", args=[campaign.pk])

    with django_assert_max_num_queries(12):
        page = client.get(url)
    suppressed = client.get(url, {"status": "suppressed"}).content.decode()
    second_page = client.get(url, {"page": 2}).content.decode()

    text = page.content.decode()
    assert page.status_code == 200
    assert "Página 1 de 2" in text or "Page 1 of 2" in text
    assert suppressed.count("sin consentimiento para e-mail") == 3
    assert "cliente59@example.com" not in suppressed
    assert "@example.com" in second_page
    with django_assert_max_num_queries(12):
        client.get(reverse("surveys:distribution", args=[survey.pk]))


def test_a_draft_is_sent_from_its_page_and_then_can_be_cancelled_no_more(
    org: Org,
    people: People,
    survey: Survey,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    bulk_customers(2, unit=org.bilbao)
    client = client_for(people.bruno)
    client.post(
        reverse("surveys:distribution", args=[survey.pk]),
        {
            "name": "c",
            "channel": "email",
            "audience_unit": org.bilbao.pk,
            "expires_after_days": "5",
        },
    )
    campaign = Distribution.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("surveys:distribution_send", args=[campaign.pk]), follow=True)
    cancel = client.post(reverse("surveys:distribution_cancel", args=[campaign.pk]), follow=True)

    assert sent.status_code == 200
    assert len(smtp_server.messages) == 2
    campaign.refresh_from_db()
    assert campaign.status == DistributionStatus.DONE
    assert cancel.status_code == 200
    assert (
        "already finished" in cancel.content.decode()
        or "ya ha terminado" in cancel.content.decode()
    )


def test_retry_failed_requeues_only_temporary_failures_from_the_page(
    org: Org, people: People, survey: Survey, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SURVEY_SEND_MAX_ATTEMPTS = 2
    customers = bulk_customers(2, unit=org.bilbao)
    campaign = start_campaign(
        django_capture_on_commit_callbacks, survey, audience={"unit": org.bilbao.pk}
    )
    Invitation.objects.filter(customer=customers[0]).update(
        status=InvitationStatus.FAILED, attempts=2, failure_reason="cannot reach SMTP server"
    )
    Invitation.objects.filter(customer=customers[1]).update(
        status=InvitationStatus.BOUNCED, attempts=1, failure_reason="550 unknown user"
    )

    client_for(people.bruno).post(reverse("surveys:distribution_retry", args=[campaign.pk]))

    statuses = dict(Invitation.objects.values_list("customer_id", "status"))
    assert statuses == {customers[0].pk: "queued", customers[1].pk: "bounced"}


def test_only_a_draft_can_be_edited_or_deleted(org: Org, people: People, survey: Survey) -> None:
    client = client_for(people.bruno)
    client.post(
        reverse("surveys:distribution", args=[survey.pk]),
        {"name": "c", "channel": "email", "expires_after_days": "5"},
    )
    campaign = Distribution.objects.get()

    edited = client.post(
        reverse("surveys:distribution_edit", args=[campaign.pk]),
        {"name": "Nuevo nombre", "channel": "sms", "plan": "fibra", "expires_after_days": "7"},
    )
    campaign.refresh_from_db()
    deleted = client.post(reverse("surveys:distribution_delete", args=[campaign.pk]))

    assert edited.status_code == 302
    assert (campaign.name, campaign.channel, campaign.audience) == (
        "Nuevo nombre",
        "sms",
        {"plan": "fibra"},
    )
    assert deleted["Location"] == reverse("surveys:distribution", args=[survey.pk])
    assert not Distribution.objects.exists()
