"""The signed rows a response adds to ``PendingScore`` when it is completed, corrected or
deleted (``sign`` -1 takes back what it added)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from vinculo.lib import fastinsert
from vinculo.metrics.boxes import COUNTED_KINDS, Boxes, answer_counts, boxes_of
from vinculo.metrics.models import PendingScore
from vinculo.surveys.choices import ResponseStatus
from vinculo.surveys.models import Answer, Question, Response


@cache
def report_zone() -> ZoneInfo:
    """Days are counted in the company's time zone (TIME_ZONE), whoever is looking."""
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime) -> date:
    return moment.astimezone(report_zone()).date()


def counted(question: Question) -> Boxes | None:
    """The boxes of a counted question (None for scales without boxes: choices)."""
    return boxes_of(question.kind, question.settings, question.options)


def _dimensions(response: Response) -> dict[str, Any]:
    assert response.completed_at is not None
    day = local_day(response.completed_at)
    return {
        "day": day,
        "month": day.replace(day=1),
        "unit_id": response.unit_id,
        "touchpoint_id": response.touchpoint_id or 0,
        "channel_id": response.channel_id,
        "segment": response.segment[:60],
        "lifecycle": response.lifecycle_stage[:20],
    }


def rows_for(
    response: Response,
    answers: Iterable[tuple[Question, str, int | None, Sequence[str] | None]],
    sign: int,
) -> list[dict[str, Any]]:
    """PendingScore rows for ``(question, row, number, choices)`` answers of a response."""
    where = _dimensions(response)
    rows = []
    for question, row, number, choices in answers:
        if question.kind not in COUNTED_KINDS:
            continue
        for option, c in answer_counts(
            question.kind, counted(question), row=row, number=number, choices=choices
        ):
            rows.append(
                {
                    **where,
                    "question_id": question.pk,
                    "option": option,
                    "n": sign * c.n,
                    "total": sign * c.total,
                    "total_sq": sign * c.total_sq,
                    "top": sign * c.top,
                    "bottom": sign * c.bottom,
                }
            )
    return rows


def record_response(
    response: Response,
    answers: Iterable[tuple[Question, str, int | None, Sequence[str] | None]],
    *,
    sign: int = 1,
) -> int:
    """Logs what a complete response's answers add (or, with -1, take away). Call it in
    the transaction that changes the response."""
    if response.status != ResponseStatus.COMPLETE:
        return 0
    rows = rows_for(response, answers, sign)
    fastinsert.insert_many(PendingScore, rows)
    return len(rows)


def record_written(
    response: Response, questions: Sequence[Question], cleaned: Mapping[int, Sequence[Any]]
) -> int:
    """The submission path: answers still in memory as ``{question id: [StoredValue]}``."""
    by_id = {q.pk: q for q in questions}
    return record_response(
        response,
        (
            (by_id[question_id], value.row, value.number, value.choices)
            for question_id, values in cleaned.items()
            for value in values
        ),
    )


def record_stored(response_ids: Iterable[int], *, sign: int = 1) -> int:
    """Logs what stored responses add (or take away, before a change or a deletion)."""
    ids = list(response_ids)
    written = 0
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        responses = {
            r.pk: r
            for r in Response.objects.filter(pk__in=chunk, status=ResponseStatus.COMPLETE).only(
                "pk",
                "status",
                "completed_at",
                "unit_id",
                "touchpoint_id",
                "channel_id",
                "segment",
                "lifecycle_stage",
            )
        }
        answers: dict[int, list[tuple[Question, str, int | None, list[str] | None]]] = {}
        for answer in (
            Answer.objects.filter(response_id__in=responses, question__kind__in=COUNTED_KINDS)
            .select_related("question")
            .order_by()
        ):
            answers.setdefault(answer.response_id, []).append(
                (answer.question, answer.row, answer.number, answer.choices)
            )
        rows = [
            row
            for response_id, response in responses.items()
            for row in rows_for(response, answers.get(response_id, []), sign)
        ]
        fastinsert.insert_many(PendingScore, rows)
        written += len(rows)
    return written
