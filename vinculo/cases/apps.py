from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "vinculo.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from vinculo.cases.deadlines import forget_sla_setup
        from vinculo.cases.models import Holiday, SlaTarget, WorkingHours

        for model in (Holiday, SlaTarget, WorkingHours):
            post_save.connect(forget_sla_setup, sender=model, dispatch_uid=f"sla-{model.__name__}")
            post_delete.connect(
                forget_sla_setup, sender=model, dispatch_uid=f"sla-{model.__name__}-d"
            )
