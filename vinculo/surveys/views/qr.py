"""QR codes and printable posters of a survey's public link, one per unit (store).

Staff pages (Perm.MANAGE_SURVEYS). Any unit may be chosen: surveys and their posters are
company material; what is scoped by unit is the answers.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import translation
from django.utils.safestring import mark_safe

from vinculo.accounts.choices import UnitKind
from vinculo.accounts.decorators import require_perm
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import Perm
from vinculo.surveys import qrcodes
from vinculo.surveys.models import Survey
from vinculo.surveys.presentation import text_in
from vinculo.surveys.queries import visible_surveys

CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def _survey_and_unit(request: HttpRequest, survey_id: int, unit_id: int) -> tuple[Survey, Unit]:
    survey = get_object_or_404(visible_surveys(request.actor), pk=survey_id)  # type: ignore[attr-defined]
    return survey, get_object_or_404(Unit, pk=unit_id)


@require_perm(Perm.MANAGE_SURVEYS)
def qr_image(request: HttpRequest, survey_id: int, unit_id: int, fmt: str) -> HttpResponse:
    """The unit's QR code as SVG or PNG; ``?size=`` asks for a side in pixels (64-2048)."""
    survey, unit = _survey_and_unit(request, survey_id, unit_id)
    url = qrcodes.unit_url(request, survey, unit)
    size = qrcodes.bounded_size(request.GET.get("size"))
    image = qrcodes.svg(url, size=size) if fmt == "svg" else qrcodes.png(url, size=size)
    response = HttpResponse(image, content_type=CONTENT_TYPES[fmt])
    filename = f"{survey.slug}-{unit.code}.{fmt}"
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_perm(Perm.MANAGE_SURVEYS)
def poster(request: HttpRequest, survey_id: int, unit_id: int) -> HttpResponse:
    """A printable A4 poster: the survey title, the store, a call to action, the code."""
    survey, unit = _survey_and_unit(request, survey_id, unit_id)
    url = qrcodes.unit_url(request, survey, unit)
    language = survey.default_language
    version = survey.current_version
    title = text_in(version.title if version else {}, language, language) or survey.name
    context = {
        "language": language,
        "survey": survey,
        "unit": unit,
        "title": title,
        "url": url,
        "short_url": url.split("://", 1)[-1],
        # segno escapes the title and writes nothing else from outside.
        "code": mark_safe(qrcodes.inline_svg(url, title=title)),
    }
    with translation.override(language):
        return render(request, "surveys/qr/poster.html", context)


@require_perm(Perm.MANAGE_SURVEYS)
def poster_list(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Every store with links to its poster and codes."""
    survey = get_object_or_404(visible_surveys(request.actor), pk=survey_id)  # type: ignore[attr-defined]
    stores = Unit.objects.filter(kind=UnitKind.STORE).order_by("path")
    return render(request, "surveys/qr/posters.html", {"survey": survey, "stores": stores})


urlpatterns = [
    path("<int:survey_id>/qr/<int:unit_id>.svg", qr_image, {"fmt": "svg"}, name="qr_svg"),
    path("<int:survey_id>/qr/<int:unit_id>.png", qr_image, {"fmt": "png"}, name="qr_png"),
    path("<int:survey_id>/poster/<int:unit_id>/", poster, name="poster"),
    path("<int:survey_id>/posters/", poster_list, name="posters"),
]
