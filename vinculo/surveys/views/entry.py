"""Agent entry: a call-centre agent or a store employee types in a phone or in-person
interview (Perm.ENTER_RESPONSES).

``/surveys/entry/`` chooses the live survey, how the interview was done, the unit (only the
agent's own) and optionally the customer (searched by any identity among those the agent
may see, or preset by ``?customer=<id>`` from the customer's page). The interview page
shows every question on one page, in the respondent's language; display logic hides
questions as answers come in (respond.js), and the server applies it again: answers to
hidden questions are ignored. It stores through ``submission.submit_all`` with the agent
as ``entered_by``; the form's idempotency key (``entry:`` + a fresh uuid) makes a double
click store one response. After saving, a confirmation links to the response and offers
the next interview with a fresh key.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from vinculo.accounts.actors import Actor
from vinculo.accounts.decorators import require_perm
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import Perm
from vinculo.customers.models import Customer
from vinculo.customers.queries import search_customers, visible_customer, with_identities
from vinculo.surveys import respondents
from vinculo.surveys.choices import Collector, SurveyStatus
from vinculo.surveys.logic import flow_for
from vinculo.surveys.models import Question, Survey
from vinculo.surveys.presentation import (
    QuestionView,
    client_condition,
    language_choices,
    page_values,
    pipe_context,
    present_question,
    read_form,
    refusal,
    text_in,
)
from vinculo.surveys.queries import visible_responses, visible_surveys
from vinculo.surveys.questions import AnswerError
from vinculo.surveys.submission import (
    AnswersInvalid,
    Respondent,
    SubmissionRefused,
    questions_of,
    submit_all,
)

KEY_PREFIX = "entry:"
KEY = re.compile(r"[0-9a-f]{32}")
COLLECTORS = [
    (Collector.PHONE.value, Collector.PHONE.label),
    (Collector.IN_PERSON.value, Collector.IN_PERSON.label),
]
SEARCH_RESULTS = 10


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def units_of(actor: Actor) -> QuerySet[Unit]:
    units = Unit.objects.order_by("path")
    return units if actor.unit_ids is None else units.filter(id__in=actor.unit_ids)


def live_surveys(actor: Actor) -> QuerySet[Survey]:
    return (
        visible_surveys(actor)
        .filter(status=SurveyStatus.LIVE, current_version__isnull=False)
        .order_by("name")
    )


class StartForm(forms.Form):
    """What the interview is about. The customer (optional) is read and checked by the view:
    one the agent may not see is a 404, like everywhere else."""

    survey = forms.ModelChoiceField(
        queryset=Survey.objects.none(), label=_("Survey"), empty_label=_("Choose…")
    )
    collector = forms.ChoiceField(
        choices=COLLECTORS, label=_("Interview"), widget=forms.RadioSelect
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("Unit"), empty_label=_("Choose…")
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = live_surveys(actor)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units_of(actor)  # type: ignore[attr-defined]


def _customer_or_404(actor: Actor, raw: Any) -> Customer | None:
    """The customer named in the request, if the agent may see them; Http404 otherwise."""
    if raw in (None, ""):
        return None
    if not str(raw).isdigit():
        raise Http404
    customer = visible_customer(actor, int(raw))
    if customer is None:
        raise Http404
    return customer


def _matches(actor: Actor, query: str) -> list[Customer]:
    if not query.strip():
        return []
    return list(with_identities(search_customers(actor, query))[:SEARCH_RESULTS])


@require_perm(Perm.ENTER_RESPONSES)
def entry_start(request: HttpRequest) -> HttpResponse:
    """Choose survey, interview kind, unit and customer; then the interview page."""
    actor = _actor(request)
    customer = _customer_or_404(actor, request.GET.get("customer"))
    searching = "search" in request.GET  # the no-JavaScript search keeps what was chosen
    bound = "survey" in request.GET and not searching
    form = StartForm(request.GET if bound else None, initial=request.GET.dict(), actor=actor)
    if bound and form.is_valid():
        chosen = {
            "collector": form.cleaned_data["collector"],
            "unit": form.cleaned_data["unit"].pk,
            **({"customer": customer.pk} if customer else {}),
        }
        url = reverse("surveys:entry_interview", args=[form.cleaned_data["survey"].pk])
        return redirect(f"{url}?{urlencode(chosen)}")
    query = request.GET.get("q", "")
    matches = [] if customer else _matches(actor, query)
    context = {"form": form, "customer": customer, "query": query, "matches": matches}
    status = 400 if bound else 200
    return render(request, "surveys/entry/start.html", context, status=status)


@require_perm(Perm.ENTER_RESPONSES)
def entry_customers(request: HttpRequest) -> HttpResponse:
    """The customer search's results (HTMX), as choices for the start form."""
    query = request.GET.get("q", "")
    context = {"query": query, "matches": _matches(_actor(request), query), "customer": None}
    return render(request, "surveys/entry/_customers.html", context)


