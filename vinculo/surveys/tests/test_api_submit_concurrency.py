"""50 systems (or one system retrying 50 times at once) send the same response together:
exactly one response is stored, and one customer, on a real database with real threads.

Each thread has its own database connection (Django's connections are per thread), so the
requests race inside the database the way gunicorn workers would.
"""

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from vinculo.accounts.services import create_api_key
from vinculo.customers.models import Customer
from vinculo.journeys.models import Interaction
from vinculo.surveys.models import Answer, Response
from vinculo.surveys.testing import published_survey
from vinculo.test import Org

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite's shared in-memory test database refuses concurrent writers "
        "('database table is locked'): the race is tested on PostgreSQL (DATABASE_URL)",
    ),
]
REQUESTS = 50


@pytest.mark.parametrize("customer", [{"identities": {"phone": "+34 600 99 88 77"}}, None])
def test_fifty_concurrent_posts_of_the_same_submission_store_one_response(
    org: Org, customer: dict[str, Any] | None
) -> None:
    survey = published_survey(unit=org.bilbao)
    _key, token = create_api_key(name="ivr", scopes=["responses.enter"], created_by=None)
    body = {
        "idempotency_key": "ivr-call-7781",
        "answers": {"nps": 3, "csat": 2, "mejora": "Que contesten antes"},
        "customer": customer,
        "collector": "phone",
    }
    start = threading.Barrier(REQUESTS, timeout=30)
    statuses: list[int] = []
    ids: list[Any] = []
    lock = threading.Lock()

    def post() -> None:
        client = Client(headers={"Authorization": f"Bearer {token}"})
        try:
            start.wait()
            answer = client.post(
                f"/api/v1/surveys/{survey.pk}/responses", body, content_type="application/json"
            )
            with lock:
                statuses.append(answer.status_code)
                ids.append(answer.json().get("id") if answer.status_code < 300 else None)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(statuses) == [200] * (REQUESTS - 1) + [201]
    response = Response.objects.get()
    assert set(ids) == {response.pk}
    assert Answer.objects.filter(response=response).count() == 3
    assert Customer.objects.count() == (1 if customer else 0)
    assert Interaction.objects.filter(record_kind="survey_response").count() == (
        1 if customer else 0
    )
