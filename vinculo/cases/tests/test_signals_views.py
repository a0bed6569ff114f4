"""The sales signal pages (/cases/signals/) and API (/api/v1/sales-signals): managers of
cases build rules and read the uplift; errors name the field; others get 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Department
from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key
from vinculo.cases.models import SalesSignal, SalesSignalRule
from vinculo.cases.signals_services import SignalRuleData, save_signal_rule
from vinculo.customers.models import Customer
from vinculo.test import Org, People, add_interaction, client_for, make_customer

API = "/api/v1/sales-signals"


def form(**changes: Any) -> dict[str, Any]:
    service = Department.objects.get(code="customer_service")
    sales = Department.objects.get(code="sales")
    return {
        "name": "Oro a ventas",
        "source_department": service.pk,
        "target_department": sales.pk,
        "window_days": "30",
        "holdout_percent": "10",
        "active": "on",
        "cond_0_field": "value_tier",
        "cond_0_op": "in",
        "cond_0_value": "high, top",
        **changes,
    }


def body(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Oro a ventas",
        "segment": [{"field": "value_tier", "op": "in", "value": ["high", "top"]}],
        "units": ["norte"],
        "source_department": "customer_service",
        "target_department": "sales",
        "window_days": 30,
        "holdout_percent": 10,
        **changes,
    }


def a_signal(org: Org, unit: Any, name: str) -> SalesSignal:
    rule = SalesSignalRule.objects.first() or save_signal_rule(
        actor=SYSTEM,
        data=SignalRuleData(
            name="Oro",
            source_department=Department.objects.get(code="customer_service"),
            target_department=Department.objects.get(code="sales"),
        ),
    )
    customer = make_customer(name)
    Customer.objects.filter(pk=customer.pk).update(value_tier="top")
    contact = add_interaction(customer, unit, when="2026-03-01 10:00", kind="complaint")
    return SalesSignal.objects.create(
        rule=rule,
        customer=customer,
        interaction=contact,
        unit=unit,
        created_at=contact.occurred_at,
    )


def test_an_analyst_creates_a_rule_and_sees_it_listed_and_prefilled(
    org: Org, people: People
) -> None:
    bruno = client_for(people.bruno)

    response = bruno.post("/cases/signals/new/", form(units=[org.norte.pk]))

    assert response.status_code == 302
    rule = SalesSignalRule.objects.get()
    assert rule.segment == [{"field": "value_tier", "op": "in", "value": ["high", "top"]}]
    assert list(rule.units.all()) == [org.norte]
    assert (rule.source_department.code, rule.target_department.code) == (
        "customer_service",
        "sales",
    )
    assert "Oro a ventas" in bruno.get("/cases/signals/").content.decode()
    edit = bruno.get(f"/cases/signals/{rule.pk}/edit/").content.decode()
    assert 'value="high, top"' in edit
    changed = bruno.post(f"/cases/signals/{rule.pk}/edit/", form(holdout_percent="20"))
    rule.refresh_from_db()
    assert changed.status_code == 302 and rule.holdout_percent == 20


def test_errors_on_the_page_name_the_row_and_the_field(org: Org, people: People) -> None:
    service = Department.objects.get(code="customer_service")
    bruno = client_for(people.bruno)

    bad_value = bruno.post(
        "/cases/signals/new/", form(cond_0_op="eq", cond_0_value="oro"), HTTP_ACCEPT_LANGUAGE="en"
    )
    same = bruno.post(
        "/cases/signals/new/", form(target_department=service.pk), HTTP_ACCEPT_LANGUAGE="en"
    )
    too_much = bruno.post("/cases/signals/new/", form(holdout_percent="80"))

    assert bad_value.status_code == 200
    assert "Condition 1 (value_tier)" in bad_value.content.decode()
    assert "target_department" in same.context["form"].errors
    assert "holdout_percent" in too_much.context["form"].errors
    assert not SalesSignalRule.objects.exists()


def test_the_report_shows_the_signals_and_the_uplift(org: Org, people: People) -> None:
    signal = a_signal(org, org.bilbao, "Olga Oro")

    page = client_for(people.alicia).get(f"/cases/signals/{signal.rule_id}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Olga Oro" in html and 'id="uplift"' in html and 'id="difference"' in html


@pytest.mark.parametrize("person", ["carmen", "elena", "fernando", "nadie"])
def test_people_who_do_not_manage_cases_get_403(org: Org, people: People, person: str) -> None:
    signal = a_signal(org, org.bilbao, "Olga Oro")
    client = client_for(people.by_name(person))

    assert client.get("/cases/signals/").status_code == 403
    assert client.post("/cases/signals/new/", form()).status_code == 403
    assert client.get(f"/cases/signals/{signal.rule_id}/").status_code == 403
    assert client.get(API).status_code == 403
    assert client.post(f"{API}/rules", body(), content_type="application/json").status_code == 403
    assert client.get(f"{API}/rules/{signal.rule_id}/report").status_code == 403
    assert SalesSignalRule.objects.count() == 1


def test_a_rule_is_created_read_replaced_and_deleted_through_the_api(
    org: Org, people: People
) -> None:
    alicia = client_for(people.alicia)

    created = alicia.post(f"{API}/rules", body(), content_type="application/json")
    rule_id = created.json()["id"]
    read = alicia.get(f"{API}/rules/{rule_id}").json()
    replaced = alicia.put(
        f"{API}/rules/{rule_id}",
        body(units=[], target_department="marketing", holdout_percent=0),
        content_type="application/json",
    )
    listed = alicia.get(f"{API}/rules").json()
    deleted = alicia.delete(f"{API}/rules/{rule_id}")

    assert created.status_code == 201
    assert read["units"] == ["norte"] and read["segment"][0]["value"] == ["high", "top"]
    assert replaced.json()["target_department"] == "marketing"
    assert replaced.json()["units"] == [] and replaced.json()["holdout_percent"] == 0
    assert listed["count"] == 1
    assert deleted.status_code == 204
    assert not SalesSignalRule.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"segment": [{"field": "nps", "op": "lte", "value": 6}]}, "segment"),
        ({"source_department": "nope"}, "source_department"),
        ({"target_department": "customer_service"}, "target_department"),
        ({"holdout_percent": 90}, "holdout_percent"),
        ({"units": ["no-such-unit"]}, "units[0]"),
    ],
)
def test_api_errors_name_the_field(
    org: Org, people: People, changes: dict[str, Any], field: str
) -> None:
    response = client_for(people.alicia).post(
        f"{API}/rules", body(**changes), content_type="application/json"
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == [field]
    assert not SalesSignalRule.objects.exists()


def test_the_signals_and_the_report_through_the_api_keep_to_the_callers_units(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    bilbao = a_signal(org, org.bilbao, "Olga Oro")
    a_signal(org, org.sevilla, "Sara Sevilla")
    _key, token = create_api_key(
        name="bilbao", scopes=[Perm.MANAGE_CASES], created_by=people.alicia, unit=org.bilbao
    )
    keyed = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    alicia = client_for(people.alicia)

    with django_assert_max_num_queries(8):
        everything = alicia.get(API).json()
    scoped = keyed.get(API, {"rule": bilbao.rule_id}).json()
    report = keyed.get(f"{API}/rules/{bilbao.rule_id}/report").json()

    assert everything["count"] == 2
    assert [s["customer_name"] for s in scoped["items"]] == ["Olga Oro"]
    assert scoped["items"][0]["unit"] == "bilbao-centro"
    assert scoped["items"][0]["contact_type"] == "complaint"
    assert report["rule"] == bilbao.rule_id and report["waiting"] + report["notified"]["n"] == 1
    assert report["difference"] is None and report["min_sample"] == 30


def test_the_rule_list_page_reads_in_a_fixed_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    bruno = client_for(people.bruno)
    for n in range(4):
        bruno.post("/cases/signals/new/", form(name=f"Regla {n}", units=[org.norte.pk]))

    with django_assert_max_num_queries(8):
        assert bruno.get("/cases/signals/").status_code == 200
