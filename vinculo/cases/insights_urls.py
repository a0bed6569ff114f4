"""The outer loop's pages, in the ``cases`` namespace: root causes, case metrics and
improvement actions (included from cases/urls.py)."""

from django.urls import path

from vinculo.cases import improvements_views, insights_views

urlpatterns = [
    path("insights/", insights_views.insights_page, name="insights"),
    path("metrics/", insights_views.metrics_page, name="metrics"),
    path("improvements/", improvements_views.improvement_list_page, name="improvements"),
    path("improvements/new/", improvements_views.improvement_new, name="improvement_new"),
    path(
        "improvements/<int:improvement_id>/",
        improvements_views.improvement_page,
        name="improvement",
    ),
]
