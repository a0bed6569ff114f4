"""Responses from other systems, and the widget's identity tokens, under /api/v1/surveys/.

``POST /{id}/responses`` takes a whole response from a call centre's IVR, a CRM or any
system that interviews customers (API key or session with the permission to enter
responses). The customer is named by id or by identities (resolved like every other
write: the owner, or a new prospect); the unit must be within the caller's units. The
caller's ``idempotency_key`` makes retries safe: the same key answers 200 with the same
response. Keys are stored with an ``api:`` prefix, so they never meet the widget's or
agent entry's keys.

``POST /widget-identity`` is called by a company's server for its signed-in customer and
returns a short-lived token for the widget's ``data-identity`` (see ``widgetauth.py``).
"""

from datetime import datetime, timedelta
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import Perm
from vinculo.customers.models import Customer
from vinculo.customers.queries import visible_customers
from vinculo.customers.schemas import ConflictOut, IdentitiesIn, identity_conflict, identity_map
from vinculo.customers.services import CustomerOutsideScope, IdentityConflict
from vinculo.journeys.models import Channel, Touchpoint
from vinculo.lib.apiedge import (
    ErrorOut,
    ValidationErrorOut,
    field_error,
    invalid,
    not_found,
    raise_if_any,
    require,
    unit_in_scope,
)
from vinculo.surveys.choices import Collector, SurveyStatus
from vinculo.surveys.logic import pipe
from vinculo.surveys.models import Response, Survey
from vinculo.surveys.presentation import pipe_context, text_in
from vinculo.surveys.queries import visible_surveys
from vinculo.surveys.questions import describe
from vinculo.surveys.submission import (
    AnswersInvalid,
    Respondent,
    SubmissionRefused,
    questions_of,
)
from vinculo.surveys.widgetauth import MAX_TTL_MINUTES, issue_identity_token, submit_as

router = Router(tags=["surveys"])

KEY_PREFIX = "api:"
CLOCK_SKEW = timedelta(minutes=5)  # a caller's clock may run a little ahead of ours


class CustomerRef(Schema):
    id: int | None = Field(None, description="A customer id you may see.")
    identities: IdentitiesIn | None = Field(None, description="Resolved to their owner.")


class ResponseSubmitIn(Schema):
    idempotency_key: str = Field(
        min_length=1,
        max_length=76,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="Yours, unique per response (e.g. the call id): a retry stores nothing.",
    )
    answers: dict[str, Any] = Field(description="Question key → answer.")
    customer: CustomerRef | None = Field(None, description="Empty for an anonymous answer.")
    unit: str | int | None = Field(
        None, description="Unit code or id within your units; the survey's unit by default."
    )
    touchpoint: int | None = Field(None, description="Touchpoint id; the survey's by default.")
    channel: str | None = Field(None, description="Channel code; the collector's by default.")
    collector: Literal["api", "phone", "in_person"] = "api"
    language: str | None = Field(None, description="One of the survey's languages.")
    started_at: datetime | None = None
    completed_at: datetime | None = Field(None, description="When the interview ended.")


class ResponseSubmitOut(Schema):
    id: int
    survey: int
    status: str
    customer: int | None
    unit: str
    collector: str
    channel: str
    language: str
    started_at: datetime
    completed_at: datetime | None
    replayed: bool


class WidgetIdentityIn(Schema):
    identities: IdentitiesIn
    ttl_minutes: int = Field(60, ge=1, le=MAX_TTL_MINUTES, description="Token lifetime.")
    home_unit: str | None = Field(
        None, description="Unit code for a new prospect; required for unit-limited keys."
    )
    name: str | None = Field(None, max_length=200, description="For a new prospect only.")


class WidgetIdentityOut(Schema):
    token: str = Field(description="Put it in the widget's script tag as data-identity.")
    customer_id: int
    created: bool
    expires_at: datetime


# --- reading the request ----------------------------------------------------------------


