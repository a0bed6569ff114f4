"""The draft's editor page (surveys:edit) and its texts form (surveys:texts)."""

from typing import Any

from django.urls import reverse

from vinculo.accounts.actors import SYSTEM
from vinculo.surveys import services
from vinculo.surveys.models import Survey
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered, english_client, live_version
from vinculo.test import Org, People, client_for


def editor(client: Any, survey: Survey, **params: str) -> Any:
    return client.get(reverse("surveys:edit", args=[survey.pk]), params)


def test_a_live_survey_says_changes_become_the_next_version_and_answers_stay(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)

    html = editor(english_client(people.bruno), survey).content.decode()

    assert "Version 1 is published." in html
    assert "Changes are published as version 2; answers already received do not change." in html
    assert "No unpublished changes." in html


def test_the_editor_shows_the_questions_of_the_draft_in_the_page_language(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)

    response = editor(english_client(people.bruno), survey)

    texts = [item["text"] for item in response.context["questions"]]
    assert texts == [
        "Would you recommend {{unit}} to a friend?",
        "How satisfied are you?",
        "What could we improve at {{unit}}?",
        "What did you like most?",
    ]
    assert "Shown only if nps is at most 8" in response.content.decode()


def test_the_public_link_preview_and_posters_are_offered(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)

    response = editor(client_for(people.bruno), survey)

    links = response.context["links"]
    assert links["public"] == "http://testserver/s/tu-visita/"
    assert links["preview"] == "/s/tu-visita/?preview=1"
    assert links["posters"] == f"/surveys/{survey.pk}/posters/"
    html = response.content.decode()
    assert 'value="http://testserver/s/tu-visita/"' in html
    assert 'href="/s/tu-visita/?preview=1"' in html
    assert f'href="/surveys/{survey.pk}/posters/"' in html


def test_the_version_history_counts_the_responses_to_each_version(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    answered(survey, org.bilbao, {"nps": 9, "csat": 5})
    services.save_draft(survey=survey, definition=services.definition_of(live_version(survey)))
    services.publish(survey=survey)
    survey.refresh_from_db()
    answered(survey, org.bilbao, {"nps": 3, "csat": 2})
    answered(survey, org.sevilla, {"nps": 10, "csat": 5})

    response = editor(client_for(people.bruno), survey)

    rows = [(row.number, row.responses) for row in response.context["history"]]
    assert rows == [(2, 2), (1, 1)]


def test_opening_a_question_shows_its_form_filled_in(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)

    response = editor(client_for(people.bruno), survey, edit="mejora")

    [form] = [item["form"] for item in response.context["questions"] if item["form"]]
    assert form.initial["key"] == "mejora"
    assert form.initial["cond_subject"] == "q:nps"
    assert (form.initial["cond_op"], form.initial["cond_value"]) == ("lte", "8")


def test_adding_a_question_suggests_a_free_key_on_the_last_page(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)

    response = editor(client_for(people.bruno), survey, add="nps")

    form = response.context["new_form"]
    assert (form.initial["key"], form.initial["page"], form.initial["kind"]) == ("nps_2", 2, "nps")


def test_a_draft_that_cannot_be_published_says_why(org: Org, people: People) -> None:
    survey = services.create_survey(
        actor=SYSTEM, name="Nueva", slug="nueva", unit=org.bilbao, languages=["es"]
    )

    html = editor(english_client(people.bruno), survey).content.decode()

    assert "Not ready to publish:" in html
    assert "Add at least one question before publishing." in html


def test_texts_are_saved_per_language(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    data = {
        "title_es": "Tu opinión",
        "title_en": "Your opinion",
        "intro_es": "",
        "intro_en": "",
        "thank_you_es": "¡Gracias!",
        "thank_you_en": "Thanks!",
    }

    response = client_for(people.bruno).post(reverse("surveys:texts", args=[survey.pk]), data)

    assert response.status_code == 302
    draft = services.definition_of(services.draft_of(survey))
    assert draft.title == {"es": "Tu opinión", "en": "Your opinion"}
    assert draft.intro == {}
    assert draft.thank_you == {"es": "¡Gracias!", "en": "Thanks!"}
    assert survey.versions.get(number=1).title == {"es": "Tu visita", "en": "Your visit"}


def test_a_missing_title_is_shown_next_to_the_title_in_that_language(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)

    response = english_client(people.bruno).post(
        reverse("surveys:texts", args=[survey.pk]), {"title_es": "Tu opinión", "title_en": ""}
    )

    assert response.status_code == 400
    assert response.context["texts_form"].errors == {"title_en": ["Write this text in: English."]}
    assert survey.versions.filter(published_at__isnull=True).count() == 1  # opened, unchanged
    assert services.definition_of(services.draft_of(survey)).title["en"] == "Your visit"


def test_the_editor_is_for_people_who_manage_surveys(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)

    assert editor(client_for(people.carmen), survey).status_code == 403
    assert editor(client_for(people.fernando), survey).status_code == 403
    assert editor(client_for(people.alicia), survey).status_code == 200


def test_an_unknown_survey_is_not_found(people: People) -> None:
    assert client_for(people.bruno).get(reverse("surveys:edit", args=[999])).status_code == 404
