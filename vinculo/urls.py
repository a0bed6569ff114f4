from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from vinculo.api import api

admin.site.site_header = _("Vínculo settings")
admin.site.site_title = "Vínculo"
admin.site.index_title = _("Organisation, catalogue and data")
admin.site.site_url = "/"

urlpatterns = [
    path("", include("vinculo.core.urls")),
    path("accounts/", include("vinculo.accounts.urls")),
    path("customers/", include("vinculo.customers.urls")),
    path("imports/", include("vinculo.imports.urls")),
    path("surveys/", include("vinculo.surveys.urls")),
    path("metrics/", include("vinculo.metrics.views")),
    path("feedback/", include("vinculo.feedback.urls")),
    path("cases/rules/", include("vinculo.cases.rules_urls")),
    path("texts/", include("vinculo.textan.urls")),
    path("cases/", include("vinculo.cases.urls")),
    path("webhooks/", include("vinculo.webhooks.urls")),
    path("s/", include("vinculo.surveys.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
