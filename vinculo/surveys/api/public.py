"""The widget's endpoints under /api/v1/public/: no sign-in, no API key, any origin.

``GET /surveys/{slug}`` gives a live survey with a public link, localized (texts, options,
scale labels, the widget's own words), its display conditions and skip rules as the widget
evaluates them, and a fresh, signed idempotency key. ``POST /surveys/{slug}/responses``
stores a whole response through ``submission.submit_all`` (collector "widget"): 201, or 200
with the same id when the same key comes again. ``OPTIONS`` answers the CORS preflight.

These are called by scripts on other companies' pages, so every answer, errors included,
carries CORS headers (origins from SURVEY_WIDGET_ORIGINS, every origin by default). No
cookie or credential is ever read or allowed (the widget fetches with ``credentials:
"omit"`` and we never send ``Access-Control-Allow-Credentials``): a request carries no
ambient authority, so a forged one can do nothing its sender could not do directly, and
there is no CSRF to guard against. Idempotency keys are signed by the definition endpoint
and stored with a ``widget:`` prefix, so a caller cannot choose a key that another path
(the API, agent entry) will use.
"""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.responses import Status

from vinculo.customers.models import Customer
from vinculo.lib.ratelimit import client_ip, hit
from vinculo.surveys import respondents
from vinculo.surveys.choices import Collector, SurveyStatus
from vinculo.surveys.logic import pipe
from vinculo.surveys.models import Survey
from vinculo.surveys.presentation import refusal, text_in
from vinculo.surveys.questions import describe
from vinculo.surveys.submission import (
    AnswersInvalid,
    Respondent,
    SubmissionRefused,
    questions_of,
    submit_all,
)
from vinculo.surveys.tokens import BadToken, unit_from_token
from vinculo.surveys.views.widget import thank_you, widget_context, widget_definition
from vinculo.surveys.widgetauth import IdentityTokenInvalid, customer_from_identity_token

router = Router(tags=["widget"])

KEY_SALT = "vinculo.surveys.widget-key"
KEY_PREFIX = "widget:"
SURVEY_PATH = "/surveys/{slug}"
RESPONSES_PATH = "/surveys/{slug}/responses"


class PublicRefusal(Exception):
    """An answer other than success: status, a code for programs, a sentence for people."""

    def __init__(
        self, status: int, code: str, detail: str, errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(code)
        self.status, self.code, self.detail, self.errors = status, code, detail, errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "detail": self.detail}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def allowed_origins() -> list[str]:
    origins: list[str] = getattr(settings, "SURVEY_WIDGET_ORIGINS", ["*"])
    return origins


def origin_allowed(request: HttpRequest) -> bool:
    """Any origin with the default "*"; else only those listed (and non-browser clients)."""
    origins = allowed_origins()
    origin = request.headers.get("Origin")
    return "*" in origins or origin is None or origin in origins


def _add_cors(request: HttpRequest, response: HttpResponseBase) -> None:
    if "*" in allowed_origins():
        response["Access-Control-Allow-Origin"] = "*"
    else:
        patch_vary_headers(response, ["Origin"])
        if origin_allowed(request) and request.headers.get("Origin"):
            response["Access-Control-Allow-Origin"] = request.headers["Origin"]
    response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type, Accept, Accept-Language"
    response["Access-Control-Max-Age"] = "86400"


