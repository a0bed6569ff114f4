from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    SPANISH = "es", _("Spanish")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other language")
    NONE = "und", _("No language")


class Sentiment(models.TextChoices):
    VERY_NEGATIVE = "very_negative", _("Very negative")
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")
    VERY_POSITIVE = "very_positive", _("Very positive")


class Emotion(models.TextChoices):
    JOY = "joy", _("Joy")
    TRUST = "trust", _("Trust")
    GRATITUDE = "gratitude", _("Gratitude")
    SURPRISE = "surprise", _("Surprise")
    ANGER = "anger", _("Anger")
    FRUSTRATION = "frustration", _("Frustration")
    SADNESS = "sadness", _("Sadness")
    FEAR = "fear", _("Fear")
    DISAPPOINTMENT = "disappointment", _("Disappointment")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ScoringStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
