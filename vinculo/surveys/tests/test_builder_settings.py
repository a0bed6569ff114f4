"""A survey's settings page (surveys:settings)."""

from typing import Any

from django.urls import reverse

from vinculo.surveys import services
from vinculo.surveys.models import Survey
from vinculo.surveys.testing import NPS_CSAT_TEXT, published_survey
from vinculo.surveys.tests.responses_helpers import live_version
from vinculo.test import Org, People, client_for


def settings_of(survey: Survey, **values: Any) -> dict[str, Any]:
    base = {
        "name": survey.name,
        "slug": survey.slug,
        "kind": survey.kind,
        "unit": survey.unit_id,
        "touchpoint": "",
        "languages": survey.languages,
        "default_language": survey.default_language,
        "public_link": "on" if survey.public_link else "",
    }
    return {**base, **values}


def test_settings_are_changed_and_the_editor_opens_again(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)

    response = client_for(people.bruno).post(
        reverse("surveys:settings", args=[survey.pk]),
        settings_of(survey, name="Tu visita a la tienda", unit=org.norte.pk, public_link=""),
    )

    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.name, survey.unit, survey.public_link) == (
        "Tu visita a la tienda",
        org.norte,
        False,
    )


def test_adding_english_copies_the_spanish_texts_so_the_draft_can_still_be_saved(
    org: Org, people: People
) -> None:
    spanish_only = {
        **NPS_CSAT_TEXT,
        "title": {"es": "Tu visita"},
        "intro": {},
        "thank_you": {},
        "questions": [{**q, "text": {"es": q["text"]["es"]}} for q in NPS_CSAT_TEXT["questions"]],
    }
    survey = published_survey(unit=org.bilbao, languages=["es"], definition=spanish_only)

    client_for(people.bruno).post(
        reverse("surveys:settings", args=[survey.pk]),
        settings_of(survey, languages=["es", "en"]),
    )

    survey.refresh_from_db()
    assert survey.languages == ["es", "en"]
    draft = services.definition_of(services.draft_of(survey))
    assert draft.title == {"es": "Tu visita", "en": "Tu visita"}
    assert draft.questions[1].text == {
        "es": "¿Qué tal te atendimos?",
        "en": "¿Qué tal te atendimos?",
    }
    assert live_version(survey).questions.get(key="csat").text == {"es": "¿Qué tal te atendimos?"}


def test_the_settings_page_needs_the_permission_to_manage_surveys(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)

    assert (
        client_for(people.carmen).get(reverse("surveys:settings", args=[survey.pk])).status_code
        == 403
    )
    assert (
        client_for(people.bruno).get(reverse("surveys:settings", args=[survey.pk])).status_code
        == 200
    )
