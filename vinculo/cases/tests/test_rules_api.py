"""/api/v1/alert-rules: create, read, replace, delete; conditions checked with errors
naming the condition; MANAGE_CASES needed."""

from __future__ import annotations

from typing import Any

import pytest

from vinculo.cases.models import AlertRule
from vinculo.test import Org, People, client_for

URL = "/api/v1/alert-rules"


def body(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Enfado",
        "event": "text",
        "conditions": [{"field": "emotion:anger", "op": "gte", "value": 0.5}],
        "units": ["norte"],
        "action": "notify",
        **changes,
    }


def test_a_rule_is_created_read_replaced_and_deleted(org: Org, people: People) -> None:
    alicia = client_for(people.alicia)

    created = alicia.post(URL, body(), content_type="application/json")
    rule_id = created.json()["id"]
    read = alicia.get(f"{URL}/{rule_id}").json()
    replaced = alicia.put(
        f"{URL}/{rule_id}", body(units=[], department="billing"), content_type="application/json"
    )
    listed = alicia.get(URL).json()
    deleted = alicia.delete(f"{URL}/{rule_id}")

    assert created.status_code == 201
    assert read["units"] == ["norte"] and read["conditions"][0]["value"] == 0.5
    assert replaced.json()["units"] == [] and replaced.json()["department"] == "billing"
    assert listed["count"] == 1
    assert deleted.status_code == 204
    assert not AlertRule.objects.exists()


def test_invalid_conditions_give_422_naming_the_condition(org: Org, people: People) -> None:
    conditions = [
        {"field": "emotion:anger", "op": "gte", "value": 0.5},
        {"field": "topic", "op": "has", "value": 999999},
    ]

    response = client_for(people.alicia).post(
        URL, body(conditions=conditions), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["field"] == "conditions"
    assert error["msg"].startswith("Condition 2 (topic):")


@pytest.mark.parametrize("person", ["carmen", "elena", "fernando", "nadie"])
def test_people_who_do_not_manage_cases_get_403(org: Org, people: People, person: str) -> None:
    client = client_for(people.by_name(person))

    assert client.get(URL).status_code == 403
    assert client.post(URL, body(), content_type="application/json").status_code == 403
