"""The matrix rows of the pages and API operations before surveys: sign-in, customers,
interactions, imports, units and API keys (moved unchanged from test_permission_matrix.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix import ANY_ROLE, PUBLIC, SIGNED_IN, A, Endpoint, World


def _sofia(path: str) -> Callable[[World], str]:
    return lambda w: path.format(
        s=w.sofia_id, b=w.bea_id, i=w.sofia_interaction_id, j=w.job_id, k=w.key_id
    )


def _page(name: str, *args: str) -> Callable[[World], str]:
    def build(w: World) -> str:
        values = {"s": w.sofia_id, "j": w.job_id, "k": w.key_id}
        return reverse(name, args=[values.get(a, a) for a in args])

    return build


def _csv_upload(w: World) -> dict[str, Any]:
    body = b"external_id,phone,occurred_at,channel,interaction_type,unit\n"
    return {
        "kind": "interactions",
        "mode": "all_or_nothing",
        "source": "crm",
        "file": SimpleUploadedFile("m.csv", body),
    }


PAGES = [
    Endpoint("core:home", "get", _page("core:home"), SIGNED_IN),
    Endpoint("accounts:login", "get", _page("accounts:login"), PUBLIC),
    Endpoint("accounts:logout", "post", _page("accounts:logout"), PUBLIC),
    Endpoint(
        "set_language",
        "post",
        _page("set_language"),
        PUBLIC,
        json=False,
        data=lambda w: {"language": "en", "next": "/"},
    ),
    Endpoint(
        "customers:list",
        "get",
        lambda w: reverse("customers:list") + "?q=Sofía",
        Perm.VIEW_CUSTOMERS,
        lists=True,
    ),
    Endpoint(
        "customers:list",
        "get",
        lambda w: reverse("customers:list") + "?q=655 000 111",
        Perm.VIEW_CUSTOMERS,
        lists=True,
    ),
    Endpoint(
        "customers:detail",
        "get",
        _page("customers:detail", "s"),
        Perm.VIEW_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        "customers:merge",
        "get",
        _page("customers:merge", "s"),
        Perm.MERGE_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        "customers:merge",
        "post",
        _page("customers:merge", "s"),
        Perm.MERGE_CUSTOMERS,
        about_sofia=True,
        json=False,
        data=lambda w: {"merged_id": w.bea_id, "reason": "same person", "confirm": "1"},
    ),
    Endpoint(
        "customers:export",
        "get",
        _page("customers:export", "s"),
        Perm.EXPORT_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        "customers:erase",
        "post",
        _page("customers:erase", "s"),
        Perm.ERASE_CUSTOMERS,
        about_sofia=True,
        json=False,
        data=lambda w: {"reason": "RGPD-1", "confirm": "1"},
    ),
    Endpoint("imports:list", "get", _page("imports:list"), Perm.IMPORT_DATA),
    Endpoint(
        "imports:list",
        "post",
        _page("imports:list"),
        Perm.IMPORT_DATA,
        json=False,
        data=_csv_upload,
    ),
    Endpoint("imports:detail", "get", _page("imports:detail", "j"), Perm.IMPORT_DATA),
    Endpoint(
        "imports:rejected", "get", _page("imports:rejected", "j"), Perm.IMPORT_DATA, extra_ok=(404,)
    ),
    Endpoint(
        "imports:retry",
        "post",
        _page("imports:retry", "j"),
        Perm.IMPORT_DATA,
        json=False,
    ),
    Endpoint("imports:sample", "get", _page("imports:sample", "customers"), Perm.IMPORT_DATA),
    Endpoint("accounts:api_keys", "get", _page("accounts:api_keys"), Perm.MANAGE_API_KEYS),
    Endpoint(
        "accounts:api_keys",
        "post",
        _page("accounts:api_keys"),
        Perm.MANAGE_API_KEYS,
        json=False,
        data=lambda w: {"name": "bi", "scopes": [Perm.VIEW_CUSTOMERS.value]},
    ),
    Endpoint(
        "accounts:revoke_api_key",
        "post",
        _page("accounts:revoke_api_key", "k"),
        Perm.MANAGE_API_KEYS,
        json=False,
    ),
]

API = [
    Endpoint(f"GET {A}/health", "get", _sofia(f"{A}/health"), PUBLIC),
    Endpoint(f"GET {A}/openapi.json", "get", _sofia(f"{A}/openapi.json"), PUBLIC),
    Endpoint(f"GET {A}/docs", "get", _sofia(f"{A}/docs"), PUBLIC),
    Endpoint(f"GET {A}/me", "get", _sofia(f"{A}/me"), SIGNED_IN),
    Endpoint(f"GET {A}/units", "get", _sofia(f"{A}/units"), ANY_ROLE),
    Endpoint(f"GET {A}/departments", "get", _sofia(f"{A}/departments"), ANY_ROLE),
    Endpoint(f"GET {A}/api-keys", "get", _sofia(f"{A}/api-keys"), Perm.MANAGE_API_KEYS),
    Endpoint(
        f"POST {A}/api-keys",
        "post",
        _sofia(f"{A}/api-keys"),
        Perm.MANAGE_API_KEYS,
        data=lambda w: {"name": "bi", "scopes": [Perm.VIEW_CUSTOMERS.value]},
    ),
    Endpoint(
        f"POST {A}/api-keys/{{key_id}}/revoke",
        "post",
        _sofia(f"{A}/api-keys/{{k}}/revoke"),
        Perm.MANAGE_API_KEYS,
    ),
    Endpoint(
        f"GET {A}/customers",
        "get",
        _sofia(f"{A}/customers?q=Sofía"),
        Perm.VIEW_CUSTOMERS,
        lists=True,
    ),
    Endpoint(
        f"GET {A}/customers",
        "get",
        _sofia(f"{A}/customers?limit=500"),
        Perm.VIEW_CUSTOMERS,
        lists=True,
    ),
    Endpoint(
        f"POST {A}/customers",
        "post",
        _sofia(f"{A}/customers"),
        Perm.EDIT_CUSTOMERS,
        # Outsiders get 409 (identity owned elsewhere) or 422 (home unit not theirs).
        about_sofia=True,
        outsider=(409, 422),
        data=lambda w: {
            "identities": [{"kind": "phone", "value": "655000111"}],
            "plan": "Nuevo",
            "home_unit": "sevilla-nervion",
        },
    ),
    Endpoint(
        f"GET {A}/customers/{{customer_id}}",
        "get",
        _sofia(f"{A}/customers/{{s}}"),
        Perm.VIEW_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        f"PATCH {A}/customers/{{customer_id}}",
        "patch",
        _sofia(f"{A}/customers/{{s}}"),
        Perm.EDIT_CUSTOMERS,
        about_sofia=True,
        data=lambda w: {"plan": "Fibra"},
    ),
    Endpoint(
        f"POST {A}/customers/{{customer_id}}/merge",
        "post",
        _sofia(f"{A}/customers/{{s}}/merge"),
        Perm.MERGE_CUSTOMERS,
        about_sofia=True,
        data=lambda w: {"merged_id": w.bea_id, "reason": "same person"},
    ),
    Endpoint(
        f"GET {A}/customers/{{customer_id}}/merges",
        "get",
        _sofia(f"{A}/customers/{{s}}/merges"),
        Perm.VIEW_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        f"GET {A}/customers/{{customer_id}}/timeline",
        "get",
        _sofia(f"{A}/customers/{{s}}/timeline"),
        Perm.VIEW_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        f"GET {A}/customers/{{customer_id}}/export",
        "get",
        _sofia(f"{A}/customers/{{s}}/export"),
        Perm.EXPORT_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        f"POST {A}/customers/{{customer_id}}/erase",
        "post",
        _sofia(f"{A}/customers/{{s}}/erase"),
        Perm.ERASE_CUSTOMERS,
        about_sofia=True,
        data=lambda w: {"reason": "RGPD-1"},
    ),
    Endpoint(
        f"GET {A}/interactions",
        "get",
        _sofia(f"{A}/interactions?limit=500"),
        Perm.VIEW_CUSTOMERS,
        lists=True,
    ),
    Endpoint(
        f"POST {A}/interactions",
        "post",
        _sofia(f"{A}/interactions"),
        Perm.ADD_INTERACTIONS,
        about_sofia=True,
        outsider=(422,),
        data=lambda w: {
            "customer_id": w.sofia_id,
            "channel": "web",
            "type": "use",
            "unit": "sevilla-nervion",
            "occurred_at": "2026-03-01T10:00:00+01:00",
            "external_id": "matrix-1",
            "source": "pos",
        },
    ),
    Endpoint(
        f"POST {A}/interactions",
        "post",
        _sofia(f"{A}/interactions"),
        Perm.ADD_INTERACTIONS,
        # By identity, in Bilbao: outsiders must not reach Sofía this way (409), and Gabriel,
        # who sees her, may not record events in Bilbao (422 naming the unit).
        about_sofia=True,
        outsider=(409, 422),
        extra_ok=(422,),
        data=lambda w: {
            "identities": [{"kind": "phone", "value": "655 000 111"}],
            "channel": "store",
            "type": "sale",
            "unit": "bilbao-centro",
            "occurred_at": "2026-03-02T10:00:00+01:00",
            "external_id": "matrix-2",
            "source": "pos",
        },
    ),
    Endpoint(
        f"GET {A}/interactions/{{interaction_id}}",
        "get",
        _sofia(f"{A}/interactions/{{i}}"),
        Perm.VIEW_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        f"GET {A}/interactions/channels", "get", _sofia(f"{A}/interactions/channels"), ANY_ROLE
    ),
    Endpoint(f"GET {A}/interactions/types", "get", _sofia(f"{A}/interactions/types"), ANY_ROLE),
    Endpoint(f"GET {A}/interactions/stages", "get", _sofia(f"{A}/interactions/stages"), ANY_ROLE),
    Endpoint(
        f"GET {A}/interactions/touchpoints",
        "get",
        _sofia(f"{A}/interactions/touchpoints"),
        ANY_ROLE,
    ),
    Endpoint(
        f"POST {A}/customers/batch",
        "post",
        _sofia(f"{A}/customers/batch"),
        Perm.IMPORT_DATA,
        company_wide=True,
        data=lambda w: {"source": "crm", "rows": [{"customer_number": "M-1", "name": "Matriz"}]},
    ),
    Endpoint(
        f"POST {A}/interactions/batch",
        "post",
        _sofia(f"{A}/interactions/batch"),
        Perm.IMPORT_DATA,
        company_wide=True,
        data=lambda w: {
            "source": "pos",
            "rows": [
                {
                    "phone": "655000111",
                    "channel": "web",
                    "interaction_type": "use",
                    "unit": "sevilla-nervion",
                    "occurred_at": "2026-03-01 10:00",
                }
            ],
        },
    ),
    Endpoint(
        f"POST {A}/imports",
        "post",
        _sofia(f"{A}/imports"),
        Perm.IMPORT_DATA,
        company_wide=True,
        json=False,
        data=_csv_upload,
    ),
    Endpoint(
        f"GET {A}/imports/{{job_id}}",
        "get",
        _sofia(f"{A}/imports/{{j}}"),
        Perm.IMPORT_DATA,
        company_wide=True,
    ),
    Endpoint(
        f"POST {A}/imports/{{job_id}}/retry",
        "post",
        _sofia(f"{A}/imports/{{j}}/retry"),
        Perm.IMPORT_DATA,
        company_wide=True,
        extra_ok=(409,),  # the matrix's job is waiting, not failed: nothing to retry
    ),
    Endpoint(
        f"GET {A}/imports/{{job_id}}/rejected",
        "get",
        _sofia(f"{A}/imports/{{j}}/rejected"),
        Perm.IMPORT_DATA,
        company_wide=True,
        extra_ok=(404,),
    ),
]
