"""Distribution pages (Perm.MANAGE_SURVEYS): a survey's campaigns, a campaign's invitations,
trigger rules and the contact policy; plus the SMS delivery-report endpoint providers call.

Invitation lists name customers, so a unit-limited person sees only the invitations landing
in their units; campaigns and rules themselves are company material, like surveys.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from vinculo.accounts.actors import Actor
from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.journeys.models import Channel, InteractionType
from vinculo.messaging import sms
from vinculo.surveys import invitations as campaigns
from vinculo.surveys import queries
from vinculo.surveys.choices import DistributionStatus, InvitationStatus
from vinculo.surveys.distribution_forms import CampaignForm, PolicyForm, TriggerForm
from vinculo.surveys.models import TriggerRule
from vinculo.surveys.queries import visible_surveys
from vinculo.surveys.sending import record_delivery_report
from vinculo.surveys.triggers import create_trigger_rule, update_trigger_rule

PAGE_SIZE = 50


def _refused(request: HttpRequest, error: campaigns.DistributionRefused) -> None:
    messages.error(request, str(campaigns.REFUSALS.get(error.code, error.code)))


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_SURVEYS)
def survey_distribution(request: HttpRequest, survey_id: int) -> HttpResponse:
    """A survey's campaigns with their counts, the form for a new one, its trigger rules."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    survey = get_object_or_404(visible_surveys(actor), pk=survey_id)
    form = CampaignForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.create_distribution(
                actor=actor, survey=survey, **form.service_fields()
            )
        except campaigns.DistributionRefused as error:
            _refused(request, error)
        else:
            return redirect("surveys:distribution_detail", distribution_id=campaign.pk)
    distributions = list(queries.visible_distributions(actor).filter(survey=survey))
    counts = queries.counts_by_distribution(distributions)
    context = {
        "survey": survey,
        "form": form,
        "rows": [(d, queries.summarise(counts[d.pk])) for d in distributions],
        "rules": survey.triggers.select_related("interaction_type", "interaction_channel"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/distribution/survey.html", context, status=status)


@require_perm(Perm.MANAGE_SURVEYS)
def audience_count(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The live count of the audience the campaign form describes (HTMX)."""
    form = CampaignForm(request.GET, actor=request.actor)  # type: ignore[attr-defined]
    form.is_valid()  # the count only needs the audience fields
    count = None
    if not any(f in form.errors for f in ("audience_unit", "customer_ids")):
        count = campaigns.audience_size(form.audience())
    return render(request, "surveys/distribution/_audience_count.html", {"count": count})


@require_perm(Perm.MANAGE_SURVEYS)
def distribution_detail(request: HttpRequest, distribution_id: int) -> HttpResponse:
    """One campaign: counts by status and its invitations, filterable by status."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    distribution = get_object_or_404(queries.visible_distributions(actor), pk=distribution_id)
    status = request.GET.get("status", "")
    status = status if status in InvitationStatus.values else ""
    invitations = queries.distribution_invitations(distribution, status=status).filter(
        queries.reachable(actor)
    )
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = queries.status_counts(distribution.invitations.filter(queries.reachable(actor)))
    context = {
        "distribution": distribution,
        "figures": [(code, label, counts[code]) for code, label in InvitationStatus.choices],
        "failed": counts[InvitationStatus.FAILED],
        "page": page,
        "status": status,
        "statuses": InvitationStatus.choices,
        "audience_size": campaigns.audience_size(distribution.audience)
        if distribution.status == DistributionStatus.DRAFT
        else None,
    }
    partial = request.htmx  # type: ignore[attr-defined]
    template = "_invitations.html" if partial else "detail.html"
    return render(request, f"surveys/distribution/{template}", context)


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_SURVEYS)
def distribution_edit(request: HttpRequest, distribution_id: int) -> HttpResponse:
    """Changes a draft campaign (a started one says so and stays as it is)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    distribution = get_object_or_404(queries.visible_distributions(actor), pk=distribution_id)
    form = CampaignForm(
        request.POST or None, actor=actor, initial=CampaignForm.initial_of(distribution)
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.update_distribution(
                actor=actor, distribution=distribution, **form.service_fields()
            )
        except campaigns.DistributionRefused as error:
            _refused(request, error)
        else:
            return redirect("surveys:distribution_detail", distribution_id=distribution.pk)
    context = {"distribution": distribution, "survey": distribution.survey, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/distribution/edit.html", context, status=status)


def _act(request: HttpRequest, distribution_id: int, act: Any, done: str) -> HttpResponse:
    """Runs one campaign service on a POST, says how it went, goes back to the campaign."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    distribution = get_object_or_404(queries.visible_distributions(actor), pk=distribution_id)
    try:
        result = act(distribution)
    except campaigns.DistributionRefused as error:
        _refused(request, error)
    else:
        messages.success(request, done % {"count": result})
    return redirect("surveys:distribution_detail", distribution_id=distribution_id)


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def distribution_send(request: HttpRequest, distribution_id: int) -> HttpResponse:
    """Starts a draft campaign: now, or at its "send at" time."""
    send = lambda d: campaigns.send_distribution(distribution=d)  # noqa: E731
    return _act(request, distribution_id, send, _("The campaign has started."))


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def distribution_cancel(request: HttpRequest, distribution_id: int) -> HttpResponse:
    """Stops a campaign: what was not sent yet never will be."""
    cancel = lambda d: campaigns.cancel_distribution(distribution=d)  # noqa: E731
    done = _("Campaign cancelled; invitations not sent: %(count)s.")
    return _act(request, distribution_id, cancel, done)


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def distribution_retry(request: HttpRequest, distribution_id: int) -> HttpResponse:
    """Queues again the invitations that failed for a passing reason."""
    limit = settings.SURVEY_SEND_MAX_ATTEMPTS
    retry = lambda d: campaigns.retry_failed(distribution=d, max_attempts=limit)  # noqa: E731
    return _act(request, distribution_id, retry, _("Invitations queued again: %(count)s."))


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def distribution_delete(request: HttpRequest, distribution_id: int) -> HttpResponse:
    """Deletes a draft campaign."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    distribution = get_object_or_404(queries.visible_distributions(actor), pk=distribution_id)
    try:
        campaigns.delete_distribution(distribution=distribution)
    except campaigns.DistributionRefused as error:
        _refused(request, error)
        return redirect("surveys:distribution_detail", distribution_id=distribution_id)
    return redirect("surveys:distribution", survey_id=distribution.survey_id)


@require_perm(Perm.MANAGE_SURVEYS)
def trigger_list(request: HttpRequest) -> HttpResponse:
    """Every trigger rule, with its survey."""
    rules = TriggerRule.objects.select_related("survey", "interaction_type", "interaction_channel")
    return render(request, "surveys/distribution/triggers.html", {"rules": rules})


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_SURVEYS)
def trigger_form(
    request: HttpRequest, survey_id: int | None = None, rule_id: int | None = None
) -> HttpResponse:
    """Creates a rule for a survey, or edits one."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    rule = get_object_or_404(TriggerRule, pk=rule_id) if rule_id else None
    survey = rule.survey if rule else get_object_or_404(visible_surveys(actor), pk=survey_id)
    form = TriggerForm(request.POST or None, instance=rule)
    form.fields["interaction_type"].queryset = InteractionType.objects.order_by("name")  # type: ignore[attr-defined]
    form.fields["interaction_channel"].queryset = Channel.objects.order_by("name")  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        if rule is None:
            create_trigger_rule(survey=survey, **form.cleaned_data)
        else:
            update_trigger_rule(rule=rule, **form.cleaned_data)
        return redirect("surveys:distribution", survey_id=survey.pk)
    context = {"form": form, "rule": rule, "survey": survey}
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/distribution/trigger_form.html", context, status=status)


@require_POST
@require_perm(Perm.MANAGE_SURVEYS)
def trigger_toggle(request: HttpRequest, rule_id: int) -> HttpResponse:
    """Pauses an active rule or activates a paused one (it then reacts from now on)."""
    rule = get_object_or_404(TriggerRule, pk=rule_id)
    update_trigger_rule(rule=rule, active=not rule.active)
    return redirect("surveys:distribution", survey_id=rule.survey_id)


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_SURVEYS)
def contact_policy(request: HttpRequest) -> HttpResponse:
    """How often one customer may be invited, across all surveys."""
    form = PolicyForm(
        request.POST or None, initial={"fatigue_days": campaigns.contact_policy().fatigue_days}
    )
    if request.method == "POST" and form.is_valid():
        campaigns.set_contact_policy(fatigue_days=form.cleaned_data["fatigue_days"])
        messages.success(request, _("Contact policy saved."))
        return redirect("surveys:contact_policy")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "surveys/distribution/contact_policy.html", {"form": form}, status=status
    )


