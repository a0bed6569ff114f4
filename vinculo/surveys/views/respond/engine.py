"""The respondent page engine: one pass through a survey, page by page, as plain forms.

Each POST stores one page through ``submission.answer_page`` and answers with the next
page (or the thank-you page) directly, so nothing lives in the browser beyond the form's
hidden fields: the idempotency key (a fresh uuid4 per response: double clicks and replays
store one response), the page number and the language. A QR code's unit token and the
preview flag stay in the address. Used by the public link and invitations (links.py)
and by the kiosk (views/kiosk.py).

A staff preview walks the draft through the same checks but stores nothing: its answers
so far travel in a signed hidden field (``respondents.PreviewState``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from vinculo.lib.ratelimit import client_ip, hit
from vinculo.surveys import respondents
from vinculo.surveys.answers import stored_answers
from vinculo.surveys.logic import Flow, flow_for, pipe
from vinculo.surveys.models import Question, Response
from vinculo.surveys.presentation import (
    expected_path,
    form_value,
    language_choices,
    page_values,
    pipe_context,
    present_page,
    read_form,
    refusal,
    text_in,
)
from vinculo.surveys.questions import AnswerError
from vinculo.surveys.submission import (
    AnswersInvalid,
    Respondent,
    SubmissionRefused,
    answer_page,
    questions_of,
)

KEY = re.compile(r"[A-Za-z0-9_-]{8,80}")
KIOSK_RESET_SECONDS = 8


@dataclass(frozen=True)
class Visit:
    """One pass through a survey as the respondent pages run it."""

    respondent: Respondent
    questions: list[Question]
    flow: Flow
    path: str  # the page's address; ``query`` holds what must stay in it (unit, preview)
    query: dict[str, str] = field(default_factory=dict)
    key: str = ""  # fixed for invitations; else read from (or made for) the form
    kiosk: bool = False
    preview: bool = False

    @classmethod
    def start(cls, respondent: Respondent, path: str, **options: Any) -> Visit:
        questions = questions_of(respondent.version)
        flow = flow_for(questions, respondent.version.skip_rules)
        return cls(respondent, questions, flow, path, **options)

    def url(self, **extra: str) -> str:
        query = {**self.query, **extra}
        return f"{self.path}?{urlencode(query, safe=':')}" if query else self.path

    def on_page(self, page: int) -> list[Question]:
        return [q for q in self.questions if q.page == page]

    def pipe_context(self, answers: dict[str, Any]) -> dict[str, Any]:
        who = self.respondent
        return pipe_context(
            unit=who.unit,
            customer=who.customer,
            touchpoint=who.touchpoint,
            answers=answers,
            questions=self.questions,
            language=who.language,
            fallback=who.survey.default_language,
        )


def rate_limited(request: HttpRequest) -> bool:
    """True once this address sent more than SURVEY_SUBMIT_RATE_LIMIT pages this minute."""
    limit = settings.SURVEY_SUBMIT_RATE_LIMIT
    bucket = f"survey-submit:{client_ip(request)}"
    return bool(limit) and not hit(bucket, limit=limit, window_seconds=60)


def show_refusal(request: HttpRequest, code: str, language: str, restart: str = "") -> HttpResponse:
    """The polite page for a refusal code, in the respondent's language."""
    message = refusal(code)
    context = {"language": language, "message": message, "restart": restart}
    with translation.override(language):
        return render(request, "surveys/respond/message.html", context, status=message.status)


def render_page(
    request: HttpRequest,
    visit: Visit,
    page: int,
    *,
    answers: dict[str, Any],
    raw: dict[str, Any],
    errors: list[AnswerError] | None = None,
    state: str = "",
) -> HttpResponse:
    """Draws one page; 422 when it comes back with errors."""
    who = visit.respondent
    language, fallback, version = who.language, who.survey.default_language, who.version
    with translation.override(language):
        context = visit.pipe_context(answers)
        shown = present_page(
            questions=visit.questions,
            flow=visit.flow,
            page=page,
            path=expected_path(visit.flow, visit.questions, answers, who.customer, page),
            answers=answers,
            customer=who.customer,
            raw=raw,
            errors=errors or [],
            language=language,
            fallback=fallback,
            context=context,
            autocomplete="off" if visit.kiosk else None,
        )
        hidden = [("_key", visit.key), ("_page", str(page)), ("_lang", language)]
        switch = shown.is_first or who.invitation is not None
        offered = who.survey.languages if switch else []
        languages = language_choices(offered, language, lambda code: visit.url(lang=code))
        return render(
            request,
            "surveys/respond/page.html",
            {
                "language": language,
                "title": text_in(version.title, language, fallback) or who.survey.name,
                "intro": text_in(version.intro, language, fallback),
                "page": shown,
                "action": visit.url(),
                "hidden": [*hidden, *([("_state", state)] if visit.preview else [])],
                "languages": languages,
                "kiosk": visit.kiosk,
                "preview": visit.preview,
                "kiosk_reset_url": visit.url() if visit.kiosk else "",
            },
            status=422 if errors else 200,
        )


