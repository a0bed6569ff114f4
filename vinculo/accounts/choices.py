from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    ANALYST = "analyst", _("CX analyst")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    AGENT = "agent", _("Department agent")
    VIEWER = "viewer", _("Read-only viewer")


class UnitKind(models.TextChoices):
    COMPANY = "company", _("Company")
    BRAND = "brand", _("Brand")
    REGION = "region", _("Region")
    STORE = "store", _("Store")
    BRANCH = "branch", _("Branch")
    CONTACT_CENTRE = "contact_centre", _("Contact centre")
    DIGITAL = "digital", _("Digital channel")
    TEAM = "team", _("Team")
