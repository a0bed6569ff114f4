"""Pages of the text analytics: the topic taxonomy and its rules, and the insights."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.journeys.models import JourneyStage
from vinculo.metrics.filters import policy_min_sample
from vinculo.textan.forms import InsightFilterForm, TopicForm
from vinculo.textan.insights import (
    InsightFilter,
    breakdown,
    dimension_names,
    monthly,
    overview,
)
from vinculo.textan.models import Topic
from vinculo.textan.queries import topic_paths
from vinculo.textan.services import save_topic
from vinculo.textan.tasks import analyse_soon


@require_GET
@require_perm(Perm.MANAGE_TOPICS)
def topics(request: HttpRequest) -> HttpResponse:
    """The taxonomy as a tree, each topic with its rules."""
    paths = topic_paths()
    rows = sorted(Topic.objects.all(), key=lambda t: paths[t.pk])
    tree = [
        (t, paths[t.pk].count(" > "), [x for x in t.terms.splitlines() if x.strip()]) for t in rows
    ]
    return render(request, "textan/topics.html", {"tree": tree})


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
    return redirect(request.POST.get("next") or "textan:topics")


@require_GET
@require_perm(Perm.VIEW_FEEDBACK)
def insights(request: HttpRequest) -> HttpResponse:
    """Topics and emotions with n and 95% intervals, broken down, by month and by stage."""
    actor = request.actor  # type: ignore[attr-defined]
    form = InsightFilterForm(request.GET, actor=actor)
    form.is_valid()
    data = form.cleaned_data
    f = InsightFilter(
        unit=data.get("unit"),
        since=data.get("since"),
        until=data.get("until"),
        kind=data.get("kind") or "",
        min_sample=policy_min_sample(),
    )
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
