"""submission.questions_of keeps a published version's questions in memory; drafts never."""

import copy

from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.services import draft_of, publish, save_draft
from vinculo.surveys.submission import questions_of
from vinculo.surveys.testing import NPS_CSAT_TEXT, published_survey
from vinculo.test import Org


def test_a_published_versions_questions_are_read_once(org: Org, django_assert_num_queries) -> None:
    survey = published_survey(unit=org.bilbao)
    version = survey.current_version
    assert version is not None
    questions_of(version)

    with django_assert_num_queries(0):
        again = questions_of(version)

    assert [q.key for q in again] == ["nps", "csat", "mejora", "gusto"]
    again.pop()
    assert len(questions_of(version)) == 4  # callers get their own list


def test_a_draft_is_read_afresh_and_a_new_version_gets_its_own_questions(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    old = survey.current_version
    assert old is not None
    questions_of(old)
    changed = copy.deepcopy(NPS_CSAT_TEXT)
    changed["questions"] = changed["questions"][:1]
    save_draft(survey=survey, definition=SurveyDefinition.model_validate(changed))

    assert [q.key for q in questions_of(draft_of(survey))] == ["nps"]
    new = publish(survey=survey)

    assert [q.key for q in questions_of(new)] == ["nps"]
    assert len(questions_of(old)) == 4
