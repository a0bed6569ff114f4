"""Creating a survey (surveys:create)."""

from typing import Any

from django.urls import reverse

from vinculo.accounts.actors import SYSTEM
from vinculo.surveys import services
from vinculo.surveys.models import Survey
from vinculo.surveys.tests.responses_helpers import english_client
from vinculo.test import Org, People, client_for

URL = reverse("surveys:create")


def form(org: Org, **values: Any) -> dict[str, Any]:
    base = {
        "name": "Visita a tienda",
        "slug": "visita-tienda",
        "kind": "customer",
        "unit": org.bilbao.pk,
        "touchpoint": "",
        "languages": ["es", "en"],
        "default_language": "es",
        "public_link": "on",
    }
    return {**base, **values}


def test_a_new_survey_starts_as_a_draft_and_opens_in_the_editor(org: Org, people: People) -> None:
    response = client_for(people.bruno).post(URL, form(org))

    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:edit", args=[survey.pk])
    assert (survey.name, survey.slug, survey.status, survey.unit) == (
        "Visita a tienda",
        "visita-tienda",
        "draft",
        org.bilbao,
    )
    assert (survey.languages, survey.default_language, survey.public_link) == (
        ["es", "en"],
        "es",
        True,
    )
    assert survey.created_by == people.bruno
    [draft] = survey.versions.all()
    assert (draft.number, draft.published_at, draft.title) == (
        1,
        None,
        {"es": "Visita a tienda", "en": "Visita a tienda"},
    )


def test_a_link_name_already_taken_is_refused_next_to_it(org: Org, people: People) -> None:
    services.create_survey(actor=SYSTEM, name="Otra", slug="visita-tienda", unit=org.company)

    response = english_client(people.bruno).post(URL, form(org))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "slug": ["Another survey already uses this link name."]
    }
    assert Survey.objects.count() == 1


def test_the_default_language_must_be_one_of_the_survey_languages(org: Org, people: People) -> None:
    response = english_client(people.bruno).post(
        URL, form(org, languages=["es"], default_language="en")
    )

    assert response.context["form"].errors == {
        "default_language": ["The default language must be one of its languages."]
    }


def test_the_form_offers_languages_as_check_boxes(people: People) -> None:
    html = client_for(people.bruno).get(URL).content.decode()

    assert 'type="checkbox" name="languages" value="es"' in html
    assert 'type="checkbox" name="languages" value="en"' in html


def test_creating_surveys_needs_the_permission_to_manage_them(org: Org, people: People) -> None:
    response = client_for(people.carmen).post(URL, form(org))

    assert response.status_code == 403
    assert not Survey.objects.exists()
