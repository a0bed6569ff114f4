"""The latest comments of customers in a scope and period: the only figure-side read of
raw answers, a few rows at a time down the index on completion time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import ExpressionWrapper, F, IntegerField, Q

from vinculo.accounts.models import Unit
from vinculo.metrics.filters import MetricFilter
from vinculo.metrics.rollups.deltas import report_zone
from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.choices import ResponseStatus, SurveyKind
from vinculo.surveys.models import Answer, Response, Survey
from vinculo.surveys.queries import headline_scores


@dataclass(frozen=True)
class Comment:
    response_id: int
    text: str
    unit_name: str
    completed_at: Any
    scores: dict[str, int]


TEXT_KINDS = (K.LONG_TEXT, K.SHORT_TEXT)
SMALL_SCOPE = 20  # units: up to this many, a scope's responses are read by unit


def comments(f: MetricFilter, limit: int = 8) -> list[Comment]:
    """The latest open answers of customers in the scope and period, with their scores.
    Employees' answers are never listed here (their surveys promise anonymity).

    The scope's newest responses are read a batch at a time (by the index on completion
    time) until enough of them carry a comment: the answers table is never scanned."""
    # By completion time alone: a tie-break column would keep SQLite from walking the index.
    responses = _answered_in(f).order_by("-completed_at")
    listed: list[Answer] = []
    for batch in (200, 2000, 20000):
        ids = list(responses.values_list("pk", flat=True)[:batch])
        listed = list(
            Answer.objects.filter(
                response_id__in=ids, question__kind__in=(K.LONG_TEXT, K.SHORT_TEXT)
            )
            .exclude(text="")
            .select_related("response__unit")
            .order_by("-response__completed_at", "-response_id", "-id")[:limit]
        )
        if len(listed) >= limit or len(ids) < batch:
            break
    scores = headline_scores(a.response_id for a in listed)
    zone = report_zone()
    return [
        Comment(
            a.response_id,
            a.text,
            a.response.unit.name,
            a.response.completed_at.astimezone(zone) if a.response.completed_at else None,
            scores.get(a.response_id, {}),
        )
        for a in listed
    ]


def _answered_in(f: MetricFilter) -> Any:
    zone = report_zone()
    start = datetime.combine(f.period.since, time.min, tzinfo=zone)
    end = datetime.combine(f.period.until + timedelta(days=1), time.min, tzinfo=zone)
    # The newest responses come from a walk down the index on completion time, stopped at
    # the first few that fit. Conditions that an index could serve are written so that it
    # cannot, where using it would mean reading a whole survey or region and sorting it:
    # planners without statistics (SQLite's) otherwise take the narrower-looking index.
    rows = Response.objects.filter(
        status=ResponseStatus.COMPLETE, completed_at__gte=start, completed_at__lt=end
    ).annotate(
        survey_ref=ExpressionWrapper(F("survey_id") + 0, output_field=IntegerField()),
        unit_ref=ExpressionWrapper(F("unit_id") + 0, output_field=IntegerField()),
    )
    if f.survey is not None:
        rows = rows.filter(survey_id=f.survey.pk, survey__kind=SurveyKind.CUSTOMER)
    else:  # never employees' answers (their surveys promise anonymity)
        employees = Survey.objects.exclude(kind=SurveyKind.CUSTOMER).values_list("pk", flat=True)
        rows = rows.exclude(survey_ref__in=list(employees))
    if f.unit.parent_id is not None:  # the whole company needs no unit filter at all
        subtree = list(
            Unit.objects.filter(path__startswith=f.unit.path).values_list("pk", flat=True)
        )
        # A few units: their own index is best; many: the walk down completion time.
        field = "unit_id__in" if len(subtree) <= SMALL_SCOPE else "unit_ref__in"
        rows = rows.filter(**{field: subtree})
    where = f.where
    if where.touchpoint is not None:
        none = Q(touchpoint__isnull=True) if 0 in where.touchpoint else Q(pk__in=[])
        rows = rows.filter(Q(touchpoint_id__in=sorted(where.touchpoint)) | none)
    if where.channel is not None:
        rows = rows.filter(channel_id__in=sorted(where.channel))
    if where.segment is not None:
        rows = rows.filter(segment__in=sorted(where.segment))
    if where.lifecycle is not None:
        rows = rows.filter(lifecycle_stage__in=sorted(where.lifecycle))
    return rows
