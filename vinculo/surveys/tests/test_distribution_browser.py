"""End to end in Chromium: an analyst prepares an e-mail campaign (the audience is counted
as they choose it), sends it, and sees every invitation sent at the real SMTP server."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from vinculo.browser import login
from vinculo.surveys.models import Distribution
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.distribution_helpers import bulk_customers
from vinculo.test import PASSWORD, Org, People
from vinculo.testservers import SmtpServer


@pytest.mark.browser
def test_an_analyst_counts_the_audience_creates_and_sends_a_campaign(
    page: Page, live_server: LiveServer, org: Org, people: People, smtp_server: SmtpServer
) -> None:
    survey = published_survey(unit=org.bilbao)
    bulk_customers(3, unit=org.bilbao)
    bulk_customers(2, unit=org.sevilla, prefix="sur")
    broken: list[str] = []
    page.on("response", lambda r: broken.append(r.url) if r.status >= 400 else None)
    login(page, live_server.url, people.bruno.username, PASSWORD)

    page.goto(f"{live_server.url}/surveys/{survey.pk}/distribution/")
    expect(page.locator("#audience-count")).to_contain_text("5")
    page.select_option("#id_audience_unit", label="Bilbao Centro")
    expect(page.locator("#audience-count")).to_contain_text("3")
    page.fill("#id_name", "Clientes de Bilbao")
    page.check("input[name=channel][value=email]")
    page.locator("#campaign-form button[type=submit]").click()
    campaign = Distribution.objects.get()
    page.wait_for_url(f"**/surveys/distributions/{campaign.pk}/")
    page.locator("main form[action$='/send/'] button").click()

    expect(page.locator("a.card[href='?status=sent'] .figure")).to_have_text("3")
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [
        "cliente0@example.com",
        "cliente1@example.com",
        "cliente2@example.com",
    ]
    assert broken == []
