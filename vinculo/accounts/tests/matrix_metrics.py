"""The matrix rows of the metrics: the dashboard pages and /api/v1/metrics/...

Rows "about Sofía" ask for her unit, Sevilla: people and keys outside Sur must be refused
(a 422 naming the unit field, the same answer as for a unit that does not exist), and
figures are aggregates, so none of her marks may show anywhere.
"""

from __future__ import annotations

from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix import A, Endpoint
from vinculo.accounts.tests.matrix_survey_api import op

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

PAGES: list[Endpoint] = []
