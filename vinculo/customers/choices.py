from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    CUSTOMER_NUMBER = "customer_number", _("Customer number")
    CRM_ID = "crm_id", _("CRM id")
    LOYALTY_CARD = "loyalty_card", _("Loyalty card")
    TAX_ID = "tax_id", _("Tax id")


class LifecycleStage(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ONBOARDING = "onboarding", _("Onboarding")
    ACTIVE = "active", _("Active (consolidated)")
    AT_RISK = "at_risk", _("At risk")
    LEAVING = "leaving", _("Leaving")
    CHURNED = "churned", _("Churned")
    WON_BACK = "won_back", _("Won back")


class ValueTier(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    TOP = "top", _("Top")


class ConsentChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    POST = "post", _("Post")
    SURVEYS = "surveys", _("Surveys")
