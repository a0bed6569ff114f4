"""Links that carry a filter on: to another unit's dashboard, to an export, and down to
the responses behind a figure (the responses list with the same scope, period and
dimensions, narrowed to a score group)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from vinculo.accounts.models import Unit
from vinculo.metrics.filters import MetricFilter
from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.choices import ResponseStatus

# The answers behind a measure, as the responses list filters them: its whole scale, its
# bad box and its good box (a range of the measure's own question kind, so NPS never
# brings eNPS answers along).
SCORES: dict[str, dict[str, str]] = {
    K.NPS: {"": "nps:0-10", "bottom": "nps:0-6", "top": "nps:9-10"},
    K.ENPS: {"": "enps:0-10", "bottom": "enps:0-6", "top": "enps:9-10"},
    K.CSAT: {"": "csat:1-5", "bottom": "csat:1-2", "top": "csat:4-5"},
    K.CES: {"": "ces:1-7", "bottom": "ces:1-3", "top": "ces:5-7"},
}


def filter_query(f: MetricFilter, **changes: Any) -> str:
    """The filter as a query string (only what was given), with ``changes`` applied."""
    values = {**asdict(f.raw), **changes}
    return urlencode(
        {
            k: v.isoformat() if isinstance(v, date) else v
            for k, v in values.items()
            if v not in (None, "")
        }
    )


def dashboard_url(f: MetricFilter, **changes: Any) -> str:
    return f"{reverse('metrics:dashboard')}?{filter_query(f, **changes)}"


def responses_url(f: MetricFilter, *, unit: Unit | None = None, box: str = "") -> str:
    """The responses list behind a figure of ``f`` (for ``unit`` if given): the responses
    with an answer to the measure, or only those in its bottom or top box."""
    raw = f.raw
    params: dict[str, Any] = {
        "unit": (unit or f.unit).pk,
        "status": ResponseStatus.COMPLETE,
        "since": f.period.since.isoformat(),
        "until": f.period.until.isoformat(),
    }
    if f.survey is not None:
        params["survey"] = f.survey.pk
    if raw.channel:
        params["channel"] = raw.channel
    if raw.touchpoint is not None:
        params["touchpoint"] = raw.touchpoint
    if raw.interaction_type:
        params["interaction_type"] = raw.interaction_type
    if raw.stage:
        params["stage"] = raw.stage
    if raw.segment:
        params["segment"] = raw.segment
    if raw.lifecycle:
        params["lifecycle"] = raw.lifecycle
    params["score"] = SCORES[f.kind][box]
    return f"{reverse('surveys:responses')}?{urlencode(params)}"
