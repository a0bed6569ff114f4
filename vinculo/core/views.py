from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vinculo.core.queries import cx_tiles, home_figures


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    figures = home_figures(actor)
    return render(request, "core/home.html", {"figures": figures, "cx": cx_tiles(actor)})
