"""The alert rule pages: managers of cases build rules from rows of conditions; others
get 403."""

from __future__ import annotations

from typing import Any

import pytest

from vinculo.accounts.models import Department
from vinculo.cases.models import AlertRule
from vinculo.test import Org, People, client_for


def form(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Detractor en Norte",
        "event": "response",
        "action": "both",
        "priority": "high",
        "title": "{rule}: {unit}",
        "active": "on",
        "cond_0_field": "nps",
        "cond_0_op": "lte",
        "cond_0_value": "6",
        **changes,
    }


def test_an_analyst_creates_a_rule_from_rows_of_conditions(org: Org, people: People) -> None:
    bruno = client_for(people.bruno)

    response = bruno.post(
        "/cases/rules/new/",
        form(
            units=[org.norte.pk], cond_1_field="channel", cond_1_op="in", cond_1_value="web, store"
        ),
    )

    assert response.status_code == 302
    rule = AlertRule.objects.get()
    assert rule.conditions == [
        {"field": "nps", "op": "lte", "value": 6.0},
        {"field": "channel", "op": "in", "value": ["web", "store"]},
    ]
    assert list(rule.units.all()) == [org.norte]
    page = bruno.get("/cases/rules/").content.decode()
    assert "Detractor en Norte" in page


def test_a_bad_condition_is_shown_naming_its_row_and_field(org: Org, people: People) -> None:
    response = client_for(people.bruno).post(
        "/cases/rules/new/",
        form(cond_1_field="csat", cond_1_op="lte", cond_1_value="bajo"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "Condition 2 (csat)" in response.content.decode()
    assert not AlertRule.objects.exists()


def test_the_edit_page_shows_the_conditions_and_a_rule_can_be_switched_off(
    org: Org, people: People
) -> None:
    bruno = client_for(people.bruno)
    bruno.post("/cases/rules/new/", form())
    rule = AlertRule.objects.get()

    page = bruno.get(f"/cases/rules/{rule.pk}/").content.decode()
    bruno.post(f"/cases/rules/{rule.pk}/toggle/")

    assert 'value="nps"' in page
    rule.refresh_from_db()
    assert rule.active is False


@pytest.mark.parametrize("person", ["carmen", "elena", "fernando", "nadie"])
def test_people_who_do_not_manage_cases_get_403(org: Org, people: People, person: str) -> None:
    client = client_for(people.by_name(person))

    assert client.get("/cases/rules/").status_code == 403
    assert client.post("/cases/rules/new/", form()).status_code == 403
    assert not AlertRule.objects.exists()


def test_the_list_reads_rules_in_a_fixed_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    bruno = client_for(people.bruno)
    for n in range(5):
        bruno.post("/cases/rules/new/", form(name=f"Regla {n}", units=[org.norte.pk]))

    with django_assert_max_num_queries(8):
        assert bruno.get("/cases/rules/").status_code == 200


def test_the_edit_page_opens_with_the_rules_settings(org: Org, people: People) -> None:
    bruno = client_for(people.bruno)
    billing = Department.objects.get(code="billing")
    bruno.post(
        "/cases/rules/new/",
        form(units=[org.norte.pk], department=billing.pk, assignment="round_robin"),
    )
    rule = AlertRule.objects.get()

    shown = bruno.get(f"/cases/rules/{rule.pk}/").context["form"]

    assert shown["name"].value() == "Detractor en Norte"
    assert [int(pk) for pk in shown["units"].value()] == [org.norte.pk]
    assert (shown["action"].value(), shown["priority"].value()) == ("both", "high")
    assert int(shown["department"].value()) == billing.pk
    assert shown["assignment"].value() == "round_robin"


def test_saving_the_edit_page_unchanged_keeps_the_rule(org: Org, people: People) -> None:
    bruno = client_for(people.bruno)
    bruno.post("/cases/rules/new/", form(units=[org.norte.pk], assignment="least_loaded"))
    rule = AlertRule.objects.get()
    shown = bruno.get(f"/cases/rules/{rule.pk}/").context["form"]
    posted = {name: shown[name].value() for name in shown.fields}

    saved = bruno.post(
        f"/cases/rules/{rule.pk}/",
        {k: v for k, v in posted.items() if v not in (None, False, "")},
    )

    rule.refresh_from_db()
    assert saved.status_code == 302
    assert (rule.priority, rule.action, rule.assignment) == ("high", "both", "least_loaded")
    assert list(rule.units.all()) == [org.norte]


def test_the_list_shows_field_and_operator_labels_not_codes(org: Org, people: People) -> None:
    bruno = client_for(people.bruno)
    bruno.post("/cases/rules/new/", form(), HTTP_ACCEPT_LANGUAGE="en")

    page = bruno.get("/cases/rules/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "NPS (0-10) is at most 6" in page
