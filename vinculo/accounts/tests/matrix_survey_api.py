"""The matrix rows of the surveys API (/api/v1/surveys/...) and of the widget's public API
(/api/v1/public/...).

Rows "about Sofía" name her, her response, her invitation or her unit (Sevilla): people
and keys who may not see her must get a 404 (or the 4xx given) naming nothing of hers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix import PUBLIC, A, Endpoint, World, ids
from vinculo.accounts.tests.matrix_survey_world import SOFIA_ANSWER
from vinculo.surveys.api.public import new_key
from vinculo.surveys.testing import NPS_CSAT_TEXT

MANAGE = Perm.MANAGE_SURVEYS
VIEW = Perm.VIEW_RESPONSES
ENTER = Perm.ENTER_RESPONSES
EXPORT = Perm.EXPORT_RESPONSES
CORRECT = Perm.MANAGE_RESPONSES

S = f"{A}/surveys"
SOFIA_PHONE = [{"kind": "phone", "value": "655 000 111"}]


def op(
    method: str,
    template: str,
    needs: Perm | str,
    path: str = "",
    body: Callable[[World], dict[str, Any]] | None = None,
    **options: Any,
) -> Endpoint:
    """An operation named as OpenAPI names it (``template``), called at ``path`` (the
    template's address with the world's ids, plus a query string) or at the template."""
    name = f"{method.upper()} {template}"
    address = path or template
    return Endpoint(name, method, lambda w: address.format(**ids(w)), needs, data=body, **options)


def _answer(w: World) -> dict[str, Any]:
    """Sofía's phone interview in Sevilla, from a call centre's system."""
    return {
        "idempotency_key": "matriz-1",
        "answers": {"nps": 9, "csat": 4},
        "customer": {"id": w.sofia_id},
        "unit": "sevilla-nervion",
        "collector": "phone",
    }


BUILDER = [
    op("get", f"{S}/", MANAGE, lists=True),
    op("post", f"{S}/", MANAGE, body=lambda w: {"name": "M", "slug": "m", "unit": "telco"}),
    op("get", f"{S}/{{survey_id}}", MANAGE, f"{S}/{{survey}}"),
    op("patch", f"{S}/{{survey_id}}", MANAGE, f"{S}/{{survey}}", body=lambda w: {"name": "N"}),
    op("get", f"{S}/{{survey_id}}/draft", MANAGE, f"{S}/{{survey}}/draft"),
    op("put", f"{S}/{{survey_id}}/draft", MANAGE, f"{S}/{{survey}}/draft", lambda w: NPS_CSAT_TEXT),
    op("post", f"{S}/{{survey_id}}/publish", MANAGE, f"{S}/{{survey}}/publish"),
    op("post", f"{S}/{{survey_id}}/close", MANAGE, f"{S}/{{survey}}/close"),
    op("post", f"{S}/{{survey_id}}/reopen", MANAGE, f"{S}/{{survey}}/reopen"),
    op("get", f"{S}/{{survey_id}}/versions/{{number}}", MANAGE, f"{S}/{{survey}}/versions/1"),
]

RESPONSES = [
    op("get", f"{S}/responses", VIEW, f"{S}/responses?limit=500", lists=True),
    op("get", f"{S}/responses", VIEW, f"{S}/responses?q={SOFIA_ANSWER[6:]}", lists=True),
    op(
        "get",
        f"{S}/responses/export",
        EXPORT,
        f"{S}/responses/export?survey={{survey}}",
        lists=True,
    ),
    op(
        "get",
        f"{S}/responses/export",
        EXPORT,
        f"{S}/responses/export?survey={{survey}}&format=xlsx",
        lists=True,
    ),
    op(
        "get",
        f"{S}/responses/{{response_id}}",
        VIEW,
        f"{S}/responses/{{response}}",
        about_sofia=True,
    ),
    op(
        "patch",
        f"{S}/responses/{{response_id}}",
        CORRECT,
        f"{S}/responses/{{response}}",
        lambda w: {"answers": {"nps": 8}, "reason": "Error al teclear"},
        about_sofia=True,
    ),
    op(
        "delete",
        f"{S}/responses/{{response_id}}",
        CORRECT,
        f"{S}/responses/{{response}}?reason=Respuesta+de+prueba",
        about_sofia=True,
    ),
    op(
        "post",
        f"{S}/{{survey_id}}/responses",
        ENTER,
        f"{S}/{{survey}}/responses",
        _answer,
        about_sofia=True,
    ),
    op(
        "post",
        f"{S}/{{survey_id}}/responses",
        ENTER,
        f"{S}/{{survey}}/responses",
        # By identity, in Bilbao: outsiders must not reach Sofía this way (404), and Gabriel,
        # who sees her, may not record answers in Bilbao (422 naming the unit).
        lambda w: {**_answer(w), "customer": {"identities": SOFIA_PHONE}, "unit": "bilbao-centro"},
        about_sofia=True,
        extra_ok=(422,),
    ),
    op(
        "post",
        f"{S}/widget-identity",
        ENTER,
        # Sofía signs in on the company's site; the new-prospect unit is Bilbao: outsiders
        # must not get a token for her (404), and Gabriel may not add customers in Bilbao.
        body=lambda w: {"identities": SOFIA_PHONE, "home_unit": "bilbao-centro"},
        about_sofia=True,
        extra_ok=(422,),
    ),
]

DISTRIBUTION = [
    op(
        "post",
        f"{S}/{{survey_id}}/distributions",
        MANAGE,
        f"{S}/{{survey}}/distributions",
        lambda w: {"name": "M", "channel": "email", "audience": {"unit": "sevilla-nervion"}},
        # Sevilla's customers are Sofía: callers limited elsewhere name a unit not theirs.
        about_sofia=True,
        outsider=(422,),
    ),
    op("get", f"{S}/{{survey_id}}/distributions", MANAGE, f"{S}/{{survey}}/distributions"),
    op("get", f"{S}/distributions/{{distribution_id}}", MANAGE, f"{S}/distributions/{{campaign}}"),
    op(
        "patch",
        f"{S}/distributions/{{distribution_id}}",
        MANAGE,
        f"{S}/distributions/{{draft}}",
        lambda w: {"name": "Renombrada"},
    ),
    op("delete", f"{S}/distributions/{{distribution_id}}", MANAGE, f"{S}/distributions/{{draft}}"),
    op(
        "post",
        f"{S}/distributions/{{distribution_id}}/send",
        MANAGE,
        f"{S}/distributions/{{draft}}/send",
    ),
    op(
        "post",
        f"{S}/distributions/{{distribution_id}}/cancel",
        MANAGE,
        f"{S}/distributions/{{campaign}}/cancel",
    ),
    op(
        "post",
        f"{S}/distributions/{{distribution_id}}/retry",
        MANAGE,
        f"{S}/distributions/{{campaign}}/retry",
    ),
    op(
        "get",
        f"{S}/distributions/{{distribution_id}}/invitations",
        MANAGE,
        f"{S}/distributions/{{campaign}}/invitations",
        lists=True,
    ),
    op(
        "post",
        f"{S}/{{survey_id}}/invitations",
        MANAGE,
        f"{S}/{{survey}}/invitations",
        lambda w: {"customer_id": w.sofia_id, "channel": "sms"},
        about_sofia=True,
        outsider=(422,),  # "no customer with these details within your scope"
    ),
    op(
        "get",
        f"{S}/invitations/{{invitation_id}}",
        MANAGE,
        f"{S}/invitations/{{invitation}}",
        about_sofia=True,
    ),
    op("get", f"{S}/{{survey_id}}/triggers", MANAGE, f"{S}/{{survey}}/triggers"),
    op(
        "post",
        f"{S}/{{survey_id}}/triggers",
        MANAGE,
        f"{S}/{{survey}}/triggers",
        lambda w: {"name": "Tras soporte", "interaction_type": "complaint", "channel": "email"},
    ),
    op("get", f"{S}/triggers/{{rule_id}}", MANAGE, f"{S}/triggers/{{rule}}"),
    op(
        "patch",
        f"{S}/triggers/{{rule_id}}",
        MANAGE,
        f"{S}/triggers/{{rule}}",
        lambda w: {"active": False},
    ),
    op("get", f"{S}/contact-policy", MANAGE),
    op("put", f"{S}/contact-policy", MANAGE, body=lambda w: {"fatigue_days": 15}),
]

P = f"{A}/public/surveys"
PUBLIC_API = [
    op("get", f"{P}/{{slug}}", PUBLIC, f"{P}/{{slug}}"),
    op(
        "post",
        f"{P}/{{slug}}/responses",
        PUBLIC,
        f"{P}/{{slug}}/responses",
        lambda w: {"idempotency_key": new_key(), "answers": {"nps": 9, "csat": 4}},
    ),
    # CORS preflights (left out of the OpenAPI document): any origin, no credentials.
    op("options", f"{P}/{{slug}}", PUBLIC, f"{P}/{{slug}}"),
    op("options", f"{P}/{{slug}}/responses", PUBLIC, f"{P}/{{slug}}/responses"),
]

API = BUILDER + RESPONSES + DISTRIBUTION + PUBLIC_API
