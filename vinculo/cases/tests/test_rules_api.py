"""/api/v1/alert-rules: create, read, replace, delete; conditions checked with errors
naming the condition; MANAGE_CASES needed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key
from vinculo.cases.models import AlertRule
from vinculo.cases.rules_services import RuleData, save_rule
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


def keyed(people: People, unit: Unit) -> Client:
    _key, token = create_api_key(
        name="norte", scopes=[Perm.MANAGE_CASES], created_by=people.alicia, unit=unit
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_unit_key_neither_sees_nor_changes_rules_beyond_its_units(
    org: Org, people: People
) -> None:
    detractor = [{"field": "nps", "op": "lte", "value": 6}]
    company = save_rule(actor=SYSTEM, data=RuleData("Toda", "response", detractor))
    sur = save_rule(actor=SYSTEM, data=RuleData("Sur", "response", detractor, units=[org.sur]))
    save_rule(actor=SYSTEM, data=RuleData("Bilbao", "response", detractor, units=[org.bilbao]))
    key = keyed(people, org.norte)

    listed = key.get(URL).json()
    codes = [
        [
            key.get(f"{URL}/{rule.pk}").status_code,
            key.put(f"{URL}/{rule.pk}", body(), content_type="application/json").status_code,
            key.delete(f"{URL}/{rule.pk}").status_code,
        ]
        for rule in (company, sur)
    ]

    assert [r["name"] for r in listed["items"]] == ["Bilbao"]
    assert codes == [[404, 404, 404], [404, 404, 404]]
    assert AlertRule.objects.count() == 3
    company.refresh_from_db()
    assert company.name == "Toda" and not company.units.exists()


@pytest.mark.parametrize(("units", "field"), [([], "units"), (["sur"], "units[0]")])
def test_a_unit_key_saves_only_rules_within_its_units(
    org: Org, people: People, units: list[str], field: str
) -> None:
    key = keyed(people, org.norte)

    refused = key.post(URL, body(units=units), content_type="application/json")
    made = key.post(URL, body(units=["bilbao-centro"]), content_type="application/json")

    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["detail"]] == [field]
    assert made.status_code == 201
