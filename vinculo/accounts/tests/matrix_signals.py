"""The matrix rows of service-to-sales signals: the pages under /cases/signals/ and
/api/v1/sales-signals.

Only people with MANAGE_CASES (Alicia, Bruno) get in; every other person gets 403. The
rule the rows read or change, and a signal of Sofía's in Sevilla (so the signal list is
checked for leaks: a key limited to Bilbao must not find her), are made on first use.
The rule is company-wide: the rows that name it are marked ``about_sofia``, so a key
limited to Bilbao must get 404 from each, reading, replacing or deleting it.

The signal's own page (``cases:signal``) needs VIEW_CASES and is for the people it was
told to (the sales department in Sevilla: nobody of the matrix but the managers of
cases); everyone else who views cases gets 404.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Department
from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix import A, Endpoint, World
from vinculo.accounts.tests.matrix_survey_api import op
from vinculo.accounts.tests.matrix_survey_pages import get, post
from vinculo.cases.models import SalesSignal, SalesSignalRule
from vinculo.cases.signals_services import SignalRuleData, save_signal_rule
from vinculo.journeys.models import Interaction

S = f"{A}/sales-signals"
MANAGE = Perm.MANAGE_CASES


def _rule_id(w: World) -> int:
    found = SalesSignalRule.objects.filter(name="Matriz").first()
    if found is None:
        data = SignalRuleData(
            name="Matriz",
            source_department=Department.objects.get(code="customer_service"),
            target_department=Department.objects.get(code="sales"),
        )
        found = save_signal_rule(actor=SYSTEM, data=data)
        contact = Interaction.objects.get(pk=w.sofia_interaction_id)
        SalesSignal.objects.create(
            rule=found,
            customer_id=w.sofia_id,
            interaction=contact,
            unit=w.org.sevilla,
            created_at=contact.occurred_at,
        )
    return found.pk


def _page(name: str, method: str = "get", **options: Any) -> Endpoint:
    url = lambda w: reverse(name, args=[_rule_id(w)])  # noqa: E731
    return Endpoint(name, method, url, MANAGE, json=False, **options)


def _signal_url(w: World) -> str:
    signal = SalesSignal.objects.get(rule_id=_rule_id(w), customer_id=w.sofia_id)
    return reverse("cases:signal", args=[signal.pk])


def _form(w: World) -> dict[str, Any]:
    return {
        "name": "Nueva",
        "source_department": Department.objects.get(code="customer_service").pk,
        "target_department": Department.objects.get(code="sales").pk,
        "window_days": "30",
        "holdout_percent": "10",
        "active": "on",
        "cond_0_field": "value_tier",
        "cond_0_op": "in",
        "cond_0_value": "high, top",
    }


def _body(w: World) -> dict[str, Any]:
    return {
        "name": "Nueva",
        "segment": [{"field": "value_tier", "op": "eq", "value": "top"}],
        "units": ["norte"],
        "source_department": "customer_service",
        "target_department": "sales",
    }


def _api(method: str, suffix: str = "", **options: Any) -> Endpoint:
    name = f"{method.upper()} {S}/rules/{{rule_id}}{suffix}"
    url = lambda w: f"{S}/rules/{_rule_id(w)}{suffix}"  # noqa: E731
    return Endpoint(name, method, url, MANAGE, about_sofia=True, **options)


def _signals(w: World) -> str:
    _rule_id(w)  # Sofía's signal exists before the list is read
    return S


PAGES: list[Endpoint] = [
    get("cases:signal_rules", MANAGE),
    get("cases:signal_rule_new", MANAGE),
    post("cases:signal_rule_new", MANAGE, form=_form),
    _page("cases:signal_report"),
    _page("cases:signal_rule_edit"),
    _page("cases:signal_rule_edit", "post", data=_form),
    Endpoint(
        "cases:signal",
        "get",
        _signal_url,
        Perm.VIEW_CASES,
        json=False,
        about_sofia=True,
        hidden_from=frozenset({"elena", "fernando", "gabriel"}),  # not of sales
    ),
]

API: list[Endpoint] = [
    Endpoint(f"GET {S}", "get", _signals, MANAGE, lists=True),
    op("get", f"{S}/rules", MANAGE),
    op("post", f"{S}/rules", MANAGE, body=_body),
    _api("get"),
    _api("put", data=_body),
    _api("delete"),
    _api("get", "/report"),
]
