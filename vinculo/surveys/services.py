"""Writes for building surveys: create, edit the draft, publish, close.

Responses are written by ``submission.py``; invitations by ``invitations.py``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.journeys.models import Touchpoint
from vinculo.surveys.choices import SurveyKind, SurveyStatus
from vinculo.surveys.definition import DefinitionError, SurveyDefinition, check_definition
from vinculo.surveys.models import Question, Survey, SurveyVersion


class SurveyRefused(Exception):
    """A state change the survey's state does not allow; ``code`` says which."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@transaction.atomic
def create_survey(
    *,
    actor: Actor,
    name: str,
    slug: str,
    unit: Unit,
    title: dict[str, str] | None = None,
    kind: str = SurveyKind.CUSTOMER,
    touchpoint: Touchpoint | None = None,
    languages: list[str] | None = None,
    default_language: str = "es",
    public_link: bool = True,
) -> Survey:
    """A new survey in draft, with an empty first version to build on."""
    languages = languages or [default_language]
    survey = Survey.objects.create(
        name=name,
        slug=slug,
        kind=kind,
        unit=unit,
        touchpoint=touchpoint,
        languages=languages,
        default_language=default_language,
        public_link=public_link,
        created_by_id=actor.user_id,
    )
    SurveyVersion.objects.create(
        survey=survey, number=1, title=title or dict.fromkeys(languages, name)
    )
    return survey


@transaction.atomic
def update_survey(*, survey: Survey, **fields: Any) -> Survey:
    """Changes the survey's settings (name, unit, touchpoint, languages, public link...)."""
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.save(update_fields=[*fields, "updated_at"])
    return survey


def draft_of(survey: Survey) -> SurveyVersion:
    """The survey's draft, opened as a copy of the published version when there is none."""
    draft = survey.versions.filter(published_at__isnull=True).first()
    if draft is not None:
        return draft
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        draft = locked.versions.filter(published_at__isnull=True).first()
        if draft is not None:
            return draft
        source = locked.current_version
        number = (
            locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        if source is None:
            return SurveyVersion.objects.create(survey=locked, number=number, title={})
        draft = SurveyVersion.objects.create(
            survey=locked,
            number=number,
            title=source.title,
            intro=source.intro,
            thank_you=source.thank_you,
            skip_rules=source.skip_rules,
        )
        Question.objects.bulk_create(
            Question(
                version=draft,
                **{f: getattr(q, f) for f in QUESTION_FIELDS},
            )
            for q in source.questions.all()
        )
        return draft


QUESTION_FIELDS = (
    "key",
    "position",
    "page",
    "kind",
    "required",
    "text",
    "help_text",
    "options",
    "rows",
    "settings",
    "show_if",
)


@transaction.atomic
def save_draft(*, survey: Survey, definition: SurveyDefinition) -> SurveyVersion:
    """Replaces the draft's content with ``definition`` (checked first: nothing is half-saved).

    Only the draft changes; published versions, and the answers pointing at them, never do.
    """
    check_definition(definition, survey.languages)
    draft = draft_of(survey)
    draft = SurveyVersion.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise SurveyRefused("draft_was_published")
    draft.title = definition.title
    draft.intro = definition.intro
    draft.thank_you = definition.thank_you
    draft.skip_rules = [rule.model_dump() for rule in definition.skip_rules]
    draft.save(update_fields=["title", "intro", "thank_you", "skip_rules", "updated_at"])
    draft.questions.all().delete()
    Question.objects.bulk_create(
        Question(
            version=draft,
            position=position,
            key=q.key,
            page=q.page,
            kind=q.kind,
            required=q.required,
            text=q.text,
            help_text=q.help_text,
            options=[o.model_dump() for o in q.options],
            rows=[r.model_dump() for r in q.rows],
            settings=q.settings,
            show_if=q.show_if,
        )
        for position, q in enumerate(definition.questions, start=1)
    )
    return draft


def definition_of(version: SurveyVersion) -> SurveyDefinition:
    """A version's content as the document the builder edits."""
    return SurveyDefinition.model_validate(
        {
            "title": version.title,
            "intro": version.intro,
            "thank_you": version.thank_you,
            "skip_rules": version.skip_rules,
            "questions": [
                {f: getattr(q, f) for f in QUESTION_FIELDS if f != "position"}
                for q in version.questions.all()
            ],
        }
    )


@transaction.atomic
def publish(*, survey: Survey) -> SurveyVersion:
    """Freezes the draft as the live version. Answers in progress keep their own version."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    draft = survey.versions.filter(published_at__isnull=True).first()
    if draft is None:
        raise SurveyRefused("nothing_to_publish")
    if not draft.questions.exists():
        raise SurveyRefused("no_questions")
    try:
        check_definition(definition_of(draft), survey.languages)
    except DefinitionError:
        # The survey's languages changed after the draft was saved.
        raise SurveyRefused("missing_translations") from None
    draft.published_at = timezone.now()
    draft.save(update_fields=["published_at", "updated_at"])
    survey.current_version = draft
    survey.status = SurveyStatus.LIVE
    survey.save(update_fields=["current_version", "status", "updated_at"])
    return draft


@transaction.atomic
def set_status(*, survey: Survey, status: str) -> Survey:
    """Closes a live survey (links stop taking answers) or reopens a closed one."""
    if status == SurveyStatus.LIVE and survey.current_version_id is None:
        raise SurveyRefused("never_published")
    if status == SurveyStatus.DRAFT:
        raise SurveyRefused("cannot_unpublish")
    return update_survey(survey=survey, status=status)
