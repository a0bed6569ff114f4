"""Adding and editing questions (surveys:question_add, surveys:question): errors next to
their field, nothing half-saved."""

from django.urls import reverse

from vinculo.surveys import services
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.tests.responses_helpers import (
    add,
    draft,
    empty_survey,
    english_client,
    fields,
    new_form_errors,
)
from vinculo.test import Org, People, client_for


def test_adding_an_nps_question_saves_it_in_the_draft_and_goes_back_to_it(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)

    response = add(client_for(people.bruno), survey)

    assert response.status_code == 302
    assert response["Location"].endswith("?at=q-nps#q-nps")
    [question] = draft(survey).questions
    assert (question.key, question.kind, question.required) == ("nps", "nps", True)
    assert question.text == {"es": "¿Nos recomendarías?", "en": "Would you recommend us?"}


def test_options_typed_one_per_line_become_coded_options_with_labels(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)

    add(
        client_for(people.bruno),
        survey,
        kind="multiple_choice",
        key="motivos",
        options="precio | Precio | Price\n\nstaff | Personal | Staff\n",
        max_choices="2",
    )

    [question] = draft(survey).questions
    assert [o.model_dump() for o in question.options] == [
        {"code": "precio", "label": {"es": "Precio", "en": "Price"}},
        {"code": "staff", "label": {"es": "Personal", "en": "Staff"}},
    ]
    assert question.settings == {"max_choices": 2}


def test_a_choice_question_with_one_option_is_refused_next_to_its_options(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)

    response = add(
        english_client(people.bruno),
        survey,
        kind="single_choice",
        key="motivo",
        options="a | A | A",
    )

    assert response.status_code == 400
    assert new_form_errors(response) == {
        "options": ["This kind of question needs two options or more."]
    }
    assert 'id="id_options_error"' in response.content.decode()
    assert draft(survey).questions == []


def test_a_missing_english_label_names_the_line_of_the_option(org: Org, people: People) -> None:
    survey = empty_survey(org)

    response = add(
        english_client(people.bruno),
        survey,
        kind="dropdown",
        key="tienda",
        options="a | Bilbao | Bilbao\nb | Sevilla",
    )

    assert new_form_errors(response) == {"options": ["Line 2: Write this text in: English."]}


def test_a_badly_written_option_line_is_refused_with_its_line_number(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)

    response = add(
        english_client(people.bruno), survey, kind="dropdown", key="x", options="a | A | A\nnada"
    )

    assert new_form_errors(response) == {
        "options": ["Line 2: write it as “code | Spanish | English”."]
    }


def test_a_question_without_its_english_text_is_refused_next_to_that_text(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)

    response = add(english_client(people.bruno), survey, text_en="  ")

    assert new_form_errors(response) == {"text_en": ["Write this text in: English."]}


def test_a_key_already_used_is_refused_next_to_the_key(org: Org, people: People) -> None:
    survey = empty_survey(org)
    client = english_client(people.bruno)
    add(client, survey)

    response = add(client, survey, kind="csat")

    assert new_form_errors(response) == {
        "key": ["The key “nps” is already used by another question."]
    }
    assert [q.kind for q in draft(survey).questions] == ["nps"]


def test_editing_a_question_changes_only_that_question(org: Org, people: People) -> None:
    survey = empty_survey(org)
    client = client_for(people.bruno)
    add(client, survey)
    add(client, survey, kind="csat", key="csat")

    response = client.post(
        reverse("surveys:question", args=[survey.pk, "nps"]),
        fields(text_es="¿Recomendarías la tienda?", required=""),
    )

    assert response.status_code == 302
    nps, csat = draft(survey).questions
    assert (nps.text["es"], nps.required) == ("¿Recomendarías la tienda?", False)
    assert csat.key == "csat"


def test_settings_of_other_kinds_are_ignored_and_unknown_settings_are_kept(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)
    definition = SurveyDefinition.model_validate(
        {
            "title": {"es": "T", "en": "T"},
            "questions": [
                {
                    "key": "estrellas",
                    "kind": "rating",
                    "text": {"es": "¿Qué tal?", "en": "How was it?"},
                    "settings": {"min": 1, "max": 5, "style": "stars", "widget_hint": "big"},
                }
            ],
        }
    )
    services.save_draft(survey=survey, definition=definition)

    client_for(people.bruno).post(
        reverse("surveys:question", args=[survey.pk, "estrellas"]),
        fields(
            kind="rating",
            key="estrellas",
            rating_min="0",
            rating_max="10",
            rating_style="numbers",
            max_length="40",
        ),
    )

    [question] = draft(survey).questions
    assert question.settings == {"widget_hint": "big", "min": 0, "max": 10, "style": "numbers"}


def test_a_rating_range_outside_the_scale_is_refused_next_to_its_lowest_value(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)

    response = add(
        english_client(people.bruno), survey, kind="rating", key="r", rating_min="5", rating_max="3"
    )

    assert new_form_errors(response) == {
        "rating_min": ["A rating goes from its lowest to its highest value, both within 0-10."]
    }


def test_an_htmx_save_answers_with_the_editor_alone(org: Org, people: People) -> None:
    survey = empty_survey(org)

    response = client_for(people.bruno).post(
        reverse("surveys:question_add", args=[survey.pk]),
        fields(),
        headers={"HX-Request": "true", "HX-Boosted": "true"},
        follow=True,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="editor"')
    assert "<html" not in html


def test_an_htmx_save_with_errors_answers_400_with_the_editor_and_the_errors(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)

    response = english_client(people.bruno).post(
        reverse("surveys:question_add", args=[survey.pk]),
        fields(text_en=""),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 400
    assert response.content.decode().lstrip().startswith('<div id="editor"')
    assert 'id="id_text_en_error"' in response.content.decode()


def test_editing_questions_needs_the_permission_to_manage_surveys(org: Org, people: People) -> None:
    survey = empty_survey(org)

    response = add(client_for(people.carmen), survey)

    assert response.status_code == 403
    assert draft(survey).questions == []


def test_editing_an_unknown_question_is_not_found(org: Org, people: People) -> None:
    survey = empty_survey(org)

    response = client_for(people.bruno).post(
        reverse("surveys:question", args=[survey.pk, "nada"]), fields()
    )

    assert response.status_code == 404
