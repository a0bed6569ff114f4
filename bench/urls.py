"""Every URL of the product, plus ``/bench/bare/`` (a POST that only answers "ok") and
``/bench/sql/<name>/`` (a GET that runs the hand-written SQL registered under ``name`` in
``SQL`` and answers its rows as JSON: the same request path as a product page, with the
ORM, the statistics and the templates replaced by plain SQL)."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.urls import urlpatterns as product_urls


@require_POST
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


SQL: dict[str, list[str]] = {}


@require_perm(Perm.VIEW_METRICS)  # as the metrics pages: signed in, the permission checked
def sql(request: HttpRequest, name: str) -> JsonResponse:
    rows = []
    with connection.cursor() as cursor:
        for statement in SQL[name]:
            cursor.execute(statement)
            rows.append([list(map(str, row)) for row in cursor.fetchall()])
    return JsonResponse({"rows": rows})


urlpatterns = [path("bench/bare/", bare), path("bench/sql/<str:name>/", sql), *product_urls]
