"""Building surveys: the draft, publishing, versions that keep old answers intact."""

import copy

import pytest

from vinculo.accounts.actors import SYSTEM
from vinculo.surveys.choices import Collector
from vinculo.surveys.definition import DefinitionError, SurveyDefinition, check_definition
from vinculo.surveys.models import Answer, Question, SurveyVersion
from vinculo.surveys.services import (
    SurveyRefused,
    create_survey,
    definition_of,
    draft_of,
    publish,
    save_draft,
)
from vinculo.surveys.submission import Respondent, submit_all
from vinculo.surveys.testing import NPS_CSAT_TEXT, live_version, published_survey


def test_editing_a_live_survey_publishes_a_new_version_and_keeps_old_answers(org):
    survey = published_survey(unit=org.bilbao)
    v1 = live_version(survey)
    submit_all(
        respondent=Respondent(
            survey=survey, version=v1, unit=org.bilbao, collector=Collector.LINK, language="es"
        ),
        idempotency_key="r1",
        raw={"nps": 3, "csat": 1, "mejora": "Todo"},
    )
    changed = copy.deepcopy(NPS_CSAT_TEXT)
    changed["questions"][0]["text"]["es"] = "Del 0 al 10, ¿nos recomendarías?"
    del changed["questions"][2]

    save_draft(survey=survey, definition=SurveyDefinition.model_validate(changed))
    v2 = publish(survey=survey)

    survey.refresh_from_db()
    assert (v1.number, v2.number, survey.current_version_id) == (1, 2, v2.pk)
    assert v1.questions.get(key="nps").text["es"] == "¿Recomendarías {{unit}} a un amigo?"
    assert v1.questions.filter(key="mejora").exists()
    assert list(Answer.objects.values_list("question__version__number", "question__key")) == [
        (1, "nps"),
        (1, "csat"),
        (1, "mejora"),
    ]


def test_a_new_draft_starts_as_a_copy_of_the_published_version(org):
    survey = published_survey(unit=org.bilbao)

    draft = draft_of(survey)

    assert draft.number == 2 and draft.is_draft
    assert definition_of(draft) == definition_of(live_version(survey))
    assert draft_of(survey).pk == draft.pk  # one draft at a time


def test_an_invalid_definition_saves_nothing(org):
    survey = published_survey(unit=org.bilbao)
    draft = draft_of(survey)
    broken = copy.deepcopy(NPS_CSAT_TEXT)
    broken["questions"][2]["show_if"] = {"question": "gusto", "op": "eq", "value": "x"}

    with pytest.raises(DefinitionError) as caught:
        save_draft(survey=survey, definition=SurveyDefinition.model_validate(broken))

    assert caught.value.field == "questions[2].show_if"
    assert Question.objects.filter(version=draft).count() == 4


def test_publishing_needs_questions_and_every_language(org):
    survey = create_survey(
        actor=SYSTEM, name="Vacía", slug="vacia", unit=org.company, languages=["es", "en"]
    )
    with pytest.raises(SurveyRefused) as caught:
        publish(survey=survey)
    assert caught.value.code == "no_questions"
    assert SurveyVersion.objects.get(survey=survey).published_at is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["questions"][1].update(key="nps"), "questions[1].key"),
        (lambda d: d["questions"][0]["text"].pop("en"), "questions[0].text"),
        (lambda d: d["questions"][0].update(page=3), "questions[1].page"),
        (lambda d: d["questions"][1].update(kind="single_choice"), "questions[1].options"),
        (
            lambda d: d.update(
                skip_rules=[
                    {"after_page": 2, "when": {"question": "nps", "op": "answered"}, "goto": 1}
                ]
            ),
            "skip_rules[0].goto",
        ),
    ],
)
def test_definition_errors_name_the_field(change, field):
    definition = copy.deepcopy(NPS_CSAT_TEXT)
    change(definition)
    with pytest.raises(DefinitionError) as caught:
        check_definition(SurveyDefinition.model_validate(definition), ["es", "en"])
    assert caught.value.field == field