def public_answer(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wraps a whole operation (parsing and errors included): refusals become JSON, and
    every answer gets CORS headers and ``no-store`` (definitions carry a one-use key)."""

    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = run(request, *args, **kwargs)
        except PublicRefusal as refused:
            response = JsonResponse(refused.body(), status=refused.status)
        _add_cors(request, response)
        patch_cache_control(response, no_store=True)
        return response

    return wrapped


# --- schemas ----------------------------------------------------------------------------


class RefusalOut(Schema):
    code: str
    detail: str


class AnswerErrorOut(Schema):
    question: str = Field(description="The question's key.")
    code: str
    message: str = Field(description="A sentence naming the question, in the language asked.")


class InvalidAnswersOut(RefusalOut):
    errors: list[AnswerErrorOut]


class ChoiceOut(Schema):
    value: str
    label: str


class RowOut(Schema):
    code: str
    label: str


class QuestionOut(Schema):
    key: str
    kind: str
    page: int
    required: bool
    text: str
    help_text: str
    choices: list[ChoiceOut] = Field(description="Scale points, options, or yes and no.")
    rows: list[RowOut] = Field(description="A matrix's statements; its scale is ``choices``.")
    low_label: str
    high_label: str
    style: str
    input_type: str
    max_length: int | None
    max_choices: int | None
    show_if: dict[str, Any] | None = Field(
        description="A logic.py condition; parts about the customer are already decided "
        'as {"const": true|false}.'
    )
    required_message: str


class SkipRuleOut(Schema):
    after_page: int
    when: dict[str, Any]
    goto: int | str


class LanguageOut(Schema):
    code: str
    name: str


class WidgetSurveyOut(Schema):
    slug: str
    language: str
    languages: list[LanguageOut]
    title: str
    intro: str
    thank_you: str
    idempotency_key: str = Field(description="Send it back with the answers; one per response.")
    pages: list[int]
    skip_rules: list[SkipRuleOut]
    questions: list[QuestionOut]
    labels: dict[str, str] = Field(description="The widget's own words, in the language.")


class DefinitionQuery(Schema):
    lang: str | None = Field(None, max_length=16, description="Wanted language, e.g. es.")
    identity: str | None = Field(None, max_length=300, description="A widget identity token.")
    unit: str | None = Field(None, max_length=100, description="A signed unit token (QR).")


class WidgetSubmitIn(Schema):
    idempotency_key: str = Field(max_length=200, description="As the definition gave it.")
    answers: dict[str, Any] = Field(description="Question key → answer.")
    language: str | None = Field(None, max_length=16)
    identity: str | None = Field(None, max_length=300, description="A widget identity token.")
    unit: str | None = Field(None, max_length=100, description="A signed unit token (QR).")
    page_url: str | None = Field(None, max_length=2000, description="Where it was answered.")


class WidgetSubmitOut(Schema):
    id: int
    replayed: bool
    thank_you: str


# --- helpers ----------------------------------------------------------------------------


def new_key() -> str:
    """A one-use idempotency key, signed so that only keys we handed out are accepted."""
    return signing.Signer(salt=KEY_SALT).sign(uuid.uuid4().hex)


def stored_key(signed: str, language: str) -> str:
    try:
        return KEY_PREFIX + signing.Signer(salt=KEY_SALT).unsign(signed)
    except signing.BadSignature:
        raise _refused("bad_form", language) from None


def _refused(code: str, language: str) -> PublicRefusal:
    """The respondent pages' refusal for ``code``, as JSON, in ``language``."""
    known = refusal(code)
    with translation.override(language):
        return PublicRefusal(known.status, code, f"{known.title}. {known.text}")


def _browser(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE


def _hint(requested: str | None, request: HttpRequest) -> str:
    """The language for refusals given before the survey (and its languages) is known."""
    codes = {code for code, _name in settings.LANGUAGES}
    for candidate in (requested, _browser(request)):
        base = (candidate or "").split("-")[0].lower()
        if base in codes:
            return base
    return str(settings.LANGUAGE_CODE)


def open_survey(slug: str, language: str) -> Survey:
    """The live survey with an open public link; a refusal (404, 410) otherwise."""
    survey = (
        Survey.objects.select_related("current_version", "unit", "touchpoint")
        .filter(slug=slug)
        .first()
    )
    if survey is None or survey.current_version is None:
        raise _refused("not_found", language)
    if not survey.public_link:
        raise _refused("invitation_only", language)
    if survey.status == SurveyStatus.CLOSED:
        raise _refused("survey_closed", language)
    if survey.status != SurveyStatus.LIVE:
        raise _refused("not_found", language)
    return survey


def identified(token: str | None, language: str) -> Customer | None:
    """The customer a widget identity token names; a 400 for a bad or expired token."""
    if not token:
        return None
    try:
        return customer_from_identity_token(token)
    except IdentityTokenInvalid as error:
        with translation.override(language):
            messages = {
                "tampered": _(
                    "The identity token is not valid: it was changed or is not one of ours."
                ),
                "expired": _(
                    "The identity token has expired: the site must ask Vínculo for a new one."
                ),
                "unknown": _("The identity token names a customer who no longer exists."),
            }
            raise PublicRefusal(400, f"identity_{error.code}", messages[error.code]) from None


def respondent_for(
    request: HttpRequest,
    survey: Survey,
    *,
    lang: str | None,
    identity: str | None,
    unit: str | None,
) -> Respondent:
    """Who answers, where and in which language, from the widget's attributes."""
    customer = identified(identity, _hint(lang, request))
    language = respondents.choose_language(
        survey, requested=lang, customer=customer, browser=_browser(request)
    )
    try:
        where = unit_from_token(unit) if unit else survey.unit
    except BadToken:
        raise _refused("bad_qr", language) from None
    assert survey.current_version is not None  # open_survey checked it
    return Respondent(
        survey=survey,
        version=survey.current_version,
        unit=where,
        collector=Collector.WIDGET,
        language=language,
        touchpoint=survey.touchpoint,
        customer=customer,
    )


def invalid_answers(error: AnswersInvalid, who: Respondent) -> PublicRefusal:
    """422 listing each refused answer with a sentence naming its question."""
    questions = questions_of(who.version)
    context = widget_context(who, questions, keep_answers=False)
    fallback = who.survey.default_language
    texts = {q.key: pipe(text_in(q.text, who.language, fallback), context) for q in questions}
    with translation.override(who.language):
        errors = [
            {"question": e.key, "code": e.code, "message": describe(e, texts.get(e.key, e.key))}
            for e in error.errors
        ]
        many = len(errors) > 1
        detail = _("Some answers need a look.") if many else _("One answer needs a look.")
    return PublicRefusal(422, "invalid_answers", detail, errors)


def rate_limited(request: HttpRequest) -> bool:
    """True once this address sent more than SURVEY_SUBMIT_RATE_LIMIT responses a minute."""
    limit = int(getattr(settings, "SURVEY_SUBMIT_RATE_LIMIT", 120))
    bucket = f"survey-widget:{client_ip(request)}"
    return bool(limit) and not hit(bucket, limit=limit, window_seconds=60)


# --- operations -------------------------------------------------------------------------

REFUSALS = {400: RefusalOut, 403: RefusalOut, 404: RefusalOut, 409: RefusalOut, 410: RefusalOut}


@router.get(
    SURVEY_PATH,
    auth=None,
    response={200: WidgetSurveyOut, 422: InvalidAnswersOut, **REFUSALS},
    url_name="widget_survey",
)
@decorate_view(public_answer)
def survey_definition(
    request: HttpRequest, slug: str, params: Query[DefinitionQuery]
) -> dict[str, Any]:
    """A live survey with a public link, as the widget shows it, in the language asked
    (``lang``, else the customer's, else Accept-Language, else the survey's default)."""
    survey = open_survey(slug, _hint(params.lang, request))
    who = respondent_for(
        request, survey, lang=params.lang, identity=params.identity, unit=params.unit
    )
    return widget_definition(who, questions_of(who.version), key=new_key())


@router.post(
    RESPONSES_PATH,
    auth=None,
    response={
        200: WidgetSubmitOut,
        201: WidgetSubmitOut,
        422: InvalidAnswersOut,
        429: RefusalOut,
        **REFUSALS,
    },
    url_name="widget_responses",
)
@decorate_view(public_answer)
def submit_response(request: HttpRequest, slug: str, payload: WidgetSubmitIn) -> Status[Any]:
    """Stores a whole response (collector "widget"). Hidden questions are ignored; errors
    name their question in the response's language. The same key again answers 200 with
    the same id. ``page_url`` is accepted for the future and not stored yet."""
    hint = _hint(payload.language, request)
    if not origin_allowed(request):
        with translation.override(hint):
            detail = _("This site may not show this survey.")
        raise PublicRefusal(403, "origin_not_allowed", detail)
    if rate_limited(request):
        raise _refused("too_many", hint)
    survey = open_survey(slug, hint)
    who = respondent_for(
        request, survey, lang=payload.language, identity=payload.identity, unit=payload.unit
    )
    key = stored_key(payload.idempotency_key, who.language)
    try:
        outcome = submit_all(respondent=who, idempotency_key=key, raw=payload.answers)
    except AnswersInvalid as error:
        raise invalid_answers(error, who) from None
    except SubmissionRefused as refused:
        raise _refused(refused.code, who.language) from None
    thanks = thank_you(who, widget_context(who, [], keep_answers=False))
    out = {"id": outcome.response.pk, "replayed": outcome.replayed, "thank_you": thanks}
    return Status(200 if outcome.replayed else 201, out)


@router.api_operation(["OPTIONS"], SURVEY_PATH, auth=None, include_in_schema=False)
@decorate_view(public_answer)
def survey_preflight(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(status=204)


@router.api_operation(["OPTIONS"], RESPONSES_PATH, auth=None, include_in_schema=False)
@decorate_view(public_answer)
def responses_preflight(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(status=204)
