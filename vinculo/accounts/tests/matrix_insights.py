"""The matrix rows of the outer loop: root causes and case metrics (/cases/insights/,
/cases/metrics/, /api/v1/cases-insights/...) and improvement actions
(/cases/improvements/..., /api/v1/improvements).

Figures are aggregates of the cases one sees: Sofía's case (Sevilla) is counted only for
people who see it, and no mark of hers may show. Rows "about Sofía" ask for her unit,
Sevilla: people and keys outside Sur get the 400 (pages) or 422 (API) that names the unit,
the same answer as for a unit that does not exist. The improvement action the rows read
or change is company-wide, owned by Bruno, made on first use; creating and changing
actions needs MANAGE_CASES (Alicia, Bruno), reading them VIEW_CASES. Callers limited to
units (the Bilbao key) may read that action but not change it, nor make company-wide
ones: tests/test_improvements.py holds those rules.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix import A, Endpoint, World
from vinculo.accounts.tests.matrix_survey_api import op
from vinculo.accounts.tests.matrix_survey_pages import get, post
from vinculo.cases.improvements import NewImprovement, promote
from vinculo.cases.models import ImprovementAction, RootCause

VIEW, MANAGE = Perm.VIEW_CASES, Perm.MANAGE_CASES
I = f"{A}/cases-insights"  # noqa: E741
IMP = f"{A}/improvements"
SEVILLA = "unit=sevilla-nervion"


def _cause(w: World) -> int:
    return RootCause.objects.get(name="Trato del personal").pk


def _action_id(w: World) -> int:
    found = ImprovementAction.objects.filter(title="Matriz").first()
    if found is None:
        data = NewImprovement(
            root_cause=RootCause.objects.get(pk=_cause(w)), title="Matriz", owner=w.people.bruno
        )
        found = promote(actor=SYSTEM, data=data)
    return found.pk


def _pages(name: str) -> list[Endpoint]:
    """The page for the caller's own scope, and the same asked for Sevilla."""
    return [
        get(name, VIEW, lists=True),
        get(name, VIEW, query=f"by=unit&{SEVILLA}", about_sofia=True, outsider=(400,)),
    ]


def _apis(path: str) -> list[Endpoint]:
    return [
        op("get", f"{I}/{path}", VIEW, f"{I}/{path}?by=unit", lists=True),
        op("get", f"{I}/{path}", VIEW, f"{I}/{path}?{SEVILLA}", about_sofia=True, outsider=(422,)),
    ]


def _action_page(method: str, needs: Perm, **options: Any) -> Endpoint:
    url = lambda w: reverse("cases:improvement", args=[_action_id(w)])  # noqa: E731
    return Endpoint("cases:improvement", method, url, needs, json=False, **options)


def _form(w: World) -> dict[str, Any]:
    return {"root_cause": _cause(w), "title": "Nueva", "owner": w.people.bruno.pk}


def _body(w: World) -> dict[str, Any]:
    return {"root_cause": _cause(w), "title": "Nueva", "owner": "bruno"}


def _one(method: str, needs: Perm, **options: Any) -> Endpoint:
    name = f"{method.upper()} {IMP}/{{improvement_id}}"
    return Endpoint(name, method, lambda w: f"{IMP}/{_action_id(w)}", needs, **options)


PAGES: list[Endpoint] = [
    *_pages("cases:insights"),
    *_pages("cases:metrics"),
    get("cases:improvements", VIEW, lists=True),
    get("cases:improvement_new", MANAGE, query="root_cause=1"),
    post("cases:improvement_new", MANAGE, form=_form),
    _action_page("get", VIEW),
    _action_page(
        "post",
        MANAGE,
        data=lambda w: {"status": "in_progress", "owner": w.people.bruno.pk},
    ),
]

API: list[Endpoint] = [
    *_apis("root-causes"),
    *_apis("metrics"),
    op("get", IMP, VIEW, lists=True),
    op("post", IMP, MANAGE, body=_body),
    _one("get", VIEW),
    _one("patch", MANAGE, data=lambda w: {"status": "in_progress"}),
]