def _respondent(request: HttpRequest, survey_id: int) -> Respondent:
    """The interview's survey, unit, customer and language, from the address: 404 for a
    survey that is not live, a unit outside the agent's scope or a customer not theirs."""
    actor = _actor(request)
    survey = get_object_or_404(live_surveys(actor).select_related("current_version"), pk=survey_id)
    data = request.POST if request.method == "POST" else request.GET
    unit_id, collector = data.get("unit", ""), data.get("collector", "")
    unit = units_of(actor).filter(pk=int(unit_id)).first() if unit_id.isdigit() else None
    if unit is None or collector not in dict(COLLECTORS):
        raise Http404
    customer = _customer_or_404(actor, data.get("customer"))
    browser = getattr(request, "LANGUAGE_CODE", "") or survey.default_language
    language = respondents.choose_language(
        survey, requested=data.get("lang"), customer=customer, browser=browser
    )
    assert survey.current_version is not None  # live_surveys filters on it
    return Respondent(
        survey=survey,
        version=survey.current_version,
        unit=unit,
        collector=collector,
        language=language,
        touchpoint=survey.touchpoint,
        customer=customer,
        entered_by_id=actor.user_id,
    )


def present_all(
    who: Respondent, questions: list[Question], raw: dict[str, Any], errors: list[AnswerError]
) -> list[QuestionView]:
    """Every question on one page: conditions on earlier answers are left to the page's
    script (and decided again by the server); those on the customer are decided here."""
    language, fallback = who.language, who.survey.default_language
    keys = {q.key for q in questions}
    context = pipe_context(
        unit=who.unit,
        customer=who.customer,
        touchpoint=who.touchpoint,
        answers=page_values(questions, raw),
        questions=questions,
        language=language,
        fallback=fallback,
    )
    by_key = {error.key: error for error in errors}
    views = []
    for question in questions:
        condition = client_condition(question.show_if, keys, {}, who.customer)
        if condition == {"const": False}:
            continue
        show_if = "" if condition == {"const": True} else json.dumps(condition)
        views.append(
            present_question(
                question,
                language=language,
                fallback=fallback,
                context=context,
                raw=raw.get(question.key),
                error=by_key.get(question.key),
                show_if=show_if,
                autocomplete="off",
            )
        )
    return views


def render_interview(
    request: HttpRequest,
    who: Respondent,
    *,
    key: str,
    raw: dict[str, Any],
    errors: list[AnswerError] | None = None,
    refused: str = "",
) -> HttpResponse:
    questions = questions_of(who.version)
    base = {"collector": who.collector, "unit": who.unit.pk}
    if who.customer is not None:
        base["customer"] = who.customer.pk
    with translation.override(who.language):
        views = present_all(who, questions, raw, errors or [])
        title = text_in(who.version.title, who.language, who.survey.default_language)
    hidden = [*base.items(), ("lang", who.language), ("_key", key)]
    languages = language_choices(
        who.survey.languages, who.language, lambda code: "?" + urlencode({**base, "lang": code})
    )
    context = {
        "who": who,
        "collector": Collector(who.collector).label,
        "title": title or who.survey.name,
        "questions": views,
        "errors": [view for view in views if view.error],
        "hidden": hidden,
        "languages": languages,
        "refused": refusal(refused) if refused else None,
        "has_pages": len(flow_for(questions, who.version.skip_rules).pages) > 1,
    }
    status = refusal(refused).status if refused else 422 if errors else 200
    return render(request, "surveys/entry/interview.html", context, status=status)


@never_cache
@require_perm(Perm.ENTER_RESPONSES)
def entry_interview(request: HttpRequest, survey_id: int) -> HttpResponse:
    """GET: an empty interview with a fresh key. POST: stores it, or shows what is wrong."""
    closed = visible_surveys(_actor(request)).filter(pk=survey_id, status=SurveyStatus.CLOSED)
    if closed.exists():
        messages.error(request, str(refusal("survey_closed").text))
        return redirect("surveys:entry")
    who = _respondent(request, survey_id)
    if request.method != "POST":
        return render_interview(request, who, key=respondents.new_idempotency_key(), raw={})
    key = request.POST.get("_key", "")
    questions = questions_of(who.version)
    raw = read_form(questions, request.POST)
    if not KEY.fullmatch(key):
        return render_interview(
            request, who, key=respondents.new_idempotency_key(), raw=raw, refused="bad_form"
        )
    try:
        outcome = submit_all(respondent=who, idempotency_key=KEY_PREFIX + key, raw=raw)
    except AnswersInvalid as invalid:
        return render_interview(request, who, key=key, raw=raw, errors=invalid.errors)
    except SubmissionRefused as refused:
        return render_interview(request, who, key=key, raw=raw, refused=refused.code)
    return redirect("surveys:entry_done", response_id=outcome.response.pk)


@require_perm(Perm.ENTER_RESPONSES)
def entry_done(request: HttpRequest, response_id: int) -> HttpResponse:
    """The interview is stored: where to see it, and the next one."""
    response = get_object_or_404(visible_responses(_actor(request)), pk=response_id)
    query = urlencode({"collector": response.collector, "unit": response.unit_id})
    next_url = reverse("surveys:entry_interview", args=[response.survey_id]) + "?" + query
    context = {"response": response, "next_url": next_url}
    return render(request, "surveys/entry/done.html", context)


urlpatterns: list[URLPattern] = [
    path("entry/", entry_start, name="entry"),
    path("entry/customers/", entry_customers, name="entry_customers"),
    path("entry/<int:survey_id>/", entry_interview, name="entry_interview"),
    path("entry/done/<int:response_id>/", entry_done, name="entry_done"),
]
