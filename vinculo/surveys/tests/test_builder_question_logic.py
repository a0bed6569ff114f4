"""Display logic typed in the question form: the simple condition, customer fields, JSON."""

from django.urls import reverse

from vinculo.surveys.tests.responses_helpers import (
    add,
    draft,
    empty_survey,
    english_client,
    fields,
    new_form_errors,
)
from vinculo.test import Org, People, client_for


def test_a_display_condition_is_stored_as_show_if_with_a_typed_value(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)
    client = client_for(people.bruno)
    add(client, survey)

    add(
        client,
        survey,
        kind="long_text",
        key="mejora",
        page="2",
        required="",
        cond_subject="q:nps",
        cond_op="lte",
        cond_value="6",
    )

    mejora = draft(survey).questions[1]
    assert mejora.show_if == {"question": "nps", "op": "lte", "value": 6}
    assert mejora.page == 2


def test_a_condition_on_a_customer_attribute_and_a_list_of_values(org: Org, people: People) -> None:
    survey = empty_survey(org)

    add(
        client_for(people.bruno),
        survey,
        cond_subject="c:attributes",
        cond_attribute="plan_family",
        cond_op="in",
        cond_value="fibra, movil",
    )

    assert draft(survey).questions[0].show_if == {
        "customer": "attributes.plan_family",
        "op": "in",
        "value": ["fibra", "movil"],
    }


def test_an_advanced_json_condition_replaces_the_simple_one(org: Org, people: People) -> None:
    survey = empty_survey(org)
    client = client_for(people.bruno)
    add(client, survey)
    compound = (
        '{"any": [{"question": "nps", "op": "lte", "value": 6},'
        ' {"customer": "segment", "op": "eq", "value": "empresa"}]}'
    )

    add(client, survey, kind="short_text", key="motivo", cond_subject="q:nps", cond_json=compound)

    assert draft(survey).questions[1].show_if == {
        "any": [
            {"question": "nps", "op": "lte", "value": 6},
            {"customer": "segment", "op": "eq", "value": "empresa"},
        ]
    }


def test_a_json_condition_on_a_later_question_is_refused_next_to_the_condition(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)

    response = add(
        english_client(people.bruno),
        survey,
        cond_json='{"question": "csat", "op": "eq", "value": 1}',
    )

    assert new_form_errors(response) == {
        "cond_subject": ["The condition looks at “csat”, which is not a question before this one."]
    }


def test_invalid_json_is_refused_next_to_the_json_box(org: Org, people: People) -> None:
    survey = empty_survey(org)

    response = add(english_client(people.bruno), survey, cond_json="{nps <= 6}")

    assert list(new_form_errors(response)) == ["cond_json"]
    assert new_form_errors(response)["cond_json"][0].startswith("This is not valid JSON")


def test_an_edit_that_breaks_another_question_names_it_and_saves_nothing(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)
    client = english_client(people.bruno)
    add(client, survey)
    add(
        client,
        survey,
        kind="long_text",
        key="mejora",
        cond_subject="q:nps",
        cond_value="6",
        cond_op="lte",
    )

    response = client.post(
        reverse("surveys:question", args=[survey.pk, "nps"]), fields(key="recomienda")
    )

    assert response.status_code == 400
    [form] = [item["form"] for item in response.context["questions"] if item["form"]]
    assert form.non_field_errors() == [
        "Question “mejora”: The condition looks at “nps”, which is not a question before this one."
    ]
    assert [q.key for q in draft(survey).questions] == ["nps", "mejora"]
