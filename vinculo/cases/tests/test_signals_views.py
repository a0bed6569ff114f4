"""The sales signal pages (/cases/signals/) and API (/api/v1/sales-signals): managers of
cases build rules and read the uplift; errors name the field; others get 403."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from vinculo.accounts.actors import SYSTEM, Actor, subtree_ids
from vinculo.accounts.choices import Role
from vinculo.accounts.models import Department
from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key, create_person
from vinculo.cases.models import Notification, SalesSignal, SalesSignalRule
from vinculo.cases.notifications import target_of
from vinculo.cases.signals_forms import SignalRuleForm
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


def rule_of(*units: Any, name: str = "Oro") -> SalesSignalRule:
    return save_signal_rule(
        actor=SYSTEM,
        data=SignalRuleData(
            name=name,
            source_department=Department.objects.get(code="customer_service"),
            target_department=Department.objects.get(code="sales"),
            units=list(units),
        ),
    )


def keyed(org: Org, people: People, unit: Any, *perms: Perm) -> Client:
    _key, token = create_api_key(
        name="llave", scopes=list(perms or [Perm.MANAGE_CASES]), created_by=people.alicia, unit=unit
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def seller(username: str, unit: Any = None, department: str = "sales") -> User:
    return create_person(
        username=username,
        password=None,
        role=Role.AGENT,
        unit=unit,
        department=Department.objects.get(code=department),
    )


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
    rule_of(org.bilbao)  # a Bilbao key reads only rules within Bilbao
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


def test_the_edit_page_opens_with_the_rules_settings(org: Org, people: People) -> None:
    bruno = client_for(people.bruno)
    bruno.post("/cases/signals/new/", form(units=[org.norte.pk], window_days="14"))
    rule = SalesSignalRule.objects.get()

    page = bruno.get(f"/cases/signals/{rule.pk}/edit/")

    shown = page.context["form"]
    assert shown["name"].value() == "Oro a ventas"
    assert [int(pk) for pk in shown["units"].value()] == [org.norte.pk]
    assert int(shown["window_days"].value()) == 14
    assert int(shown["holdout_percent"].value()) == 10
    assert 'value="Oro a ventas"' in page.content.decode()


def test_saving_the_edit_page_unchanged_keeps_the_rule(org: Org, people: People) -> None:
    bruno = client_for(people.bruno)
    bruno.post("/cases/signals/new/", form(units=[org.norte.pk], window_days="14"))
    rule = SalesSignalRule.objects.get()
    shown = bruno.get(f"/cases/signals/{rule.pk}/edit/").context["form"]
    posted = {name: shown[name].value() for name in shown.fields}
    posted = {k: v for k, v in posted.items() if v not in (None, False, "")}

    saved = bruno.post(f"/cases/signals/{rule.pk}/edit/", posted)

    rule.refresh_from_db()
    assert saved.status_code == 302
    assert (rule.window_days, list(rule.units.all())) == (14, [org.norte])


def test_a_unit_key_neither_sees_nor_changes_rules_beyond_its_units(
    org: Org, people: People
) -> None:
    company, sur = rule_of(name="Toda"), rule_of(org.sur, name="Sur")
    own = rule_of(org.bilbao, name="Bilbao")
    key = keyed(org, people, org.bilbao)

    put = body(units=["bilbao-centro"])

    listed = key.get(f"{API}/rules").json()
    codes = [
        [
            key.get(f"{API}/rules/{rule.pk}").status_code,
            key.put(f"{API}/rules/{rule.pk}", put, content_type="application/json").status_code,
            key.delete(f"{API}/rules/{rule.pk}").status_code,
            key.get(f"{API}/rules/{rule.pk}/report").status_code,
        ]
        for rule in (company, sur)
    ]

    assert [r["name"] for r in listed["items"]] == ["Bilbao"]
    assert codes == [[404, 404, 404, 404], [404, 404, 404, 404]]
    assert key.get(f"{API}/rules/{own.pk}").status_code == 200
    assert SalesSignalRule.objects.count() == 3
    company.refresh_from_db()
    assert company.name == "Toda" and not company.units.exists()


@pytest.mark.parametrize(("units", "field"), [([], "units"), (["sur"], "units[0]")])
def test_a_unit_key_saves_only_rules_within_its_units(
    org: Org, people: People, units: list[str], field: str
) -> None:
    key = keyed(org, people, org.norte)

    refused = key.post(f"{API}/rules", body(units=units), content_type="application/json")
    made = key.post(f"{API}/rules", body(units=["bilbao-centro"]), content_type="application/json")

    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["detail"]] == [field]
    assert made.status_code == 201


def test_the_form_of_an_actor_limited_to_units_refuses_a_company_wide_rule(
    org: Org, people: People
) -> None:
    norte = Actor(None, 1, None, frozenset({Perm.MANAGE_CASES}), subtree_ids(org.norte), "k")

    whole = SignalRuleForm(form(), actor=norte)
    own = SignalRuleForm(form(units=[org.bilbao.pk]), actor=norte)
    beyond = SignalRuleForm(form(units=[org.sur.pk]), actor=norte)

    assert not whole.is_valid() and "units" in whole.errors
    assert own.is_valid(), own.errors
    assert not beyond.is_valid() and "units" in beyond.errors


def test_a_suppressed_group_shows_n_but_not_its_sales(org: Org, people: People) -> None:
    signal = a_signal(org, org.bilbao, "Olga Oro")
    sale = add_interaction(signal.customer, org.bilbao, when="2026-03-02 10:00", kind="sale")
    SalesSignal.objects.filter(pk=signal.pk).update(sale=sale, sale_at=sale.occurred_at)
    alicia = client_for(people.alicia)

    found = alicia.get(f"{API}/rules/{signal.rule_id}/report").json()
    page = alicia.get(f"/cases/signals/{signal.rule_id}/").content.decode()

    assert found["notified"] == {
        "n": 1,
        "sales": None,
        "rate": None,
        "low": None,
        "high": None,
        "suppressed": True,
    }
    row = page.split('data-group="notified"')[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[1:3] == ["1", "—"]  # n, and no sales


def test_window_and_holdout_cannot_change_once_the_rule_has_signals(
    org: Org, people: People
) -> None:
    signal = a_signal(org, org.bilbao, "Olga Oro")
    alicia = client_for(people.alicia)
    current = alicia.get(f"{API}/rules/{signal.rule_id}").json()

    api = alicia.put(
        f"{API}/rules/{signal.rule_id}",
        {**current, "holdout_percent": 20},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = alicia.post(f"/cases/signals/{signal.rule_id}/edit/", form(window_days="60"))
    renamed = alicia.put(
        f"{API}/rules/{signal.rule_id}",
        {**current, "name": "Otro"},
        content_type="application/json",
    )

    assert api.status_code == 422
    assert [e["field"] for e in api.json()["detail"]] == ["holdout_percent"]
    assert "new rule" in api.json()["detail"][0]["msg"]
    assert "window_days" in page.context["form"].errors
    assert renamed.status_code == 200
    rule = SalesSignalRule.objects.get()
    assert (rule.name, rule.window_days, rule.holdout_percent) == ("Otro", 30, 10)


def test_the_signal_page_shows_the_context_to_the_people_told(org: Org, people: People) -> None:
    signal = a_signal(org, org.bilbao, "Olga Oro")
    norte = seller("ventas.norte", org.norte)

    with translation.override("en"):
        url = target_of(Notification(signal=signal))
    page = client_for(norte).get(url)

    html = page.content.decode()
    assert url == f"/cases/signals/s/{signal.pk}/"
    assert page.status_code == 200
    assert f'href="/customers/{signal.customer_id}/"' in html and "Olga Oro" in html
    assert "Bilbao Centro" in html and "Oro" in html
    assert client_for(people.alicia).get(url).status_code == 200


def test_the_signal_page_is_hidden_beyond_the_department_units_and_holdout(
    org: Org, people: People
) -> None:
    signal = a_signal(org, org.bilbao, "Olga Oro")
    held = a_signal(org, org.bilbao, "Hugo Holdout")
    SalesSignal.objects.filter(pk=held.pk).update(held_out=True)
    sur, billing = seller("ventas.sur", org.sur), seller("cobros", department="billing")
    norte = seller("ventas.norte", org.norte)

    assert client_for(sur).get(f"/cases/signals/s/{signal.pk}/").status_code == 404
    assert client_for(billing).get(f"/cases/signals/s/{signal.pk}/").status_code == 404
    assert client_for(norte).get(f"/cases/signals/s/{held.pk}/").status_code == 404
    assert client_for(people.alicia).get(f"/cases/signals/s/{held.pk}/").status_code == 200
    assert client_for(people.nadie).get(f"/cases/signals/s/{signal.pk}/").status_code == 403
