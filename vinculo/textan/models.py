"""What the text analytics found in each customer text, and the topics they look for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vinculo.textan.choices import Emotion, Language, ScoringStatus, Sentiment, SuggestionStatus


class Topic(models.Model):
    """A node of the topic taxonomy ("Atención > Tiempo de espera") and the words and
    phrases that mean it, one per line, in the lexicon's syntax (``espera*``, ``llevo #
    dias``); ``excluded_terms`` veto it."""

    name = models.CharField(_("name"), max_length=80)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent topic"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    terms = models.TextField(_("terms"), blank=True, help_text=_("One word or phrase per line."))
    excluded_terms = models.TextField(
        _("excluded terms"), blank=True, help_text=_("One per line: they veto the topic.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="topic_unique_name_per_parent"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(parent__isnull=True),
                name="topic_unique_root_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TextAnalysis(models.Model):
    """The analysis of one text: an open answer of a survey or a feedback item (one of the
    two). Made by an idempotent task and made again when the text or the model changes."""

    answer = models.OneToOneField(
        "surveys.Answer",
        verbose_name=_("answer"),
        on_delete=models.CASCADE,
        related_name="analysis",
        null=True,
        blank=True,
    )
    feedback = models.OneToOneField(
        "feedback.FeedbackItem",
        verbose_name=_("feedback item"),
        on_delete=models.CASCADE,
        related_name="analysis",
        null=True,
        blank=True,
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    sentiment = models.CharField(_("sentiment"), max_length=14, choices=Sentiment.choices)
    score = models.FloatField(_("sentiment score"))
    emotions = models.JSONField(_("emotions"), default=dict, blank=True)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    text_digest = models.CharField(_("text digest"), max_length=32)
    model_version = models.CharField(
        _("model version"),
        max_length=40,
        help_text=_("Lexicons, rules and topic taxonomy it was made with."),
    )
    truncated = models.BooleanField(_("read in part"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("text analysis")
        verbose_name_plural = _("text analyses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answer__isnull=True, feedback__isnull=False)
                | models.Q(answer__isnull=False, feedback__isnull=True),
                name="textanalysis_one_text",
            )
        ]
        indexes = [
            models.Index(fields=["sentiment"], name="textanalysis_sentiment"),
            models.Index(fields=["model_version"], name="textanalysis_version"),
        ]

    def __str__(self) -> str:
        return f"{self.sentiment} ({self.language})"


class TextEmotion(models.Model):
    """An emotion found in an analysed text, one row each, so texts can be filtered and
    counted by emotion in the database."""

    analysis = models.ForeignKey(
        TextAnalysis, verbose_name=_("analysis"), on_delete=models.CASCADE, related_name="felt"
    )
    emotion = models.CharField(_("emotion"), max_length=16, choices=Emotion.choices)
    intensity = models.FloatField(_("intensity"))

    class Meta:
        ordering = ["analysis", "-intensity"]
        verbose_name = _("emotion found")
        verbose_name_plural = _("emotions found")
        constraints = [
            models.UniqueConstraint(fields=["analysis", "emotion"], name="textemotion_unique"),
            models.CheckConstraint(
                condition=models.Q(intensity__gte=0, intensity__lte=1),
                name="textemotion_intensity_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.emotion} {self.intensity:.2f}"


class TextTopic(models.Model):
    """A topic found in an analysed text, with the words that matched its rule."""

    analysis = models.ForeignKey(
        TextAnalysis, verbose_name=_("analysis"), on_delete=models.CASCADE, related_name="topics"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="mentions"
    )
    term = models.CharField(_("matched term"), max_length=120)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))

    class Meta:
        ordering = ["analysis", "start"]
        verbose_name = _("topic found")
        verbose_name_plural = _("topics found")
        constraints = [
            models.UniqueConstraint(fields=["analysis", "topic"], name="texttopic_unique")
        ]

    def __str__(self) -> str:
        return f"{self.topic_id}: {self.term}"


class AnalysisState(models.Model):
    """One row (pk=1): how far the analysis of new answers has gone, locked while a batch
    is written so two workers never analyse the same text at once."""

    last_answer_id = models.BigIntegerField(_("last answer analysed"), default=0)
    last_feedback_id = models.BigIntegerField(_("last feedback item analysed"), default=0)
    swept_version = models.CharField(
        _("version every text was read with"),
        max_length=40,
        blank=True,
        help_text=_("Until the version changes, there is nothing stale to look for."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("text analytics state")
        verbose_name_plural = _("text analytics state")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="analysisstate_singleton")
        ]

    def __str__(self) -> str:
        return str(_("Text analytics state"))


class TopicSuggestion(models.Model):
    """A topic that uncategorised comments seem to share, found by clustering them
    (``discovery``), for an analyst to accept (as a new topic, perhaps renamed) or reject.
    A discovery run replaces the pending ones; decided ones stay as history, and a rejected
    name with the same terms is not suggested again."""

    name = models.CharField(_("name"), max_length=80)
    terms = models.TextField(_("terms"), help_text=_("One word or phrase per line."))
    size = models.PositiveIntegerField(_("comments"))
    examples = models.JSONField(
        _("examples"),
        default=list,
        blank=True,
        help_text=_("The comments nearest its centre: analysis id and an excerpt."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic created"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    decided_by = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-size", "name", "pk"]
        verbose_name = _("topic suggestion")
        verbose_name_plural = _("topic suggestions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=SuggestionStatus.values),
                name="topicsuggestion_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="topicsuggestion_status")]

    def __str__(self) -> str:
        return f"{self.name} ({self.size})"


class ScoringJob(models.Model):
    """A CSV file of texts uploaded to be scored (``scoring.py``): the same rows come back
    with the analytics' columns, and with an evaluation report when the file holds gold
    labels. Only its owner (the person or API key that uploaded it) sees it.

    Each run claims the next ``attempt``: a run that lost its claim (the job was started
    again after it stalled) has its writes ignored, so no half-written output is ever
    marked done. The uploaded file is deleted once the job ends; the output and the row
    are deleted after ``TEXT_SCORING_RETENTION_DAYS``.
    """

    file = models.FileField(_("file"), upload_to="scoring/in/%Y/%m/", max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=ScoringStatus.choices, default=ScoringStatus.QUEUED
    )
    language = models.CharField(_("language"), max_length=8, default="es")
    attempt = models.PositiveIntegerField(_("attempt"), default=0)
    expected_rows = models.PositiveIntegerField(_("expected rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows scored"), default=0)
    error = models.TextField(_("error"), blank=True)
    output = models.FileField(_("scored file"), max_length=255, blank=True)
    report = models.JSONField(_("evaluation report"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    api_key = models.ForeignKey(
        "accounts.ApiKey",
        verbose_name=_("API key"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("scoring job")
        verbose_name_plural = _("scoring jobs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ScoringStatus.values),
                name="scoringjob_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ScoringStatus.DONE) | ~models.Q(output=""),
                name="scoringjob_done_has_output",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="scoringjob_created")]

    def __str__(self) -> str:
        return self.original_name
