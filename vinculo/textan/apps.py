from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextanConfig(AppConfig):
    name = "vinculo.textan"
    verbose_name = _("Text analytics")
