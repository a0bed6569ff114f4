"""Choices of alert rules (kept apart from choices.py, which the cases pages own)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleEvent(models.TextChoices):
    """What a rule watches; each kind is read in id order above its own high-water mark."""

    RESPONSE = "response", _("Survey response completed")
    TEXT = "text", _("Text analysed (open answer or feedback)")
    FEEDBACK = "feedback", _("Feedback item filed")
    INTERACTION = "interaction", _("Interaction recorded")


class RuleAction(models.TextChoices):
    CASE = "case", _("Open a case")
    NOTIFY = "notify", _("Notify the unit's managers")
    BOTH = "both", _("Open a case and notify")
