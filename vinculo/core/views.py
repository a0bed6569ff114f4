from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vinculo.core.queries import home_figures


@login_required
def home(request: HttpRequest) -> HttpResponse:
    figures = home_figures(request.actor)  # type: ignore[attr-defined]
    return render(request, "core/home.html", {"figures": figures})
