"""Moving questions up and down (surveys:question_move), across page edges."""

from django.urls import reverse

from vinculo.surveys.tests.responses_helpers import (
    add,
    draft,
    empty_survey,
    fields,
)
from vinculo.test import Org, People, client_for


def test_a_question_moved_to_another_page_joins_the_end_of_that_page(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)
    client = client_for(people.bruno)
    add(client, survey)
    add(client, survey, kind="short_text", key="nombre", page="2")
    add(client, survey, kind="csat", key="csat")

    client.post(reverse("surveys:question", args=[survey.pk, "nps"]), fields(page="2"))

    assert [(q.key, q.page) for q in draft(survey).questions] == [
        ("csat", 1),
        ("nps", 2),
        ("nombre", 2),
    ]


def test_moving_swaps_within_a_page_and_crosses_to_the_next_page_at_its_edge(
    org: Org, people: People
) -> None:
    survey = empty_survey(org)
    client = client_for(people.bruno)
    add(client, survey)
    add(client, survey, kind="csat", key="csat")
    add(client, survey, kind="short_text", key="nombre", page="2")
    move = "surveys:question_move"

    client.post(reverse(move, args=[survey.pk, "csat"]), {"direction": "up"})
    assert [(q.key, q.page) for q in draft(survey).questions] == [
        ("csat", 1),
        ("nps", 1),
        ("nombre", 2),
    ]

    client.post(reverse(move, args=[survey.pk, "nps"]), {"direction": "down"})
    assert [(q.key, q.page) for q in draft(survey).questions] == [
        ("csat", 1),
        ("nps", 2),
        ("nombre", 2),
    ]
