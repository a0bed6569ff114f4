"""The respondent's entry points, no sign-in: the public link (and its QR landing), personal
invitations, the open-tracking pixel and unsubscribe. Every page is ``no-store``: answers
never linger in a shared device's cache or history.
"""

from __future__ import annotations

import base64
import contextlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from vinculo.accounts.permissions import Perm
from vinculo.surveys import caches, respondents
from vinculo.surveys.choices import Collector, ResponseStatus, SurveyStatus
from vinculo.surveys.models import Response, Survey, SurveyVersion
from vinculo.surveys.services import draft_of
from vinculo.surveys.submission import (
    Respondent,
)
from vinculo.surveys.tokens import BadToken, invitation_from_token, unit_from_token
from vinculo.surveys.views.respond.engine import Visit, first_page, resume, show_refusal, submit

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")  # 1x1 GIF
ONE_CLICK = {"List-Unsubscribe": "One-Click"}  # the RFC 8058 one-click body


def _preview(request: HttpRequest, survey: Survey, draft: SurveyVersion, language: str) -> Visit:
    who = Respondent(
        survey=survey,
        version=draft,
        unit=survey.unit,
        collector=Collector.LINK,
        language=language,
        touchpoint=survey.touchpoint,
    )
    return Visit.start(who, request.path, query={"preview": "1"}, preview=True)


@never_cache
@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The public link ``/s/<slug>/``; with ``?u=<unit token>``, a QR code's landing.

    ``?preview=1`` shows a staff member who manages surveys the draft, storing nothing.
    """
    browser = getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE
    survey = caches.survey_by_slug(slug)
    if survey is None:
        return show_refusal(request, "not_found", browser)
    wanted = request.POST.get("_lang") or request.GET.get("lang")
    language = respondents.choose_language(survey, requested=wanted, browser=browser)
    if request.GET.get("preview") and _can_manage(request):
        # The draft when there is one, else what is live: previewing must not open a draft.
        draft = survey.versions.filter(published_at__isnull=True).first()
        visit = _preview(
            request, survey, draft or survey.current_version or draft_of(survey), language
        )
    elif not survey.public_link:
        return show_refusal(request, "invitation_only", language)
    elif survey.status != SurveyStatus.LIVE or survey.current_version is None:
        closed = survey.status == SurveyStatus.CLOSED
        return show_refusal(request, "survey_closed" if closed else "not_found", language)
    else:
        token = request.GET.get("u", "")
        try:
            unit = unit_from_token(token) if token else survey.unit
        except BadToken:
            return show_refusal(request, "bad_qr", language)
        who = Respondent(
            survey=survey,
            version=survey.current_version,
            unit=unit,
            collector=Collector.QR if token else Collector.LINK,
            language=language,
            touchpoint=survey.touchpoint,
        )
        visit = Visit.start(who, request.path, query={"u": token} if token else {})
    return submit(request, visit) if request.method == "POST" else first_page(request, visit)


def _can_manage(request: HttpRequest) -> bool:
    actor = request.actor  # type: ignore[attr-defined]
    return bool(request.user.is_authenticated and actor.can(Perm.MANAGE_SURVEYS))


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """A personal invitation ``/s/i/<token>/``: resumes where the customer left off."""
    browser = getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE
    try:
        invitation = invitation_from_token(token)
    except BadToken as error:
        return show_refusal(request, f"link_{error.code}", browser)
    survey, customer = invitation.survey, invitation.customer
    language = respondents.choose_language(
        survey,
        requested=request.POST.get("_lang") or request.GET.get("lang"),
        invitation=invitation,
        customer=customer,
        browser=browser,
    )
    if request.method == "GET":
        respondents.mark_opened(invitation=invitation)
    response = Response.objects.select_related("version").filter(invitation=invitation).first()
    if response is not None and response.status == ResponseStatus.COMPLETE:
        return show_refusal(request, "already_answered", language)
    if respondents.is_expired(invitation):
        return show_refusal(request, "invitation_expired", language)
    version = response.version if response is not None else survey.current_version
    if survey.status != SurveyStatus.LIVE or version is None:
        return show_refusal(request, "survey_closed", language)
    who = Respondent(
        survey=survey,
        version=version,
        unit=invitation.unit,
        collector=invitation.channel,
        language=language,
        touchpoint=invitation.touchpoint or survey.touchpoint,
        customer=customer,
        invitation=invitation,
    )
    visit = Visit.start(who, request.path, key=f"invitation-{invitation.pk}")
    return submit(request, visit) if request.method == "POST" else resume(request, visit, response)


@never_cache
def opened_pixel(request: HttpRequest, token: str) -> HttpResponse:
    """The open-tracking image of an invitation e-mail: marks it opened; always a GIF."""
    with contextlib.suppress(BadToken):
        respondents.mark_opened(invitation=invitation_from_token(token))
    return HttpResponse(PIXEL, content_type="image/gif")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST withdraws the customer's consent to surveys.

    CSRF is checked as usual, except for the exact RFC 8058 one-click body that mail
    clients POST from the ``List-Unsubscribe`` header: they hold no CSRF token, and the
    signed token in the address is what authorises the request anyway.
    """
    browser = getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE
    try:
        invitation = invitation_from_token(token)
    except BadToken as error:
        return show_refusal(request, f"link_{error.code}", browser)
    language = respondents.choose_language(
        invitation.survey, invitation=invitation, customer=invitation.customer, browser=browser
    )
    if request.method == "POST":
        if request.POST.dict() != ONE_CLICK:
            failed = CsrfViewMiddleware(_checked).process_view(request, _checked, (), {})
            if failed is not None:
                return failed
        respondents.unsubscribe(invitation=invitation)
    context = {"language": language, "done": request.method == "POST"}
    with translation.override(language):
        return render(request, "surveys/respond/unsubscribe.html", context)


def _checked(request: HttpRequest) -> HttpResponse:
    """Stands for the view whose CSRF is checked (a view without ``csrf_exempt``)."""
    return HttpResponse()
