from django.urls import include, path

from vinculo.cases import notifications_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list_page, name="list"),
    path("bulk/", views.case_bulk, name="bulk"),
    path("new/", views.case_new, name="new"),
    path("<int:case_id>/", views.case_page, name="case"),
    path("signals/", include("vinculo.cases.signals_urls")),
    *notifications_views.urlpatterns,
    path("", include("vinculo.cases.insights_urls")),
    *(
        path(f"<int:case_id>/{action}/", views.case_act, {"action": action}, name=action)
        for action in views.ACTIONS
    ),
]
