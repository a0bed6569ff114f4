"""Skip rules in the builder (surveys:skip_rule_add, surveys:skip_rule_delete)."""

from typing import Any

from django.urls import reverse

from vinculo.surveys import services
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.models import Survey
from vinculo.surveys.testing import NPS_CSAT_TEXT, published_survey
from vinculo.surveys.tests.responses_helpers import english_client, live_version
from vinculo.test import Org, People, client_for

THREE_PAGES: dict[str, Any] = {
    **NPS_CSAT_TEXT,
    "questions": [
        *NPS_CSAT_TEXT["questions"],
        {
            "key": "fin",
            "kind": "short_text",
            "page": 3,
            "text": {"es": "¿Algo más?", "en": "More?"},
        },
    ],
}


def draft(survey: Survey) -> SurveyDefinition:
    return services.definition_of(services.draft_of(survey))


def rule(**values: Any) -> dict[str, Any]:
    """The skip rule form as the page posts it (its fields are prefixed "skip-")."""
    data = {
        "after_page": "1",
        "cond_subject": "q:nps",
        "cond_op": "gte",
        "cond_value": "9",
        "goto": "3",
        **values,
    }
    return {f"skip-{name}": value for name, value in data.items()}


def test_a_skip_rule_is_added_to_the_draft(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao, definition=THREE_PAGES)

    response = client_for(people.bruno).post(
        reverse("surveys:skip_rule_add", args=[survey.pk]), rule()
    )

    assert response.status_code == 302
    assert [r.model_dump() for r in draft(survey).skip_rules] == [
        {"after_page": 1, "when": {"question": "nps", "op": "gte", "value": 9}, "goto": 3}
    ]
    assert live_version(survey).skip_rules == []


def test_a_rule_can_end_the_survey(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao, definition=THREE_PAGES)

    client_for(people.bruno).post(
        reverse("surveys:skip_rule_add", args=[survey.pk]),
        rule(goto="end", cond_op="lte", cond_value="2"),
    )

    assert draft(survey).skip_rules[0].goto == "end"


def test_a_skip_backwards_is_refused_next_to_the_target_page(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao, definition=THREE_PAGES)

    response = english_client(people.bruno).post(
        reverse("surveys:skip_rule_add", args=[survey.pk]), rule(after_page="2", goto="1")
    )

    assert response.status_code == 400
    assert response.context["skip_form"].errors == {
        "goto": ["A skip goes forward, to a page that exists."]
    }
    assert draft(survey).skip_rules == []


def test_a_rule_on_a_question_of_a_later_page_is_refused_next_to_its_condition(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao, definition=THREE_PAGES)

    response = english_client(people.bruno).post(
        reverse("surveys:skip_rule_add", args=[survey.pk]),
        rule(cond_subject="q:mejora", cond_op="answered"),
    )

    assert response.context["skip_form"].errors == {
        "cond_subject": [
            "The condition looks at “mejora”, which is not a question before this one."
        ]
    }


def test_a_skip_rule_is_deleted(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao, definition=THREE_PAGES)
    client = client_for(people.bruno)
    client.post(reverse("surveys:skip_rule_add", args=[survey.pk]), rule())

    client.post(reverse("surveys:skip_rule_delete", args=[survey.pk, 0]))

    assert draft(survey).skip_rules == []
