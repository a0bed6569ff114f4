from django.db import models
from django.utils.translation import gettext_lazy as _


class Grain(models.TextChoices):
    DAY = "d", _("Day")
    MONTH = "m", _("Month")


class Dimension(models.TextChoices):
    """The dimensions roll-ups keep by unit (``ScoreCube.dim``); empty means the total."""

    TOTAL = "", _("Total")
    TOUCHPOINT = "touchpoint", _("Touchpoint")
    CHANNEL = "channel", _("Channel")
    SEGMENT = "segment", _("Customer segment")
    LIFECYCLE = "lifecycle", _("Lifecycle stage")


class Metric(models.TextChoices):
    """The headline measures, each read from the questions of its kind."""

    NPS = "nps", _("NPS")
    CSAT = "csat", _("CSAT")
    CES = "ces", _("CES")
    ENPS = "enps", _("eNPS")


class Breakdown(models.TextChoices):
    """What a figure can be broken down by."""

    UNIT = "unit", _("Unit")
    TOUCHPOINT = "touchpoint", _("Touchpoint")
    CHANNEL = "channel", _("Channel")
    INTERACTION_TYPE = "interaction_type", _("Interaction type")
    STAGE = "stage", _("Journey stage")
    SEGMENT = "segment", _("Customer segment")
    LIFECYCLE = "lifecycle", _("Lifecycle stage")
    SURVEY = "survey", _("Survey")
    QUESTION = "question", _("Question")


class Interval(models.TextChoices):
    """Trend buckets."""

    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class DigestStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Nothing to report")
