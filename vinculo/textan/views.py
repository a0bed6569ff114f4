"""Pages of the text analytics: the topic taxonomy and its rules, the insights, and the
words and phrases."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.journeys.models import JourneyStage
from vinculo.metrics.filters import policy_min_sample
from vinculo.textan.choices import SuggestionStatus
from vinculo.textan.cloud import DEFAULT_SORT, SORTS, cloud, headers, legend, sort_terms
from vinculo.textan.discovery import readable_examples
from vinculo.textan.forms import InsightFilterForm, SuggestionForm, TopicForm
from vinculo.textan.insights import (
    InsightFilter,
    Kind,
    breakdown,
    dimension_names,
    monthly,
    overview,
)
from vinculo.textan.models import Topic, TopicSuggestion
from vinculo.textan.queries import topic_paths
from vinculo.textan.services import accept_suggestion, reject_suggestion, save_topic
from vinculo.textan.tasks import analyse_soon, discover_soon
from vinculo.textan.words import word_view


@require_GET
@require_perm(Perm.MANAGE_TOPICS)
def topics(request: HttpRequest) -> HttpResponse:
    """The taxonomy as a tree, each topic with its rules."""
    context = {"tree": _tree(), "suggestions": suggestion_forms(request)}
    return render(request, "textan/topics.html", context)


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_TOPICS)
def topic_edit(request: HttpRequest, topic_id: int | None = None) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=topic_id) if topic_id is not None else None
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        save_topic(
            topic=topic,
            name=data["name"],
            parent=data["parent"],
            terms=data["terms"],
            excluded_terms=data["excluded_terms"],
            active=data["active"],
        )
        messages.success(
            request, _("Topic saved. Run the analysis again to apply it to the texts already read.")
        )
        return redirect("textan:topics")
    return render(request, "textan/topic_form.html", {"form": form, "topic": topic})


@require_POST
@require_perm(Perm.MANAGE_TOPICS)
def rerun(request: HttpRequest) -> HttpResponse:
    """Re-reads every text made with older rules (the worker does it, in batches)."""
    analyse_soon()
    messages.success(request, _("The analysis is running again; the figures update as it goes."))
    return redirect("textan:topics")


@require_GET
@require_perm(Perm.VIEW_FEEDBACK)
def insights(request: HttpRequest) -> HttpResponse:
    """Topics and emotions with n and 95% intervals, broken down, by month and by stage."""
    actor = request.actor  # type: ignore[attr-defined]
    form = InsightFilterForm(request.GET, actor=actor)
    f = _insight_filter(form)
    by = form.dimension()
    stages = breakdown(actor, f, "stage", dimension_names("stage"))
    order = dict(JourneyStage.objects.values_list("name", "position"))
    context = {
        "form": form,
        "filter": f,
        "found": overview(actor, f),
        "by": by,
        "rows": breakdown(actor, f, by, dimension_names(by)),
        "months": monthly(actor, f),
        "stages": sorted(stages, key=lambda r: order.get(r.label, 99)),
    }
    return render(request, "textan/insights.html", context)


def _insight_filter(form: InsightFilterForm) -> InsightFilter:
    """The filter from the fields that are valid; an invalid field does not filter."""
    form.is_valid()
    data = form.cleaned_data
    return InsightFilter(
        unit=data.get("unit"),
        since=data.get("since"),
        until=data.get("until"),
        kind=data.get("kind") or "",
        min_sample=policy_min_sample(),
    )


@require_GET
@require_perm(Perm.VIEW_FEEDBACK)
def words(request: HttpRequest) -> HttpResponse:
    """The words and phrases of the texts in scope: a cloud of each, the same figures in
    sortable tables, and the terms that go with more negative or positive texts."""
    actor = request.actor  # type: ignore[attr-defined]
    form = InsightFilterForm(request.GET, actor=actor)
    f = _insight_filter(form)
    found = word_view(actor, f)
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS else DEFAULT_SORT
    # The inbox reads feedback only, with the same unit and dates.
    inbox = {"unit": f.unit.pk if f.unit else "", "since": f.since or "", "until": f.until or ""}
    context = {
        "form": form,
        "filter": f,
        "found": found,
        "word_cloud": cloud(found.words),
        "phrase_cloud": cloud(found.phrases),
        "words": sort_terms(found.words, sort),
        "phrases": sort_terms(found.phrases, sort),
        "headers": headers(sort),
        "bands": legend(),
        "inbox": urlencode({k: v for k, v in inbox.items() if v}),
        "links": f.kind != Kind.ANSWERS,
    }
    return render(request, "textan/words.html", context)


def _tree() -> list[tuple[Topic, int, list[str]]]:
    """Every topic in taxonomy order, with its depth and its terms."""
    paths = topic_paths()
    rows = sorted(Topic.objects.all(), key=lambda t: paths[t.pk])
    return [
        (t, paths[t.pk].count(" > "), [x for x in t.terms.splitlines() if x.strip()]) for t in rows
    ]


def suggestion_forms(
    request: HttpRequest, bound: SuggestionForm | None = None, bound_id: int | None = None
) -> list[tuple[TopicSuggestion, list[dict[str, Any]], SuggestionForm]]:
    """The pending suggestions, each with the examples the actor may read and its accept
    form (``bound`` for the one whose submission failed)."""
    pending = list(TopicSuggestion.objects.filter(status=SuggestionStatus.PENDING))
    examples = readable_examples(request.actor, pending)  # type: ignore[attr-defined]
    return [
        (
            s,
            examples[s.pk],
            bound
            if bound is not None and s.pk == bound_id
            else SuggestionForm(initial={"name": s.name, "terms": s.terms}, prefix=f"s{s.pk}"),
        )
        for s in pending
    ]


@require_POST
@require_perm(Perm.MANAGE_TOPICS)
def suggestions_discover(request: HttpRequest) -> HttpResponse:
    """Looks for new topics among the uncategorised comments, in the background."""
    discover_soon()
    messages.success(
        request, _("Looking for topics in the uncategorised comments; reload in a moment.")
    )
    return redirect("textan:topics")


@require_POST
@require_perm(Perm.MANAGE_TOPICS)
def suggestion_accept(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    """Makes a suggestion a topic, with the name, terms and parent the analyst chose."""
    suggestion = get_object_or_404(
        TopicSuggestion, pk=suggestion_id, status=SuggestionStatus.PENDING
    )
    form = SuggestionForm(request.POST, prefix=f"s{suggestion.pk}")
    if not form.is_valid():
        context = {"tree": _tree(), "suggestions": suggestion_forms(request, form, suggestion.pk)}
        return render(request, "textan/topics.html", context, status=422)
    data = form.cleaned_data
    accept_suggestion(
        suggestion=suggestion,
        name=data["name"],
        terms=data["terms"],
        parent=data["parent"],
        actor=request.actor,  # type: ignore[attr-defined]
    )
    messages.success(request, _("Topic created; the analysis is giving it to the texts."))
    return redirect("textan:topics")


@require_POST
@require_perm(Perm.MANAGE_TOPICS)
def suggestion_reject(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    suggestion = get_object_or_404(
        TopicSuggestion, pk=suggestion_id, status=SuggestionStatus.PENDING
    )
    reject_suggestion(suggestion=suggestion, actor=request.actor)  # type: ignore[attr-defined]
    messages.success(request, _("Suggestion rejected; it will not be suggested again."))
    return redirect("textan:topics")
