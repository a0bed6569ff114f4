from django.urls import path

from vinculo.cases import rules_views

app_name = "case_rules"

urlpatterns = [
    path("", rules_views.rule_list, name="list"),
    path("new/", rules_views.rule_edit, name="new"),
    path("<int:rule_id>/", rules_views.rule_edit, name="edit"),
    path("<int:rule_id>/toggle/", rules_views.rule_toggle, name="toggle"),
]
