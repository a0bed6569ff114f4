"""Every URL of the product, plus ``/bench/bare/``: a POST that only answers "ok"."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from vinculo.urls import urlpatterns as product_urls


@require_POST
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *product_urls]
