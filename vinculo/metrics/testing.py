"""Test helpers for metrics: a survey with every counted kind, and answers given through
the real submission service at a chosen time."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.journeys.models import Touchpoint
from vinculo.metrics.rollups import fold_all
from vinculo.surveys.choices import Collector
from vinculo.surveys.models import Response, Survey
from vinculo.surveys.submission import Respondent, submit_all
from vinculo.surveys.testing import live_version, published_survey


def _options(*codes: str) -> list[dict[str, Any]]:
    return [{"code": code, "label": {"es": code.capitalize(), "en": code}} for code in codes]


def _q(key: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "kind": kind, "text": {"es": f"Pregunta {key}", "en": key}, **extra}


EVERY_MEASURE: dict[str, Any] = {
    "title": {"es": "Tu experiencia", "en": "Your experience"},
    "questions": [
        _q("nps", "nps"),
        _q("csat", "csat"),
        _q("ces", "ces"),
        _q("estrellas", "rating", settings={"min": 1, "max": 5, "style": "stars"}),
        _q("volveria", "yes_no"),
        _q("motivos", "multiple_choice", options=_options("precio", "trato", "rapidez")),
        _q("tienda", "single_choice", options=_options("centro", "playa")),
        _q("aspectos", "matrix", options=_options("mal", "regular", "bien"), rows=_options("cola")),
        _q("comentario", "long_text"),
    ],
}

_keys = itertools.count(1)


def measure_survey(unit: Unit, slug: str = "experiencia", **fields: Any) -> Survey:
    return published_survey(unit=unit, slug=slug, definition=EVERY_MEASURE, **fields)


def answer(
    survey: Survey,
    unit: Unit,
    when: datetime,
    *,
    customer: Customer | None = None,
    touchpoint: Touchpoint | None = None,
    collector: str = Collector.LINK,
    **answers: Any,
) -> Response:
    """One complete response, stored by ``submit_all`` as if completed at ``when``."""
    outcome = submit_all(
        respondent=Respondent(
            survey=survey,
            version=live_version(survey),
            unit=unit,
            collector=collector,
            language="es",
            touchpoint=touchpoint,
            customer=customer,
        ),
        idempotency_key=f"metrics-{next(_keys)}",
        raw=answers,
        started_at=when,
        completed_at=when,
    )
    return outcome.response


def folded() -> int:
    """Runs what the worker would run: every pending change into the roll-ups."""
    return fold_all()
