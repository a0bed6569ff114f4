from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer survey")
    EMPLOYEE = "employee", _("Employee survey")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LIVE = "live", _("Live")
    CLOSED = "closed", _("Closed")


class QuestionKind(models.TextChoices):
    NPS = "nps", _("NPS (0-10)")
    CSAT = "csat", _("CSAT (1-5)")
    CES = "ces", _("Customer effort (1-7)")
    ENPS = "enps", _("eNPS (0-10)")
    RATING = "rating", _("Rating (stars or numbers)")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    DROPDOWN = "dropdown", _("Dropdown")
    YES_NO = "yes_no", _("Yes / no")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    MATRIX = "matrix", _("Matrix / Likert")
    RANKING = "ranking", _("Ranking")
    DATE = "date", _("Date")
    CONSENT = "consent", _("Consent checkbox")
    EMAIL = "email", _("E-mail address")
    PHONE = "phone", _("Phone number")


class Collector(models.TextChoices):
    """How a response reached us. Each maps to the channel of its timeline row."""

    LINK = "link", _("Public link")
    QR = "qr", _("QR code")
    EMAIL = "email", _("E-mail invitation")
    SMS = "sms", _("SMS invitation")
    WIDGET = "widget", _("Web/app widget")
    PHONE = "phone", _("Phone interview")
    IN_PERSON = "in_person", _("In-person interview")
    KIOSK = "kiosk", _("Kiosk")
    API = "api", _("API")


class ResponseStatus(models.TextChoices):
    PARTIAL = "partial", _("Partial")
    COMPLETE = "complete", _("Complete")


class InviteChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class InvitationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    OPENED = "opened", _("Opened")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    BOUNCED = "bounced", _("Bounced")
    FAILED = "failed", _("Failed")
    SUPPRESSED = "suppressed", _("Not sent")


class DistributionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
