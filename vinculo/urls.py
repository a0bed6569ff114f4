from django.contrib import admin
from django.urls import include, path

from vinculo.api import api

urlpatterns = [
    path("", include("vinculo.core.urls")),
    path("accounts/", include("vinculo.accounts.urls")),
    path("customers/", include("vinculo.customers.urls")),
    path("imports/", include("vinculo.imports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
