"""/cases/signals/: included by ``cases/urls.py``, so the names are ``cases:signal_*``."""

from django.urls import path

from vinculo.cases import signals_views

urlpatterns = [
    path("", signals_views.signal_rules, name="signal_rules"),
    path("new/", signals_views.signal_rule_edit, name="signal_rule_new"),
    path("<int:rule_id>/", signals_views.signal_report, name="signal_report"),
    path("<int:rule_id>/edit/", signals_views.signal_rule_edit, name="signal_rule_edit"),
    path("s/<int:signal_id>/", signals_views.signal_page, name="signal"),
]
