"""Deleting questions (surveys:question_delete)."""

from django.urls import reverse

from vinculo.surveys.tests.responses_helpers import (
    add,
    draft,
    empty_survey,
    english_client,
)
from vinculo.test import Org, People, client_for


def test_deleting_a_question_another_one_looks_at_is_refused_with_a_message(
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

    response = client.post(reverse("surveys:question_delete", args=[survey.pk, "nps"]), follow=True)

    assert [str(m) for m in response.context["messages"]][-1] == (
        "“nps” was not deleted: Question “mejora”: "
        "The condition looks at “nps”, which is not a question before this one."
    )
    assert [q.key for q in draft(survey).questions] == ["nps", "mejora"]


def test_deleting_a_question_removes_it_from_the_draft(org: Org, people: People) -> None:
    survey = empty_survey(org)
    client = client_for(people.bruno)
    add(client, survey)
    add(client, survey, kind="csat", key="csat")

    client.post(reverse("surveys:question_delete", args=[survey.pk, "nps"]))

    assert [q.key for q in draft(survey).questions] == ["csat"]
