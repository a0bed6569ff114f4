from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "vinculo.surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from vinculo.surveys import caches

        # A flush or migrate can give seeded rows new ids: forget the cached ones.
        post_migrate.connect(caches.clear, dispatch_uid="surveys-caches-clear")
