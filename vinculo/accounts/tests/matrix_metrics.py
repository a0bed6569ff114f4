"""The matrix rows of the metrics: the dashboard pages and /api/v1/metrics/...

Rows "about Sofía" ask for her unit, Sevilla: people and keys outside Sur must be refused
(the API's 422 and the pages' 400 name the unit field, the same answer as for a unit that
does not exist), and figures are aggregates, so none of her marks may show anywhere (the
dashboard's latest comments included).
"""

from __future__ import annotations

from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix import A, Endpoint
from vinculo.accounts.tests.matrix_survey_api import op
from vinculo.accounts.tests.matrix_survey_pages import get

VIEW = Perm.VIEW_METRICS
M = f"{A}/metrics"
SEVILLA = "unit=sevilla-nervion"


def _api(path: str, query: str = "") -> list[Endpoint]:
    """The operation for the caller's own scope, and the same asked for Sevilla."""
    joiner = "&" if query else ""
    return [
        op("get", f"{M}/{path}", VIEW, f"{M}/{path}?{query}", lists=True),
        op(
            "get",
            f"{M}/{path}",
            VIEW,
            f"{M}/{path}?{query}{joiner}{SEVILLA}",
            about_sofia=True,
            outsider=(422,),
        ),
    ]


API = [
    *_api("summary"),
    *_api("trend", "interval=month&period=12m"),
    *_api("breakdown", "by=unit"),
    *_api("league"),
    *_api("distribution", "key=nps"),
]


def _page(name: str, query: str = "") -> list[Endpoint]:
    """The page for the caller's own scope (comments listed), and the same for Sevilla."""
    joiner = "&" if query else ""
    return [
        get(name, VIEW, query=query, lists=True),
        get(name, VIEW, query=f"{query}{joiner}{SEVILLA}", about_sofia=True, outsider=(400,)),
    ]


PAGES = [
    *_page("metrics:dashboard"),
    get("metrics:filters", VIEW),
    *_page("metrics:export_xlsx", "table=all"),
    *_page("metrics:export_pdf"),
]