def _unit(actor: Actor, survey: Survey, given: str | int | None) -> Unit:
    if given is None:
        if not actor.sees_unit(survey.unit_id):
            message = _("Give the unit the answer belongs to: one within your units.")
            raise invalid(("body", "unit"), "unit_required", message)
        return survey.unit
    if isinstance(given, int):
        unit = Unit.objects.filter(pk=given).first()
        if unit is None or not actor.sees_unit(unit.pk):
            message = _("No unit with this code within your scope.")
            raise invalid(("body", "unit"), "unknown_unit", message)
        return unit
    return unit_in_scope(actor, given, ("body", "unit"))


def _customer(actor: Actor, ref: CustomerRef | None) -> tuple[Customer | None, dict[str, str]]:
    """The customer named by id (404 if not yours to see), or the identities to resolve."""
    if ref is None:
        return None, {}
    if ref.id is not None and ref.identities:
        message = _("Name the customer by id or by identities, not both.")
        raise invalid(("body", "customer"), "id_and_identities", message)
    if ref.identities:
        return None, identity_map(ref.identities, ("body", "customer", "identities"))
    if ref.id is None:
        return None, {}
    customer = visible_customers(actor).filter(pk=ref.id).first()
    if customer is None:
        raise not_found()
    return customer, {}


def _details(payload: ResponseSubmitIn, survey: Survey) -> dict[str, Any]:
    """Touchpoint, channel, language and times, checked: a 422 naming each bad field."""
    errors: list[dict[str, Any]] = []
    touchpoint = survey.touchpoint
    if payload.touchpoint is not None:
        touchpoint = Touchpoint.objects.filter(pk=payload.touchpoint).first()
        if touchpoint is None:
            message = _("No touchpoint with this id.")
            errors.append(field_error(("body", "touchpoint"), "unknown_touchpoint", message))
    if payload.channel and not Channel.objects.filter(code=payload.channel).exists():
        message = _("No channel with this code.")
        errors.append(field_error(("body", "channel"), "unknown_channel", message))
    language = payload.language or survey.default_language
    if language not in survey.languages:
        message = _("The survey is not in this language.")
        errors.append(field_error(("body", "language"), "unknown_language", message))
    started, completed = (_aware(t) for t in (payload.started_at, payload.completed_at))
    if completed is not None and completed > timezone.now() + CLOCK_SKEW:
        message = _("This time is in the future.")
        errors.append(field_error(("body", "completed_at"), "in_future", message))
    if started is not None and completed is not None and started > completed:
        message = _("An interview cannot end before it starts.")
        errors.append(field_error(("body", "started_at"), "after_completed", message))
    raise_if_any(errors)
    return {
        "touchpoint": touchpoint,
        "channel_code": payload.channel or "",
        "language": language,
        "started_at": started,
        "completed_at": completed,
    }


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)


def _open(survey: Survey) -> None:
    if survey.status == SurveyStatus.LIVE and survey.current_version_id is not None:
        return
    if survey.status == SurveyStatus.CLOSED:
        raise HttpError(409, _("This survey is closed: it takes no more answers."))
    raise HttpError(409, _("This survey is not published yet."))


def answers_invalid(error: AnswersInvalid, who: Respondent) -> ValidationError:
    """A 422 with one error per refused answer, each at ``answers.<key>``."""
    language = get_language() or who.survey.default_language
    fallback = who.survey.default_language
    questions = questions_of(who.version)
    context = pipe_context(
        unit=who.unit,
        customer=who.customer,
        touchpoint=who.touchpoint,
        answers={},
        questions=questions,
        language=language,
        fallback=fallback,
    )
    texts = {q.key: pipe(text_in(q.text, language, fallback), context) for q in questions}
    return ValidationError(
        [
            field_error(("body", "answers", e.key), e.code, describe(e, texts.get(e.key, e.key)))
            for e in error.errors
        ]
    )


