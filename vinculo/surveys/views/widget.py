"""The web/app widget: the script a company pastes into its site, and the survey as the
widget shows it (the JSON that ``api/public.py`` serves).

``/s/w/<slug>.js`` answers the same script for every survey (the script reads the slug from
its own address), so it needs no database and is cached for a day by browsers and CDNs
(with an ETag to revalidate). The panel's CSS is inlined into it: one request. The survey
itself, which changes, is fetched fresh from ``GET /api/v1/public/surveys/<slug>``.

We draw the panel in a shadow root rather than an iframe: the host page's CSS cannot reach
it (``:host { all: initial }``), it sizes to its content with no postMessage plumbing, and
it costs no second document load on a slow phone. The price is cross-origin API calls,
which the public API allows with CORS and no credentials.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from vinculo.surveys.logic import pipe
from vinculo.surveys.models import Question
from vinculo.surveys.presentation import client_condition, pipe_context, present_question, text_in
from vinculo.surveys.presentation.languages import language_name
from vinculo.surveys.questions import AnswerError, describe
from vinculo.surveys.submission import Respondent

SCRIPT_MAX_AGE = 24 * 3600


def _static_text(name: str) -> str:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return Path(str(found)).read_text(encoding="utf-8")


def _build_script() -> tuple[str, str]:
    placeholder = {"slug": "__slug__"}
    body = (
        _static_text("surveys/widget.js")
        .replace('"__VINCULO_CSS__"', json.dumps(_static_text("surveys/widget.css")))
        .replace(
            '"__VINCULO_SURVEY_PATH__"',
            json.dumps(reverse("api:widget_survey", kwargs=placeholder)),
        )
        .replace(
            '"__VINCULO_RESPONSES_PATH__"',
            json.dumps(reverse("api:widget_responses", kwargs=placeholder)),
        )
    )
    return body, '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


_cached_script = cache(_build_script)


@require_safe
def widget_script(request: HttpRequest, slug: str) -> HttpResponse:
    """The widget's script, for ``<script src=".../s/w/<slug>.js" async>`` on any site."""
    body, etag = _build_script() if settings.DEBUG else _cached_script()
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={SCRIPT_MAX_AGE}"
    # A classic script needs no CORS to run; these let sites with COEP, or that fetch the
    # script (integrity checks, bundlers), load it too.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


urlpatterns: list[URLPattern] = [
    path("w/<slug:slug>.js", widget_script, name="widget_script"),
]


# --- the survey as the widget shows it --------------------------------------------------


def widget_definition(who: Respondent, questions: list[Question], key: str) -> dict[str, Any]:
    """The localized survey, piped with what is known before any answer.

    Placeholders naming answers (``{{nps}}``) are left for the widget to fill as the
    respondent answers; conditions on the customer are decided here (``{"const": ...}``)
    and questions they hide are left out.
    """
    survey, version, language = who.survey, who.version, who.language
    fallback = survey.default_language
    keys = {q.key for q in questions}
    context = widget_context(who, questions, keep_answers=True)
    with translation.override(language):
        shown = [_question_out(q, who, keys, context) for q in questions]
        return {
            "slug": survey.slug,
            "language": language,
            "languages": [{"code": c, "name": language_name(c)} for c in survey.languages],
            "title": text_in(version.title, language, fallback) or survey.name,
            "intro": pipe(text_in(version.intro, language, fallback), context),
            "thank_you": thank_you(who, context),
            "idempotency_key": key,
            "pages": sorted({q.page for q in questions}),
            "skip_rules": [
                {**rule, "when": client_condition(rule.get("when"), keys, {}, who.customer)}
                for rule in version.skip_rules
            ],
            "questions": [q for q in shown if q is not None],
            "labels": _labels(),
        }


def thank_you(who: Respondent, context: dict[str, Any]) -> str:
    """The survey's thank-you message, piped; a default one when the survey has none."""
    text = text_in(who.version.thank_you, who.language, who.survey.default_language)
    if text:
        return pipe(text, context)
    with translation.override(who.language):
        return _("We have your answers. Thank you for your time.")


def widget_context(
    who: Respondent, questions: list[Question], *, keep_answers: bool
) -> dict[str, Any]:
    context = pipe_context(
        unit=who.unit,
        customer=who.customer,
        touchpoint=who.touchpoint,
        answers={},
        questions=questions,
        language=who.language,
        fallback=who.survey.default_language,
    )
    if keep_answers:
        context.update({q.key: "{{" + q.key + "}}" for q in questions})
    return context


def _question_out(
    question: Question, who: Respondent, keys: set[str], context: dict[str, Any]
) -> dict[str, Any] | None:
    show_if = client_condition(question.show_if, keys, {}, who.customer)
    if show_if == {"const": False}:
        return None
    view = present_question(
        question, language=who.language, fallback=who.survey.default_language, context=context
    )
    required = describe(AnswerError(question.key, "required"), view.text)
    return {
        "key": question.key,
        "kind": question.kind,
        "page": question.page,
        "required": question.required,
        "text": view.text,
        "help_text": view.help_text,
        "choices": [{"value": c.value, "label": c.label} for c in view.choices],
        "rows": [{"code": row.code, "label": row.label} for row in view.rows],
        "low_label": view.low_label,
        "high_label": view.high_label,
        "style": view.style,
        "input_type": view.input_type,
        "max_length": view.max_length,
        "max_choices": question.settings.get("max_choices"),
        "show_if": None if show_if == {"const": True} else show_if,
        "required_message": required if question.required else "",
    }


def _labels() -> dict[str, str]:
    return {
        "dialog": _("Survey"),
        "close": _("Close"),
        "next": _("Next"),
        "back": _("Previous page"),
        "send": _("Send"),
        "sending": _("Sending…"),
        "required": _("(required)"),
        "required_note": _("Questions marked * need an answer."),
        "page": _("Page %(position)s of %(total)s"),
        "choose": _("Choose…"),
        "agree": _("Yes, I agree"),
        "place": _("Place %(place)s"),
        "invalid": _("Some answers need a look."),
        "failed": _("We could not send your answers. Please try again."),
    }
