"""Imports over the API: file jobs and JSON batches of up to 10,000 rows."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key
from vinculo.customers.models import Customer
from vinculo.journeys.models import Interaction
from vinculo.test import Org, People, make_customer


def _client(people: People, scopes: list[str], unit: Any = None) -> Client:
    _key, token = create_api_key(name="crm", scopes=scopes, created_by=people.alicia, unit=unit)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


def _interaction(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "external_id": f"E{i}",
        "phone": "600112233",
        "occurred_at": "2026-03-01T10:00:00+01:00",
        "channel": "app",
        "interaction_type": "use",
        "unit": "norte",
        **extra,
    }


def test_a_batch_of_interactions_is_stored_once_however_often_it_is_sent(
    people: People,
) -> None:
    client = _client(people, [Perm.IMPORT_DATA])
    payload = {
        "source": "app",
        "rows": [_interaction(i, attributes={"screen": "home"}) for i in range(50)],
    }

    first = client.post("/api/v1/interactions/batch", payload, content_type="application/json")
    second = client.post("/api/v1/interactions/batch", payload, content_type="application/json")

    assert first.status_code == 200, first.content
    assert (first.json()["created"], second.json()["created"], second.json()["unchanged"]) == (
        50,
        0,
        50,
    )
    assert Interaction.objects.count() == 50
    assert Interaction.objects.first().attributes == {"screen": "home"}  # type: ignore[union-attr]
    assert Customer.objects.count() == 1


def test_a_batch_with_a_bad_item_names_its_index_and_field_and_stores_nothing(
    people: People,
) -> None:
    client = _client(people, [Perm.IMPORT_DATA])
    rows = [_interaction(0), _interaction(1, channel="pigeon"), _interaction(2)]

    response = client.post(
        "/api/v1/interactions/batch",
        {"source": "app", "rows": rows},
        content_type="application/json",
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["index"], error["column"], error["code"]) == (1, "channel", "unknown_code")
    assert "“pigeon” does not exist" in error["message"]
    assert Interaction.objects.count() == 0


def test_valid_rows_mode_keeps_the_good_items(people: People) -> None:
    client = _client(people, [Perm.IMPORT_DATA])
    rows = [_interaction(0), _interaction(1, unit="atlantis"), _interaction(2)]

    response = client.post(
        "/api/v1/interactions/batch",
        {"source": "app", "rows": rows, "mode": "valid_rows"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert (response.json()["created"], response.json()["rows_with_errors"]) == (2, 1)


def test_a_batch_over_ten_thousand_rows_is_refused_before_anything_is_read(
    people: People,
) -> None:
    client = _client(people, [Perm.IMPORT_DATA])
    rows = [_interaction(i) for i in range(10_001)]

    response = client.post(
        "/api/v1/interactions/batch",
        {"source": "app", "rows": rows},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "rows" in str(response.json())
    assert Interaction.objects.count() == 0


def test_a_batch_of_customers_upserts_by_identity(people: People) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    client = _client(people, [Perm.IMPORT_DATA])
    rows = [
        {"email": "ANA@example.com", "plan": "Fibra 1Gb", "consent_sms": True},
        {"customer_number": "CLI-9", "name": "Luis"},
    ]

    response = client.post(
        "/api/v1/customers/batch", {"source": "crm", "rows": rows}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["updated"]) == (1, 1)
    ana.refresh_from_db()
    assert (ana.plan, ana.consents) == ("Fibra 1Gb", {"sms": True})


def test_keys_without_the_scope_or_limited_to_a_unit_cannot_import(
    people: People, org: Org
) -> None:
    payload = {"source": "app", "rows": [_interaction(0)]}
    no_scope = _client(people, [Perm.VIEW_CUSTOMERS])
    unit_key = _client(people, [Perm.IMPORT_DATA], unit=org.norte)

    for client in (no_scope, unit_key):
        response = client.post(
            "/api/v1/interactions/batch", payload, content_type="application/json"
        )
        assert response.status_code == 403
    assert Interaction.objects.count() == 0


def test_a_file_uploaded_through_the_api_becomes_a_job_to_poll(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    make_customer("Ana", phone="+34600112233")
    client = _client(people, [Perm.IMPORT_DATA])
    csv = (
        b"external_id,phone,occurred_at,channel,interaction_type,unit\n"
        b"A,600112233,2026-03-01 10:00,web,use,norte\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/v1/imports",
            {"kind": "interactions", "source": "crm", "file": SimpleUploadedFile("a.csv", csv)},
        )

    assert started.status_code == 202, started.content
    job = client.get(f"/api/v1/imports/{started.json()['id']}").json()
    assert (job["status"], job["created"], job["rows_with_errors"]) == ("done", 1, 0)