def _out(response: Response, replayed: bool) -> dict[str, Any]:
    return {
        "id": response.pk,
        "survey": response.survey_id,
        "status": response.status,
        "customer": response.customer_id,
        "unit": response.unit.code,
        "collector": response.collector,
        "channel": response.channel.code,
        "language": response.language,
        "started_at": response.started_at,
        "completed_at": response.completed_at,
        "replayed": replayed,
    }


# --- operations -------------------------------------------------------------------------


@router.post(
    "/{int:survey_id}/responses",
    response={
        200: ResponseSubmitOut,
        201: ResponseSubmitOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ValidationErrorOut,
    },
    url_name="survey_submit_response",
)
def submit_response(request: HttpRequest, survey_id: int, payload: ResponseSubmitIn) -> Status[Any]:
    """Stores a whole response from another system: 201, or 200 with the same response when
    the idempotency key was seen before. Invalid answers give a 422 naming ``answers.<key>``;
    a closed survey a 409. Hidden questions (display logic) are ignored."""
    actor = require(request, Perm.ENTER_RESPONSES)
    survey = visible_surveys(actor).filter(pk=survey_id).first()
    if survey is None:
        raise not_found()
    _open(survey)
    customer, identities = _customer(actor, payload.customer)
    details = _details(payload, survey)
    completed_at = details.pop("completed_at")
    started_at = details.pop("started_at")
    who = Respondent(
        survey=survey,
        version=survey.current_version,  # type: ignore[arg-type]  # _open checked it
        unit=_unit(actor, survey, payload.unit),
        collector=Collector(payload.collector),
        customer=customer,
        entered_by_id=actor.user_id,
        **details,
    )
    try:
        outcome = submit_as(
            actor=actor,
            respondent=who,
            idempotency_key=KEY_PREFIX + payload.idempotency_key,
            raw=payload.answers,
            identities=identities,
            started_at=started_at,
            completed_at=completed_at,
        )
    except AnswersInvalid as error:
        raise answers_invalid(error, who) from None
    except SubmissionRefused as refused:
        return Status(409, ConflictOut(detail=_refusal(refused.code), customer_ids=[]))
    except CustomerOutsideScope:
        raise not_found() from None
    except IdentityConflict as exc:
        return Status(409, identity_conflict(actor, exc.customer_ids))
    return Status(200 if outcome.replayed else 201, _out(outcome.response, outcome.replayed))


def _refusal(code: str) -> str:
    if code == "survey_closed":
        return _("This survey is closed: it takes no more answers.")
    if code == "key_reused":
        return _("This idempotency key was used for another survey.")
    return _("This response cannot be stored now.")


@router.post(
    "/widget-identity",
    response={
        200: WidgetIdentityOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ValidationErrorOut,
    },
    url_name="survey_widget_identity",
)
def widget_identity(request: HttpRequest, payload: WidgetIdentityIn) -> Status[Any]:
    """A signed token naming your signed-in customer, for the widget's ``data-identity``:
    call it from your server (never from the browser: it needs your API key). The customer
    is found by any identity, or created as a prospect."""
    actor = require(request, Perm.ENTER_RESPONSES)
    identities = identity_map(payload.identities, ("body", "identities"))
    home_unit = None
    if payload.home_unit:
        home_unit = unit_in_scope(actor, payload.home_unit, ("body", "home_unit")).pk
    elif actor.unit_ids is not None:
        message = _("Give the customer's home unit: you may only add customers in your units.")
        raise invalid(("body", "home_unit"), "home_unit_required", message)
    try:
        issued = issue_identity_token(
            actor=actor,
            identities=identities,
            ttl_minutes=payload.ttl_minutes,
            home_unit_id=home_unit,
            name=payload.name or "",
        )
    except CustomerOutsideScope:
        raise not_found() from None
    except IdentityConflict as exc:
        return Status(409, identity_conflict(actor, exc.customer_ids))
    out = {
        "token": issued.token,
        "customer_id": issued.customer.pk,
        "created": issued.created,
        "expires_at": issued.expires_at,
    }
    return Status(200, out)
