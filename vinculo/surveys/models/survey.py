"""Surveys, their versions and questions.

A survey's questions live in versions. The builder edits the one draft version; publishing
freezes it, and answers always point at the questions of the version that was answered, so
editing a live survey (a new draft, then a new version) never changes stored answers.
A question's ``key`` is stable across versions: answers to "nps" in version 1 and 2 are the
same measure, which is what reports compare.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.models import Unit
from vinculo.journeys.models import Touchpoint
from vinculo.surveys.choices import QuestionKind, SurveyKind, SurveyStatus


class Survey(models.Model):
    """A questionnaire with its public link, default unit and touchpoint."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("link name"),
        max_length=60,
        unique=True,
        help_text=_("Part of the public link: /s/link-name/"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=SurveyKind.choices, default=SurveyKind.CUSTOMER
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        help_text=_("Where answers land unless the QR code or the invitation names a unit."),
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("touchpoint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("The contact point this survey measures, unless the invitation says."),
    )
    languages = models.JSONField(_("languages"), default=list)
    default_language = models.CharField(_("default language"), max_length=8, default="es")
    public_link = models.BooleanField(
        _("public link open"),
        default=True,
        help_text=_("Anyone with the link or the QR code can answer; invitations work always."),
    )
    current_version = models.ForeignKey(
        "SurveyVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.name


class SurveyVersion(models.Model):
    """One edition of a survey's questions. Frozen once published (``published_at`` set)."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.JSONField(_("title"), default=dict, help_text=_("Per language."))
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    thank_you = models.JSONField(_("thank-you message"), default=dict, blank=True)
    # Skip rules: [{"after_page": 1, "when": <condition>, "goto": 3 | "end"}], see logic.py.
    skip_rules = models.JSONField(_("skip rules"), default=list, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["survey", "-number"]
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="surveyversion_unique"),
            models.UniqueConstraint(
                fields=["survey"],
                condition=Q(published_at__isnull=True),
                name="surveyversion_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Question(models.Model):
    """One question of one version. Texts and labels are dicts keyed by language code.

    ``options``: ``[{"code": "a", "label": {"es": ..., "en": ...}}]`` for choice, dropdown,
    ranking and the matrix scale; ``rows``: the matrix statements, same shape.
    ``settings``: per kind, e.g. ``{"min": 1, "max": 5, "style": "stars"}`` for ratings,
    ``{"identifies": true}`` for an e-mail or phone question that links the respondent.
    ``show_if``: a display condition on earlier answers or customer attributes (logic.py).
    """

    version = models.ForeignKey(
        SurveyVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))
    page = models.PositiveSmallIntegerField(_("page"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)
    text = models.JSONField(_("text"), default=dict)
    help_text = models.JSONField(_("help text"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    show_if = models.JSONField(_("display condition"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_unique_key"),
            models.UniqueConstraint(
                fields=["version", "position"], name="question_unique_position"
            ),
            models.CheckConstraint(condition=Q(page__gte=1), name="question_page_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text.get('es') or next(iter(self.text.values()), '')}"
