"""Test helpers for surveys: a published NPS + CSAT + open-text survey with one logic rule.

Used by the tests of every survey module (and by the matrix test), so each builds its
data through the real services instead of restating the same definition.
"""

from __future__ import annotations

from typing import Any

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.models import Survey, SurveyVersion
from vinculo.surveys.services import create_survey, publish, save_draft

NPS_CSAT_TEXT: dict[str, Any] = {
    "title": {"es": "Tu visita", "en": "Your visit"},
    "intro": {"es": "Dos minutos, nada más.", "en": "Two minutes, no more."},
    "thank_you": {"es": "¡Gracias por ayudarnos!", "en": "Thank you for helping us!"},
    "questions": [
        {
            "key": "nps",
            "kind": "nps",
            "page": 1,
            "required": True,
            "text": {
                "es": "¿Recomendarías {{unit}} a un amigo?",
                "en": "Would you recommend {{unit}} to a friend?",
            },
        },
        {
            "key": "csat",
            "kind": "csat",
            "page": 1,
            "required": True,
            "text": {"es": "¿Qué tal te atendimos?", "en": "How satisfied are you?"},
        },
        {
            "key": "mejora",
            "kind": "long_text",
            "page": 2,
            "text": {
                "es": "¿Qué podríamos mejorar en {{unit}}?",
                "en": "What could we improve at {{unit}}?",
            },
            "show_if": {"question": "nps", "op": "lte", "value": 8},
        },
        {
            "key": "gusto",
            "kind": "long_text",
            "page": 2,
            "text": {"es": "¿Qué es lo que más te gustó?", "en": "What did you like most?"},
            "show_if": {"question": "nps", "op": "gte", "value": 9},
        },
    ],
}


def live_version(survey: Survey) -> SurveyVersion:
    """The survey's published version (tests build surveys that have one)."""
    assert survey.current_version is not None, "the survey was never published"
    return survey.current_version


def published_survey(
    *,
    unit: Unit,
    slug: str = "tu-visita",
    definition: dict[str, Any] | None = None,
    languages: list[str] | None = None,
    **fields: Any,
) -> Survey:
    """A live survey built and published through the services."""
    survey = create_survey(
        actor=SYSTEM,
        name=fields.pop("name", "Tu visita"),
        slug=slug,
        unit=unit,
        languages=languages or ["es", "en"],
        **fields,
    )
    save_draft(
        survey=survey, definition=SurveyDefinition.model_validate(definition or NPS_CSAT_TEXT)
    )
    publish(survey=survey)
    survey.refresh_from_db()
    return survey
