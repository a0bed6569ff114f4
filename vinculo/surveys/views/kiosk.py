"""(being built)"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
staff_urlpatterns: list[URLPattern] = []
