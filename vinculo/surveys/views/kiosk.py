"""Kiosk mode: a tablet in a store shows a survey to walk-in customers, one after another.

Staff set it up at ``/surveys/<id>/kiosk/`` (Perm.ENTER_RESPONSES, units in their scope),
which gives a link ``/s/k/<kiosk token>/``: a signed token naming the survey and the unit.
The kiosk page keeps nothing on the device: no cookie at all (not even CSRF's), inputs
with ``autocomplete="off"``, ``no-store`` pages, and after the thank-you screen an empty
first page with a fresh idempotency key.

Why the kiosk form may skip CSRF: CSRF stops another site from making a visitor's browser
act with the visitor's cookies. The kiosk POST uses no cookie and no session; what
authorises it is the signed kiosk token in the address, which anyone holding it could
use directly anyway. Forged duplicates are harmless too: the idempotency key stores one
response per form, and the per-IP rate limit bounds the volume.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from vinculo.accounts.actors import Actor
from vinculo.accounts.decorators import require_perm
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import Perm
from vinculo.surveys import respondents
from vinculo.surveys.choices import Collector, SurveyStatus
from vinculo.surveys.queries import visible_surveys
from vinculo.surveys.submission import Respondent
from vinculo.surveys.tokens import BadToken
from vinculo.surveys.views.respond.engine import Visit, first_page, show_refusal, submit


def _units_of(actor: Actor) -> list[Unit]:
    units = Unit.objects.order_by("path")
    if actor.unit_ids is not None:
        units = units.filter(id__in=actor.unit_ids)
    return list(units)


@require_perm(Perm.ENTER_RESPONSES)
def kiosk_setup(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Choose the store; get the kiosk link to open on its tablet."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    survey = get_object_or_404(visible_surveys(actor), pk=survey_id)
    units = _units_of(actor)
    chosen = None
    if request.GET.get("unit"):
        chosen = next((u for u in units if str(u.pk) == request.GET["unit"]), None)
        if chosen is None:
            raise Http404
    link = ""
    if chosen is not None:
        token = respondents.kiosk_token(survey, chosen)
        link = request.build_absolute_uri(reverse("respond:kiosk", args=[token]))
    context = {"survey": survey, "units": units, "chosen": chosen, "link": link}
    return render(request, "surveys/kiosk/setup.html", context)


@csrf_exempt  # see the module docstring
@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_page(request: HttpRequest, token: str) -> HttpResponse:
    """The tablet's survey: every answer lands on the token's unit with collector "kiosk"."""
    browser = getattr(request, "LANGUAGE_CODE", "") or "es"
    try:
        survey, unit = respondents.kiosk_from_token(token)
    except BadToken as error:
        return show_refusal(request, f"link_{error.code}", browser)
    wanted = request.POST.get("_lang") or request.GET.get("lang")
    language = respondents.choose_language(survey, requested=wanted, browser=browser)
    if survey.status != SurveyStatus.LIVE or survey.current_version is None:
        return show_refusal(request, "survey_closed", language)
    who = Respondent(
        survey=survey,
        version=survey.current_version,
        unit=unit,
        collector=Collector.KIOSK,
        language=language,
        touchpoint=survey.touchpoint,
    )
    visit = Visit.start(who, request.path, kiosk=True)
    return submit(request, visit) if request.method == "POST" else first_page(request, visit)


urlpatterns = [path("k/<str:token>/", kiosk_page, name="kiosk")]
staff_urlpatterns = [path("<int:survey_id>/kiosk/", kiosk_setup, name="kiosk")]
