"""Helpers for the builder, responses and export tests: surveys and answers stored through
the real services, the builder's question form as the page posts it, an English client."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.surveys import services
from vinculo.surveys.choices import Collector
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.models import Response, Survey, SurveyVersion
from vinculo.surveys.submission import Respondent, submit_all
from vinculo.test import Org, client_for


def answered(
    survey: Survey,
    unit: Unit,
    raw: dict[str, Any],
    *,
    customer: Customer | None = None,
    collector: str = Collector.LINK,
    language: str = "es",
    version: SurveyVersion | None = None,
) -> Response:
    """A complete response, stored the way every channel stores one."""
    respondent = Respondent(
        survey=survey,
        version=version or survey.current_version,  # type: ignore[arg-type]
        unit=unit,
        collector=collector,
        language=language,
        customer=customer,
    )
    return submit_all(respondent=respondent, idempotency_key=uuid4().hex, raw=raw).response


def english_client(user: User) -> Client:
    """A signed-in client whose pages come in English (the source language of the texts)."""
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def live_version(survey: Survey) -> SurveyVersion:
    """The survey's published version (the tests only ask surveys that have one)."""
    survey.refresh_from_db(fields=["current_version"])
    assert survey.current_version is not None
    return survey.current_version


def streamed(response: Any) -> bytes:
    """The whole body of a streamed response (a CSV export)."""
    return b"".join(response.streaming_content)


def empty_survey(org: Org) -> Survey:
    """A draft survey in Spanish and English, with no questions yet."""
    return services.create_survey(
        actor=SYSTEM, name="Tu visita", slug="tu-visita", unit=org.bilbao, languages=["es", "en"]
    )


def draft(survey: Survey) -> SurveyDefinition:
    """What the builder edits now (the draft, opened if needed)."""
    return services.definition_of(services.draft_of(survey))


def fields(**values: Any) -> dict[str, Any]:
    """A question form as the page posts it (the simple condition's operator always sent)."""
    base = {
        "kind": "nps",
        "key": "nps",
        "page": "1",
        "required": "on",
        "text_es": "¿Nos recomendarías?",
        "text_en": "Would you recommend us?",
        "rating_style": "stars",
        "cond_op": "eq",
    }
    return {**base, **values}


def add(client: Any, survey: Survey, **values: Any) -> Any:
    """Posts a new question, like the editor's form."""
    return client.post(reverse("surveys:question_add", args=[survey.pk]), fields(**values))


def new_form_errors(response: Any) -> dict[str, list[str]]:
    """The errors of the new question's form, by field, as the page shows them."""
    return {name: list(errors) for name, errors in response.context["new_form"].errors.items()}
