"""The distribution API: campaigns (create, read, change, send, cancel), their invitations,
single invitations with their personal link, trigger rules and the contact policy."""

from typing import Any

import pytest
from django.test import Client

from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_api_key
from vinculo.customers.services import create_customer
from vinculo.surveys.choices import InvitationStatus
from vinculo.surveys.models import ContactPolicy, Distribution, Invitation, Survey, TriggerRule
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.distribution_helpers import bulk_customers, token_in
from vinculo.surveys.tokens import invitation_from_token
from vinculo.test import Org, People, client_for
from vinculo.testservers import SmtpServer

URL = "/api/v1/surveys"


def key_client(scopes: list[str] | None = None, unit: Unit | None = None) -> Client:
    _key, token = create_api_key(
        name="crm", scopes=scopes or ["surveys.manage"], created_by=None, unit=unit
    )
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


@pytest.fixture
def survey(org: Org) -> Survey:
    return published_survey(unit=org.bilbao)


def test_a_campaign_is_created_read_and_sent_through_the_api(
    org: Org, survey: Survey, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    bulk_customers(4, unit=org.bilbao)
    bulk_customers(2, unit=org.sevilla, prefix="sur")
    client = key_client()

    created = post(
        client,
        f"{URL}/{survey.pk}/distributions",
        {
            "name": "Norte, marzo",
            "channel": "email",
            "audience": {"unit": "norte"},
            "reminder_after_days": 3,
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["audience"], body["unit"]) == ("draft", {"unit": "norte"}, None)
    with django_capture_on_commit_callbacks(execute=True):
        sent = post(client, f"{URL}/distributions/{body['id']}/send")
    detail = client.get(f"{URL}/distributions/{body['id']}").json()

    assert sent.status_code == 202
    assert detail["status"] == "done"
    assert detail["counts"]["sent"] == 4
    assert len(smtp_server.messages) == 4
    assert post(client, f"{URL}/distributions/{body['id']}/send").json()["code"] == "not_a_draft"


def test_invalid_campaigns_are_refused_naming_the_field(org: Org, survey: Survey) -> None:
    client = key_client()

    bad_unit = post(
        client,
        f"{URL}/{survey.pk}/distributions",
        {"name": "x", "channel": "email", "audience": {"unit": "atlantis"}},
    )
    bad_channel = post(client, f"{URL}/{survey.pk}/distributions", {"name": "x", "channel": "fax"})

    assert bad_unit.status_code == 422
    assert bad_unit.json()["detail"][0]["field"] == "audience.unit"
    assert bad_channel.status_code == 422
    assert bad_channel.json()["detail"][0]["field"] == "channel"
    assert not Distribution.objects.exists()


def test_a_draft_is_changed_and_deleted_and_a_started_one_is_not(org: Org, survey: Survey) -> None:
    client = key_client()
    draft = post(client, f"{URL}/{survey.pk}/distributions", {"name": "a", "channel": "sms"})
    url = f"{URL}/distributions/{draft.json()['id']}"

    changed = client.patch(
        url,
        {"name": "b", "audience": {"segment": "empresa"}, "send_at": "2030-01-01T09:00:00+01:00"},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["audience"]) == ("b", {"segment": "empresa"})
    assert post(client, f"{url}/send").json()["status"] == "scheduled"
    assert client.delete(url).status_code == 409
    assert post(client, f"{url}/cancel").json()["status"] == "cancelled"


def test_a_campaigns_invitations_are_listed_by_status_in_a_fixed_number_of_queries(
    org: Org,
    survey: Survey,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    bulk_customers(30, unit=org.bilbao)
    bulk_customers(5, unit=org.bilbao, prefix="no", consents={})
    client = key_client()
    campaign = post(
        client, f"{URL}/{survey.pk}/distributions", {"name": "c", "channel": "email"}
    ).json()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, f"{URL}/distributions/{campaign['id']}/send")

    with django_assert_max_num_queries(6):
        listed = client.get(f"{URL}/distributions/{campaign['id']}/invitations?limit=100")
    suppressed = client.get(
        f"{URL}/distributions/{campaign['id']}/invitations?status=suppressed"
    ).json()
    with django_assert_max_num_queries(6):
        campaigns = client.get(f"{URL}/{survey.pk}/distributions")

    assert listed.json()["count"] == 35
    assert {i["unit"] for i in listed.json()["items"]} == {"bilbao-centro"}
    assert suppressed["count"] == 5
    assert {i["failure_reason"] for i in suppressed["items"]} == {"no consent for e-mail"}
    assert campaigns.json()[0]["counts"]["suppressed"] == 5


def test_a_crm_invites_one_customer_and_gets_the_personal_link(
    org: Org, survey: Survey, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    customer = create_customer(
        identities={"email": "ana@example.com", "crm_id": "C-9"}, consents={"email": True}
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            key_client(),
            f"{URL}/{survey.pk}/invitations",
            {"identities": {"crm_id": "C-9"}, "channel": "email", "unit": "sevilla-nervion"},
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["customer_id"], body["unit"], body["status"]) == (
        customer.pk,
        "sevilla-nervion",
        "queued",
    )
    assert invitation_from_token(token_in(body["link"])).pk == body["id"]
    assert Invitation.objects.get().status == InvitationStatus.SENT  # sent after the commit
    assert [m.rcpt_tos for m in smtp_server.messages] == [["ana@example.com"]]
    read = key_client().get(f"{URL}/invitations/{body['id']}").json()
    assert (read["status"], read["link"]) == ("sent", body["link"])


def test_inviting_an_unknown_customer_or_nobody_is_refused(org: Org, survey: Survey) -> None:
    client = key_client()

    unknown = post(
        client,
        f"{URL}/{survey.pk}/invitations",
        {"identities": {"email": "nadie@example.com"}, "channel": "email"},
    )
    nobody = post(client, f"{URL}/{survey.pk}/invitations", {"channel": "email"})

    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "identities"
    assert nobody.json()["detail"][0]["field"] == "customer_id"
    assert not Invitation.objects.exists()


def test_a_unit_limited_key_reaches_only_its_units(
    org: Org, survey: Survey, django_capture_on_commit_callbacks: Any
) -> None:
    elsewhere = create_customer(
        identities={"email": "sur@example.com"}, home_unit_id=org.sevilla.pk
    )
    client = key_client(unit=org.norte)

    everyone = post(client, f"{URL}/{survey.pk}/distributions", {"name": "x", "channel": "email"})
    outside = post(
        client, f"{URL}/{survey.pk}/invitations", {"customer_id": elsewhere.pk, "channel": "email"}
    )
    own = post(
        client,
        f"{URL}/{survey.pk}/distributions",
        {"name": "x", "channel": "email", "audience": {"unit": "bilbao-centro"}},
    )

    assert (everyone.status_code, everyone.json()["code"]) == (409, "audience_outside_scope")
    assert outside.status_code == 422
    assert own.status_code == 201


def test_a_unit_limited_key_cannot_see_or_start_a_campaign_of_other_units(
    org: Org, survey: Survey
) -> None:
    head_office = key_client()
    company = post(
        head_office, f"{URL}/{survey.pk}/distributions", {"name": "Todos", "channel": "email"}
    )
    sur = post(
        head_office,
        f"{URL}/{survey.pk}/distributions",
        {"name": "Sur", "channel": "email", "audience": {"unit": "sur"}},
    )
    norte = key_client(unit=org.norte)

    listed = norte.get(f"{URL}/{survey.pk}/distributions").json()
    read = norte.get(f"{URL}/distributions/{company.json()['id']}")
    started = post(norte, f"{URL}/distributions/{sur.json()['id']}/send")
    deleted = norte.delete(f"{URL}/distributions/{company.json()['id']}")

    assert listed == []
    assert (read.status_code, started.status_code, deleted.status_code) == (404, 404, 404)
    assert set(Distribution.objects.values_list("status", flat=True)) == {"draft"}
    assert Distribution.objects.count() == 2


@pytest.mark.parametrize(
    ("person", "status"), [("alicia", 200), ("bruno", 200), ("carmen", 403), ("elena", 403)]
)
def test_only_people_and_keys_that_manage_surveys_use_the_api(
    people: People, survey: Survey, person: str, status: int
) -> None:
    client = client_for(people.by_name(person))

    assert client.get(f"{URL}/{survey.pk}/distributions").status_code == status
    assert client.get(f"{URL}/{survey.pk}/triggers").status_code == status
    assert key_client(["responses.view"]).get(f"{URL}/{survey.pk}/distributions").status_code == 403


def test_trigger_rules_are_created_paused_and_read(org: Org, survey: Survey) -> None:
    client = key_client()

    created = post(
        client,
        f"{URL}/{survey.pk}/triggers",
        {
            "name": "Tras soporte",
            "interaction_type": "support",
            "interaction_channel": "call_centre",
            "channel": "sms",
            "delay_hours": 4,
        },
    )
    assert created.status_code == 201, created.json()
    rule_url = f"{URL}/triggers/{created.json()['id']}"
    paused = client.patch(
        rule_url, {"active": False, "name": None}, content_type="application/json"
    )
    bad = post(
        client,
        f"{URL}/{survey.pk}/triggers",
        {"name": "x", "interaction_type": "teleportation", "channel": "sms"},
    )

    assert paused.json()["active"] is False
    assert paused.json()["name"] == "Tras soporte"
    assert client.get(rule_url).json()["interaction_channel"] == "call_centre"
    assert bad.json()["detail"][0]["field"] == "interaction_type"
    assert TriggerRule.objects.count() == 1


def test_the_contact_policy_is_read_and_changed(org: Org) -> None:
    client = key_client()

    before = client.get(f"{URL}/contact-policy")
    changed = client.put(
        f"{URL}/contact-policy", {"fatigue_days": 14}, content_type="application/json"
    )

    assert before.json() == {"fatigue_days": 30}
    assert changed.json() == {"fatigue_days": 14}
    assert ContactPolicy.objects.get(pk=1).fatigue_days == 14


def test_an_unknown_campaign_is_not_found_and_an_unknown_status_is_refused(
    org: Org, survey: Survey
) -> None:
    client = key_client()
    campaign = post(client, f"{URL}/{survey.pk}/distributions", {"name": "c", "channel": "email"})

    missing = client.get(f"{URL}/distributions/999999")
    bad_status = client.get(f"{URL}/distributions/{campaign.json()['id']}/invitations?status=lost")

    assert missing.status_code == 404
    assert bad_status.status_code == 422
    assert bad_status.json()["detail"][0]["field"] == "status"
