"""Correcting and deleting stored responses: an agent's typo in an interview, an answer
filed under the wrong store, a test or fraudulent response.

Each change is checked like a submission, written in one transaction with what it takes
from and gives to the metrics (``metrics.rollups``), the customer's timeline and an audit
row (``ResponseChange``) that keeps the response as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.metrics import rollups
from vinculo.surveys.caches import questions_of
from vinculo.surveys.choices import ResponseStatus
from vinculo.surveys.events import refresh_response_on_timeline, remove_response_from_timeline
from vinculo.surveys.models import Answer, Response, ResponseChange
from vinculo.surveys.questions import AnswerError, StoredValue, clean_answer
from vinculo.surveys.submission import AnswersInvalid, SubmissionRefused, write_answers


def snapshot(response: Response) -> dict[str, Any]:
    """The response as the audit keeps it: where, when, and every answer by question key."""
    answers: dict[str, Any] = {}
    for answer in response.answers.select_related("question").order_by("question__position"):
        value = answer.number if answer.number is not None else answer.choices or answer.text
        if answer.date is not None:
            value = answer.date.isoformat()
        key = f"{answer.question.key}.{answer.row}" if answer.row else answer.question.key
        answers[key] = value
    return {
        "unit": response.unit_id,
        "touchpoint": response.touchpoint_id,
        "channel": response.channel_id,
        "customer": response.customer_id,
        "completed_at": response.completed_at.isoformat() if response.completed_at else None,
        "answers": answers,
    }


def _audit(actor: Actor, response: Response, kind: str, reason: str) -> None:
    ResponseChange.objects.create(
        response_ref=response.pk,
        survey_id=response.survey_id,
        kind=kind,
        actor_id=actor.user_id,
        actor_label=actor.label,
        reason=reason,
        before=snapshot(response),
    )


def _locked_complete(response_id: int) -> Response:
    response = Response.objects.select_for_update().get(pk=response_id)
    if response.status != ResponseStatus.COMPLETE:
        raise SubmissionRefused("in_progress")
    return response


@transaction.atomic
def correct_response(
    *,
    actor: Actor,
    response_id: int,
    answers: Mapping[str, Any],
    unit: Unit | None = None,
    reason: str = "",
) -> Response:
    """Replaces the answers named in ``answers`` (question key → raw value, as the API
    takes them; an empty value removes an optional answer) and, if given, the unit.

    Raises ``AnswersInvalid`` (nothing written) when a value does not fit its question.
    """
    response = _locked_complete(response_id)
    by_key = {q.key: q for q in questions_of(response.version)}
    errors: list[AnswerError] = []
    cleaned: dict[int, list[StoredValue]] = {}
    for key, raw in answers.items():
        question = by_key.get(str(key))
        if question is None:
            errors.append(AnswerError(str(key), "unknown_question"))
            continue
        try:
            cleaned[question.pk] = clean_answer(question, raw)
        except AnswerError as error:
            errors.append(error)
    if errors:
        raise AnswersInvalid(errors)
    _audit(actor, response, ResponseChange.Kind.CORRECTED, reason)
    rollups.record_stored([response.pk], sign=-1)
    Answer.objects.filter(response=response, question_id__in=cleaned).delete()
    write_answers(response, cleaned)
    if unit is not None and unit.pk != response.unit_id:
        response.unit = unit
    response.save(update_fields=["unit", "updated_at"])
    rollups.record_stored([response.pk], sign=1)
    refresh_response_on_timeline(response)
    return response


@transaction.atomic
def delete_response(*, actor: Actor, response_id: int, reason: str) -> None:
    """Deletes a response and its answers; the metrics and the timeline forget it, the
    audit keeps what it said."""
    response = Response.objects.select_for_update().get(pk=response_id)
    _audit(actor, response, ResponseChange.Kind.DELETED, reason)
    rollups.record_stored([response.pk], sign=-1)
    remove_response_from_timeline(response.pk)
    response.delete()
