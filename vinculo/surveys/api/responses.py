"""Reading responses over the API (/api/v1/surveys/responses): the list with the filters of
the responses page, one response with typed answers, and the CSV/XLSX export.

``responses.view`` reads, ``responses.export`` exports; both only see the responses given in
the caller's units (the whole company for company-wide keys and people). A response
elsewhere answers 404, like one that does not exist.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from vinculo.accounts.actors import Actor
from vinculo.accounts.permissions import Perm
from vinculo.lib.apiedge import (
    ErrorOut,
    PageQuery,
    ValidationErrorOut,
    field_error,
    invalid,
    not_found,
    page,
    require,
    unit_in_scope,
)
from vinculo.surveys import exports
from vinculo.surveys.caches import questions_of
from vinculo.surveys.choices import Collector, ResponseStatus
from vinculo.surveys.corrections import correct_response, delete_response
from vinculo.surveys.forms import score_range
from vinculo.surveys.models import Response, Survey
from vinculo.surveys.queries import (
    ResponseFilter,
    filtered_responses,
    text_in,
    visible_response,
    with_scores,
)
from vinculo.surveys.questions import describe
from vinculo.surveys.submission import AnswersInvalid, SubmissionRefused

router = Router(tags=["surveys"])


class ResponseFilters(Schema):
    survey: int | None = Field(None, description="Survey id.")
    unit: str | None = Field(None, description="Unit code: that unit and every unit below it.")
    status: ResponseStatus | None = None
    collector: Collector | None = None
    channel: str | None = Field(None, description="Channel code, e.g. web, store.")
    since: date | None = Field(
        None, description="Answered (completed; started, if in progress) on or after this day."
    )
    until: date | None = Field(None, description="Answered on or before this day.")
    nps_group: Literal["promoter", "passive", "detractor"] | None = Field(
        None, description="By the NPS (or eNPS) answer: 9-10, 7-8, 0-6."
    )
    customer: Literal["known", "anonymous"] | None = None
    q: str | None = Field(None, max_length=200, description="Text found in a text answer.")
    touchpoint: int | None = Field(None, description="Touchpoint id.")
    segment: str | None = Field(None, max_length=60, description="Segment when answering.")
    lifecycle: str | None = Field(None, max_length=20, description="Stage when answering.")
    score: str | None = Field(
        None,
        pattern=r"^(nps|enps|csat|ces|rating):\d{1,2}-\d{1,2}$",
        description="A score range of one measure, e.g. csat:1-2 (the dissatisfied).",
    )


class ResponseListQuery(PageQuery, ResponseFilters):
    pass


class ExportQuery(ResponseFilters):
    survey: int = Field(description="The survey to export (one survey per file).")
    format: Literal["csv", "xlsx"] = "csv"
    sep: Literal["comma", "semicolon"] = Field("comma", description="CSV separator.")


class ResponseSummaryOut(Schema):
    id: int
    survey: int
    survey_name: str
    version: int
    status: ResponseStatus
    unit: str
    unit_name: str
    touchpoint: int | None
    channel: str
    collector: Collector
    language: str
    customer: int | None
    invitation: int | None
    started_at: datetime
    completed_at: datetime | None
    scores: dict[str, int] = Field(description="NPS, CSAT, CES and ratings by question key.")


class AnswerOut(Schema):
    question: str = Field(description="The question's key.")
    kind: str
    row: str = Field(description="The statement of a matrix; empty otherwise.")
    number: int | None
    text: str
    choices: list[str] | None
    date: date | None


class ResponseOut(ResponseSummaryOut):
    invitation_status: str | None
    answers: list[AnswerOut]


class ResponsePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ResponseSummaryOut]


def _filter(actor: Actor, params: ResponseFilters) -> ResponseFilter:
    unit = unit_in_scope(actor, params.unit, ("query", "unit")) if params.unit else None
    return ResponseFilter(
        survey_id=params.survey,
        unit=unit,
        status=params.status or "",
        collector=params.collector or "",
        channel=params.channel or "",
        since=params.since,
        until=params.until,
        nps_group=params.nps_group or "",
        customer=params.customer or "",
        text=params.q or "",
        touchpoint_id=params.touchpoint,
        segment=params.segment or "",
        lifecycle=params.lifecycle or "",
        score=score_range(params.score or ""),
    )


def _summary(response: Response) -> dict[str, Any]:
    return {
        "id": response.pk,
        "survey": response.survey_id,
        "survey_name": response.survey.name,
        "version": response.version.number,
        "status": response.status,
        "unit": response.unit.code,
        "unit_name": response.unit.name,
        "touchpoint": response.touchpoint_id,
        "channel": response.channel.code,
        "collector": response.collector,
        "language": response.language,
        "customer": response.customer_id,
        "invitation": response.invitation_id,
        "started_at": response.started_at,
        "completed_at": response.completed_at,
        "scores": getattr(response, "scores", {}),
    }


@router.get(
    "/responses",
    response={200: ResponsePage, 403: ErrorOut, 422: ValidationErrorOut},
    url_name="survey_responses",
)
def list_responses(request: HttpRequest, params: Query[ResponseListQuery]) -> dict[str, Any]:
    """Responses given in your units, newest first, with their headline scores."""
    actor = require(request, Perm.VIEW_RESPONSES)
    listed = page(filtered_responses(actor, _filter(actor, params)), params)
    listed["items"] = [_summary(r) for r in with_scores(listed["items"])]
    return listed


@router.get(
    "/responses/export",
    response={403: ErrorOut, 422: ValidationErrorOut},
    url_name="survey_responses_export",
)
def export_responses(request: HttpRequest, params: Query[ExportQuery]) -> HttpResponseBase:
    """The filtered responses of one survey as CSV (streamed, UTF-8 with BOM) or XLSX: one
    row per response, one column per question, codes and ``_label`` columns in the language
    of the request (``Accept-Language``)."""
    actor = require(request, Perm.EXPORT_RESPONSES)
    survey = Survey.objects.filter(pk=params.survey).first()
    if survey is None:
        raise invalid(("query", "survey"), "unknown_survey", _("No survey with this id."))
    rows = filtered_responses(actor, _filter(actor, params))
    language = get_language() or survey.default_language
    if params.format == "xlsx":
        return exports.xlsx_response(survey, rows, language)
    return exports.csv_response(survey, rows, language, params.sep)


@router.get(
    "/responses/{int:response_id}",
    response={200: ResponseOut, 403: ErrorOut, 404: ErrorOut},
    url_name="survey_response",
)
def get_response(request: HttpRequest, response_id: int) -> dict[str, Any]:
    """One response with every answer, typed: ``number`` for scores, ratings and yes/no
    (1/0), ``text`` for text, ``choices`` (option codes, in order for a ranking), ``date``;
    a matrix gives one answer per statement (``row``)."""
    actor = require(request, Perm.VIEW_RESPONSES)
    response = visible_response(actor, response_id)
    if response is None:
        raise not_found()
    [response] = with_scores([response])
    answers = sorted(response.answers.all(), key=lambda a: (a.question.position, a.row))
    invitation = response.invitation
    return {
        **_summary(response),
        "invitation_status": invitation.status if invitation else None,
        "answers": [
            {
                "question": a.question.key,
                "kind": a.question.kind,
                "row": a.row,
                "number": a.number,
                "text": a.text,
                "choices": a.choices,
                "date": a.date,
            }
            for a in answers
        ],
    }


class CorrectionIn(Schema):
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Question key → new value, as the submission API takes them; an empty "
        "value removes an optional answer. Keys not given keep their answers.",
    )
    unit: str | None = Field(None, description="Unit code, to file the response elsewhere.")
    reason: str = Field("", max_length=500, description="Why: kept in the audit.")


def _invalid_answers(error: AnswersInvalid, response: Response) -> ValidationError:
    language = get_language() or response.survey.default_language
    texts = {
        q.key: text_in(q.text, language, response.survey.default_language)
        for q in questions_of(response.version)
    }
    return ValidationError(
        [
            field_error(("body", "answers", e.key), e.code, describe(e, texts.get(e.key, e.key)))
            for e in error.errors
        ]
    )


@router.patch(
    "/responses/{int:response_id}",
    response={
        200: ResponseOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ValidationErrorOut,
    },
    url_name="survey_response_correct",
)
def correct(request: HttpRequest, response_id: int, payload: CorrectionIn) -> dict[str, Any]:
    """Corrects answers of a complete response (an interviewer's typo) or the unit it is
    filed under; the metrics and the customer's timeline follow, and the audit keeps the
    response as it was. ``responses.manage``."""
    actor = require(request, Perm.MANAGE_RESPONSES)
    response = visible_response(actor, response_id)
    if response is None:
        raise not_found()
    unit = unit_in_scope(actor, payload.unit, ("body", "unit")) if payload.unit else None
    try:
        correct_response(
            actor=actor,
            response_id=response.pk,
            answers=payload.answers,
            unit=unit,
            reason=payload.reason,
        )
    except AnswersInvalid as error:
        raise _invalid_answers(error, response) from None
    except SubmissionRefused:
        raise HttpError(
            409, _("This response is not complete yet: it cannot be corrected.")
        ) from None
    return get_response(request, response_id)


class DeletionQuery(Schema):
    reason: str = Field(min_length=3, max_length=500, description="Why: kept in the audit.")


@router.delete(
    "/responses/{int:response_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    url_name="survey_response_delete",
)
def delete(request: HttpRequest, response_id: int, params: Query[DeletionQuery]) -> HttpResponse:
    """Deletes a response (a test, a fraud): it leaves the metrics and the timeline; the
    audit keeps what it said and why it went. ``responses.manage``; ``reason`` required."""
    actor = require(request, Perm.MANAGE_RESPONSES)
    response = visible_response(actor, response_id)
    if response is None:
        raise not_found()
    delete_response(actor=actor, response_id=response.pk, reason=params.reason)
    return HttpResponse(status=204)