@csrf_exempt  # called by the SMS provider: the signature below is what authenticates it
@require_POST
def sms_status(request: HttpRequest, provider: str) -> HttpResponse:
    """An SMS provider's delivery report: moves the invitation to delivered or failed."""
    token = settings.SMS_TOKEN
    if provider == "twilio":
        url = settings.SMS_STATUS_CALLBACK_URL or request.build_absolute_uri()
        signature = request.headers.get("X-Twilio-Signature", "")
        valid = sms.valid_twilio_signature(url, request.POST, signature, token)
        data: Any = request.POST
    elif provider == "webhook":
        signature = request.headers.get("X-Vinculo-Signature", "")
        valid = sms.valid_webhook_signature(request.body, signature, token)
        try:
            data = json.loads(request.body) if valid else {}
        except ValueError:
            return HttpResponse("malformed JSON", status=400, content_type="text/plain")
    else:
        return HttpResponse(status=404)
    if not valid:
        return HttpResponseForbidden("bad signature", content_type="text/plain")
    try:
        report = sms.parse_status_callback(provider, data)
    except sms.MalformedCallback as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    record_delivery_report(report=report)
    return HttpResponse(status=204)


urlpatterns = [
    path("<int:survey_id>/distribution/", survey_distribution, name="distribution"),
    path("<int:survey_id>/distribution/audience/", audience_count, name="audience_count"),
    path("<int:survey_id>/triggers/new/", trigger_form, name="trigger_create"),
    path("distributions/<int:distribution_id>/", distribution_detail, name="distribution_detail"),
    path("distributions/<int:distribution_id>/edit/", distribution_edit, name="distribution_edit"),
    path("distributions/<int:distribution_id>/send/", distribution_send, name="distribution_send"),
    path(
        "distributions/<int:distribution_id>/cancel/",
        distribution_cancel,
        name="distribution_cancel",
    ),
    path(
        "distributions/<int:distribution_id>/retry/", distribution_retry, name="distribution_retry"
    ),
    path(
        "distributions/<int:distribution_id>/delete/",
        distribution_delete,
        name="distribution_delete",
    ),
    path("triggers/", trigger_list, name="triggers"),
    path("triggers/<int:rule_id>/", trigger_form, name="trigger_edit"),
    path("triggers/<int:rule_id>/toggle/", trigger_toggle, name="trigger_toggle"),
    path("contact-policy/", contact_policy, name="contact_policy"),
    path("sms/status/<slug:provider>/", sms_status, name="sms_status"),
]