def thanks(request: HttpRequest, visit: Visit) -> HttpResponse:
    who = visit.respondent
    language, fallback = who.language, who.survey.default_language
    with translation.override(language):
        text = text_in(who.version.thank_you, language, fallback)
        return render(
            request,
            "surveys/respond/thanks.html",
            {
                "language": language,
                "title": text_in(who.version.title, language, fallback),
                "text": pipe(text, visit.pipe_context({})),
                "kiosk": visit.kiosk,
                "preview": visit.preview,
                "restart": visit.url(),
                "reset_seconds": KIOSK_RESET_SECONDS,
            },
        )


def first_page(request: HttpRequest, visit: Visit) -> HttpResponse:
    """The first page of a new response, with its own fresh idempotency key."""
    visit = replace(visit, key=visit.key or respondents.new_idempotency_key())
    who = visit.respondent
    page = visit.flow.next_page(visit.questions, 0, {}, who.customer)
    if page is None:
        return show_refusal(request, "not_found", who.language)
    state = respondents.PreviewState({}, {}).dumps() if visit.preview else ""
    return render_page(request, visit, page, answers={}, raw={}, state=state)


def resume(request: HttpRequest, visit: Visit, response: Response | None) -> HttpResponse:
    """An invitation's response continues on the first page of its path not yet answered."""
    who = visit.respondent
    answers = stored_answers(response, visit.questions)
    trail = visit.flow.path(visit.questions, answers, who.customer)
    page = respondents.resume_page(trail, response.last_page if response is not None else 0)
    if page is None:
        return show_refusal(request, "not_found", who.language)
    return render_page(request, visit, page, answers=answers, raw=_as_form(visit, answers))


def _as_form(visit: Visit, answers: dict[str, Any]) -> dict[str, Any]:
    kinds = {q.key: q.kind for q in visit.questions}
    return {key: form_value(kinds[key], value) for key, value in answers.items() if key in kinds}


def _stored(visit: Visit) -> dict[str, Any]:
    """The answers stored so far for this visit's response, as logic values."""
    who = visit.respondent
    responses = Response.objects.filter(survey=who.survey)
    if who.invitation is not None:
        response = responses.filter(invitation=who.invitation).first()
    else:
        response = responses.filter(idempotency_key=visit.key).first()
    return stored_answers(response, visit.questions)


def submit(request: HttpRequest, visit: Visit) -> HttpResponse:
    """Stores the posted page and shows the next one, the thank-you page, or the errors."""
    who = visit.respondent
    if rate_limited(request):
        return show_refusal(request, "too_many", who.language)
    key = visit.key or request.POST.get("_key", "")
    page = request.POST.get("_page", "")
    if not KEY.fullmatch(key) or not page.isdigit():
        return show_refusal(request, "bad_form", who.language, restart=visit.url())
    visit, page_number = replace(visit, key=key), int(page)
    if visit.preview:
        return _preview_submit(request, visit, page_number)
    if request.POST.get("_go") == "back":
        answers = _stored(visit)
        trail = visit.flow.path(visit.questions, answers, who.customer)
        back = respondents.previous_page(trail, page_number) or (trail or [page_number])[0]
        return render_page(request, visit, back, answers=answers, raw=_as_form(visit, answers))
    raw = read_form(visit.on_page(page_number), request.POST)
    try:
        outcome = answer_page(respondent=who, idempotency_key=key, page=page_number, raw=raw)
    except AnswersInvalid as invalid:
        answers = {**_stored(visit), **page_values(visit.on_page(page_number), raw)}
        return render_page(
            request, visit, page_number, answers=answers, raw=raw, errors=invalid.errors
        )
    except SubmissionRefused as refused:
        return show_refusal(request, refused.code, who.language, restart=visit.url())
    if outcome.next_page is None:
        return thanks(request, visit)
    answers = stored_answers(outcome.response, visit.questions)
    return render_page(
        request, visit, outcome.next_page, answers=answers, raw=_as_form(visit, answers)
    )


def _preview_submit(request: HttpRequest, visit: Visit, page: int) -> HttpResponse:
    state = respondents.PreviewState.loads(request.POST.get("_state", ""))
    if request.POST.get("_go") == "back":
        trail = visit.flow.path(visit.questions, state.answers, None)
        back = respondents.previous_page(trail, page) or (trail or [page])[0]
        return render_page(
            request, visit, back, answers=state.answers, raw=state.raw, state=state.dumps()
        )
    raw = read_form(visit.on_page(page), request.POST)
    try:
        state, next_page = respondents.preview_answer_page(
            questions=visit.questions, flow=visit.flow, page=page, raw=raw, state=state
        )
    except AnswersInvalid as invalid:
        answers = {**state.answers, **page_values(visit.on_page(page), raw)}
        return render_page(
            request,
            visit,
            page,
            answers=answers,
            raw=raw,
            errors=invalid.errors,
            state=state.dumps(),
        )
    if next_page is None:
        return thanks(request, visit)
    return render_page(
        request, visit, next_page, answers=state.answers, raw=state.raw, state=state.dumps()
    )
