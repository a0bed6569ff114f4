"""The matrix rows of cases: the pages under /cases/ and /api/v1/cases/...

Sofía's case is a customer-service case of Sevilla: people and keys outside Sur get 404
for it (or, for a bulk action naming it, the list page again with the case refused) and
never find it in a list. Elena is an agent of billing: she sees Sofía everywhere else,
but not this case, so its rows name her in ``hidden_from`` and she is an outsider for
them (the matrix's SEES_SOFIA holds per row, minus ``hidden_from``). Opening a
customer-service case in Sevilla is refused to her with the 422 that names the
department, and to people outside Sur with the 422 that names the unit.
"""

from __future__ import annotations

from typing import Any

from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix import A, Endpoint, World
from vinculo.accounts.tests.matrix_survey_api import op
from vinculo.accounts.tests.matrix_survey_pages import get, post
from vinculo.cases.models import RootCause

C = f"{A}/cases"
VIEW, WORK = Perm.VIEW_CASES, Perm.WORK_CASES
ELENA = frozenset({"elena"})
SOFIAS: dict[str, Any] = {"about_sofia": True, "hidden_from": ELENA}


def _cause(w: World) -> int:
    return RootCause.objects.get(name="Trato del personal").pk


ACTIONS: dict[str, Any] = {
    # page action: (API path, page form, API body)
    "take": ("take", lambda w: {}, None),
    "assign": (
        "assign",
        lambda w: {"owner": w.people.gabriel.pk},
        lambda w: {"owner": "gabriel"},
    ),
    "status": ("status", lambda w: {"status": "waiting"}, lambda w: {"status": "waiting"}),
    "priority": ("priority", lambda w: {"priority": "high"}, lambda w: {"priority": "high"}),
    "note": ("notes", lambda w: {"text": "Nota"}, lambda w: {"text": "Nota"}),
    "contact": (
        "contacts",
        lambda w: {"channel": "call", "outcome": "reached", "text": "Hablado"},
        lambda w: {"channel": "call", "outcome": "reached", "text": "Hablado"},
    ),
    "action": ("actions", lambda w: {"text": "Abono"}, lambda w: {"text": "Abono"}),
    "resolve": (
        "resolve",
        lambda w: {"root_cause": _cause(w), "resolution": "Resuelto"},
        lambda w: {"root_cause": _cause(w), "resolution": "Resuelto"},
    ),
    # An open case cannot be reopened: who may work it gets the refusal, named.
    "reopen": ("reopen", lambda w: {"reason": "Sigue"}, lambda w: {"reason": "Sigue"}),
}


def _new_case(w: World) -> dict[str, Any]:
    return {"title": "Matriz", "unit": "sevilla-nervion", "department": "customer_service"}


PAGES: list[Endpoint] = [
    get("cases:list", VIEW, lists=True),
    get("cases:list", VIEW, query="status=any&q=Sofía", lists=True),
    get("cases:case", VIEW, "case", **SOFIAS),
    get("cases:new", WORK),
    post(
        "cases:new",
        WORK,
        form=lambda w: {"title": "Matriz", "unit": w.org.sevilla.pk, "priority": "normal"},
    ),
    post(
        "cases:bulk",
        WORK,
        form=lambda w: {"action": "take", "cases": [w.case_id]},
        outsider=(302,),
        **SOFIAS,
    ),
    *(
        post(f"cases:{name}", WORK, "case", form=form, **SOFIAS)
        for name, (_p, form, _b) in ACTIONS.items()
    ),
]

API: list[Endpoint] = [
    op("get", C, VIEW, lists=True),
    op("get", C, VIEW, f"{C}?status=any&q=Sof%C3%ADa", lists=True),
    op("get", C, VIEW, f"{C}?unit=sevilla-nervion", about_sofia=True, outsider=(422,)),
    op("post", C, WORK, body=_new_case, outsider=(422,), **SOFIAS),
    op("get", f"{C}/root-causes", VIEW),
    op("get", f"{C}/{{case_id}}", VIEW, f"{C}/{{case}}", **SOFIAS),
    *(
        op(
            "post",
            f"{C}/{{case_id}}/{path}",
            WORK,
            f"{C}/{{case}}/{path}",
            body=body,
            extra_ok=(422,) if path == "reopen" else (),
            **SOFIAS,
        )
        for path, _form, body in ACTIONS.values()
    ),
]
