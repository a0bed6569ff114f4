"""Publishing (surveys:publish), closing and reopening (surveys:status); a new version
leaves the answers of the old one untouched, in the list, the detail and the export."""

import csv
import io

from django.urls import reverse

from vinculo.accounts.actors import SYSTEM
from vinculo.surveys import services
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.models import Answer, Survey
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered, english_client, live_version, streamed
from vinculo.test import Org, People, client_for


def messages_of(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def add_csat_reason(survey: Survey) -> None:
    """Edits the live survey: the CSAT question gets a new text and a reason question is added."""
    definition = services.definition_of(services.draft_of(survey)).model_dump()
    definition["questions"][1]["text"] = {
        "es": "¿Cómo te atendimos hoy?",
        "en": "How did we do today?",
    }
    definition["questions"].append(
        {
            "key": "motivo",
            "kind": "single_choice",
            "page": 2,
            "text": {"es": "¿Por qué?", "en": "Why?"},
            "options": [
                {"code": "precio", "label": {"es": "Precio", "en": "Price"}},
                {"code": "trato", "label": {"es": "Trato", "en": "Service"}},
            ],
        }
    )
    services.save_draft(survey=survey, definition=SurveyDefinition.model_validate(definition))


def test_publishing_the_first_draft_makes_the_survey_live(org: Org, people: People) -> None:
    survey = services.create_survey(
        actor=SYSTEM, name="T", slug="t", unit=org.bilbao, languages=["es"]
    )
    services.save_draft(
        survey=survey,
        definition=SurveyDefinition.model_validate(
            {
                "title": {"es": "T"},
                "questions": [{"key": "nps", "kind": "nps", "text": {"es": "¿?"}}],
            }
        ),
    )

    response = english_client(people.bruno).post(
        reverse("surveys:publish", args=[survey.pk]), follow=True
    )

    survey.refresh_from_db()
    assert (survey.status, live_version(survey).number) == ("live", 1)
    assert messages_of(response) == ["Version 1 is live."]


def test_a_draft_without_questions_is_not_published(org: Org, people: People) -> None:
    survey = services.create_survey(actor=SYSTEM, name="T", slug="t", unit=org.bilbao)

    response = english_client(people.bruno).post(
        reverse("surveys:publish", args=[survey.pk]), follow=True
    )

    survey.refresh_from_db()
    assert survey.status == "draft"
    assert messages_of(response) == ["Add at least one question before publishing."]


def test_publishing_an_edit_makes_version_two_and_version_one_answers_stay_as_they_were(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)
    old = answered(survey, org.bilbao, {"nps": 4, "csat": 2, "mejora": "Más cajas"})
    stored_before = list(
        Answer.objects.filter(response=old).values_list("question_id", "number", "text")
    )
    add_csat_reason(survey)
    client = english_client(people.bruno)

    client.post(reverse("surveys:publish", args=[survey.pk]))

    survey.refresh_from_db()
    assert live_version(survey).number == 2
    new = answered(survey, org.bilbao, {"nps": 10, "csat": 5, "gusto": "Todo", "motivo": "trato"})
    assert (
        list(Answer.objects.filter(response=old).values_list("question_id", "number", "text"))
        == stored_before
    )
    assert old.version.number == 1 and new.version.number == 2

    listed = client.get(reverse("surveys:responses"), {"survey": survey.pk})
    assert [(r.pk, r.version.number) for r in listed.context["page"]] == [(new.pk, 2), (old.pk, 1)]

    detail = client.get(reverse("surveys:response", args=[old.pk]))
    lines = {line.question.key: (line.text, line.label) for line in detail.context["detail"].lines}
    assert lines["csat"] == ("How satisfied are you?", "2")
    assert "motivo" not in lines

    exported = client.get(reverse("surveys:export_csv"), {"survey": survey.pk})
    rows = list(csv.DictReader(io.StringIO(streamed(exported).decode("utf-8-sig"))))
    by_id = {int(row["response_id"]): row for row in rows}
    assert (by_id[old.pk]["version"], by_id[old.pk]["csat"], by_id[old.pk]["motivo"]) == (
        "1",
        "2",
        "",
    )
    assert (by_id[new.pk]["version"], by_id[new.pk]["csat"], by_id[new.pk]["motivo_label"]) == (
        "2",
        "5",
        "Service",
    )


def test_a_live_survey_is_closed_and_reopened(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    client = english_client(people.bruno)

    closed = client.post(
        reverse("surveys:status", args=[survey.pk]), {"status": "closed"}, follow=True
    )
    survey.refresh_from_db()
    assert survey.status == "closed"
    assert messages_of(closed) == ["Survey closed."]

    client.post(reverse("surveys:status", args=[survey.pk]), {"status": "live"})
    survey.refresh_from_db()
    assert survey.status == "live"


def test_a_survey_never_published_cannot_be_opened(org: Org, people: People) -> None:
    survey = services.create_survey(actor=SYSTEM, name="T", slug="t", unit=org.bilbao)

    response = english_client(people.bruno).post(
        reverse("surveys:status", args=[survey.pk]), {"status": "live"}, follow=True
    )

    survey.refresh_from_db()
    assert survey.status == "draft"
    assert messages_of(response) == ["Publish the survey before opening it."]


def test_publishing_needs_the_permission_to_manage_surveys(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    add_csat_reason(survey)

    response = client_for(people.carmen).post(reverse("surveys:publish", args=[survey.pk]))

    assert response.status_code == 403
    survey.refresh_from_db()
    assert live_version(survey).number == 1


def test_a_published_version_can_be_read_as_it_was(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    add_csat_reason(survey)
    services.publish(survey=survey)

    response = english_client(people.bruno).get(reverse("surveys:version", args=[survey.pk, 1]))

    assert [text for _q, text in response.context["questions"]][1] == "How satisfied are you?"
    missing = client_for(people.bruno).get(reverse("surveys:version", args=[survey.pk, 3]))
    assert missing.status_code == 404
