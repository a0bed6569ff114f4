"""The matrix rows of alert rules: the pages under /cases/rules/ and /api/v1/alert-rules.

Rules hold no customer's data: only people with MANAGE_CASES (Alicia, Bruno) get in; every
other person gets 403. The rule the rows read or change is made on first use; it is
company-wide, so the rows naming it are marked ``about_sofia``: a key limited to Bilbao
must get 404 from each, reading, replacing or deleting it.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix import A, Endpoint, World
from vinculo.accounts.tests.matrix_survey_api import op
from vinculo.accounts.tests.matrix_survey_pages import get, post
from vinculo.cases.models import AlertRule
from vinculo.cases.rules_services import RuleData, save_rule

R = f"{A}/alert-rules"
MANAGE = Perm.MANAGE_CASES
DETRACTOR = [{"field": "nps", "op": "lte", "value": 6}]


def _rule_id(w: World) -> int:
    found = AlertRule.objects.filter(name="Matriz").first()
    if found is None:
        data = RuleData(name="Matriz", event="response", conditions=DETRACTOR)
        found = save_rule(actor=SYSTEM, data=data)
    return found.pk


def _page(name: str, method: str = "get", **options: Any) -> Endpoint:
    url = lambda w: reverse(name, args=[_rule_id(w)])  # noqa: E731
    return Endpoint(name, method, url, MANAGE, json=False, **options)


def _form(w: World) -> dict[str, Any]:
    return {
        "name": "Nueva",
        "event": "response",
        "action": "case",
        "priority": "normal",
        "title": "{rule}: {unit}",
        "active": "on",
        "cond_0_field": "nps",
        "cond_0_op": "lte",
        "cond_0_value": "6",
    }


def _body(w: World) -> dict[str, Any]:
    return {"name": "Nueva", "event": "response", "conditions": DETRACTOR, "units": ["norte"]}


def _api(method: str, **options: Any) -> Endpoint:
    name = f"{method.upper()} {R}/{{rule_id}}"
    url = lambda w: f"{R}/{_rule_id(w)}"  # noqa: E731
    return Endpoint(name, method, url, MANAGE, about_sofia=True, **options)


PAGES: list[Endpoint] = [
    get("case_rules:list", MANAGE),
    get("case_rules:new", MANAGE),
    post("case_rules:new", MANAGE, form=_form),
    _page("case_rules:edit"),
    _page("case_rules:edit", "post", data=_form),
    _page("case_rules:toggle", "post", data=lambda w: {}),
]

API: list[Endpoint] = [
    op("get", R, MANAGE),
    op("post", R, MANAGE, body=_body),
    _api("get"),
    _api("put", data=_body),
    _api("delete"),
]
