"""Responses and their typed answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.journeys.models import Channel, Touchpoint
from vinculo.surveys.choices import Collector, ResponseStatus
from vinculo.surveys.models.survey import Question, Survey, SurveyVersion


class Response(models.Model):
    """One person's answers to one version of a survey.

    ``idempotency_key`` makes every submission path retry-safe: the page embeds one per
    response form, API callers send their own. An invitation has at most one response.
    ``customer`` is empty for anonymous answers; known respondents also get a timeline row.
    Complete responses are what the metrics count (``metrics.rollups``).
    """

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="responses"
    )
    version = models.ForeignKey(
        SurveyVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="+"
    )
    invitation = models.OneToOneField(
        "Invitation",
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="response",
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    touchpoint = models.ForeignKey(
        Touchpoint, verbose_name=_("touchpoint"), null=True, blank=True, on_delete=models.PROTECT
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+"
    )
    # The customer's segment and lifecycle stage when they answered: reports compare
    # groups as they were, and a customer moving on later does not rewrite past figures.
    segment = models.CharField(_("customer segment"), max_length=60, blank=True)
    lifecycle_stage = models.CharField(_("lifecycle stage"), max_length=20, blank=True)
    collector = models.CharField(_("collected by"), max_length=20, choices=Collector.choices)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.PARTIAL
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, unique=True)
    last_page = models.PositiveSmallIntegerField(_("last page answered"), default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["survey", "started_at"], name="response_survey_time"),
            models.Index(fields=["unit", "started_at"], name="response_unit_time"),
            models.Index(fields=["customer"], name="response_customer"),
            # The newest answers of a scope (the dashboards' latest comments).
            models.Index(fields=["completed_at"], name="response_completed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ResponseStatus.PARTIAL) | Q(completed_at__isnull=False),
                name="response_complete_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    """One typed answer. Which value field is used depends on the question's kind:

    ``number`` for scores, ratings and yes/no (1/0); ``text`` for free text, e-mail, phone;
    ``choices`` (a list of option codes, in order for a ranking) for choice questions;
    ``date`` for dates. A matrix stores one answer per statement, ``row`` naming it.
    """

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    row = models.CharField(_("row"), max_length=40, blank=True)
    number = models.IntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    choices = models.JSONField(_("choices"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["response", "question__position", "row"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "row"], name="answer_unique_per_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.key}{'/' + self.row if self.row else ''}"


class ResponseChange(models.Model):
    """Audit of a correction or a deletion of a stored response: who, when, why, and the
    response as it was (its answers by question key), kept after a deletion too."""

    class Kind(models.TextChoices):
        CORRECTED = "corrected", _("Corrected")
        DELETED = "deleted", _("Deleted")

    response_ref = models.BigIntegerField(_("response"))
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before the change"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("response change")
        verbose_name_plural = _("response changes")
        indexes = [models.Index(fields=["response_ref"], name="responsechange_response")]

    def __str__(self) -> str:
        return f"#{self.response_ref} {self.get_kind_display()}"
