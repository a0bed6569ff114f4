"""Staff preview /s/<slug>/?preview=1: the draft, checked page by page, nothing stored."""

import copy

from django.test import Client

from vinculo.accounts.actors import SYSTEM
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.models import Answer, Response
from vinculo.surveys.services import create_survey, save_draft
from vinculo.surveys.testing import NPS_CSAT_TEXT, published_survey
from vinculo.surveys.tests.respond_helpers import answer, checked_values, text_of
from vinculo.test import Org, People, client_for

BANNER = "Preview — nothing is stored"


def _with_a_changed_draft(org: Org) -> None:
    survey = published_survey(unit=org.bilbao)
    draft = copy.deepcopy(NPS_CSAT_TEXT)
    draft["questions"][1]["text"] = {"es": "¿Te atendimos rápido?", "en": "Were we quick?"}
    save_draft(survey=survey, definition=SurveyDefinition.model_validate(draft))


def test_a_survey_manager_walks_the_draft_and_nothing_is_stored(org: Org, people: People) -> None:
    _with_a_changed_draft(org)
    client = client_for(people.bruno)
    client.cookies["django_language"] = "en"

    first = client.get("/s/tu-visita/?preview=1")
    assert BANNER in text_of(first)
    assert "Were we quick?" in text_of(first)
    second = answer(client, first, {"nps": "9", "csat": "5"})
    assert "What did you like most?" in text_of(second)
    back = answer(client, second, {"_go": "back"})
    assert checked_values(back, "nps") == ["9"]
    done = answer(client, second, {"gusto": "Todo"})

    assert done.status_code == 200
    assert BANNER in text_of(done) and "Thank you for helping us!" in text_of(done)
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_a_preview_checks_answers_like_the_real_page(org: Org, people: People) -> None:
    _with_a_changed_draft(org)
    client = client_for(people.bruno)
    client.cookies["django_language"] = "en"

    refused = answer(client, client.get("/s/tu-visita/?preview=1"), {"nps": "9"})

    assert refused.status_code == 422
    assert "“Were we quick?” needs an answer." in text_of(refused)
    assert BANNER in text_of(refused)


def test_a_survey_never_published_can_be_previewed(org: Org, people: People) -> None:
    survey = create_survey(actor=SYSTEM, name="Nueva", slug="nueva", unit=org.bilbao)
    save_draft(
        survey=survey,
        definition=SurveyDefinition.model_validate(
            {
                "title": {"es": "Nueva"},
                "questions": [{"key": "nps", "kind": "nps", "text": {"es": "¿Nos recomiendas?"}}],
            }
        ),
    )

    preview = client_for(people.alicia).get("/s/nueva/?preview=1")
    public = Client().get("/s/nueva/?preview=1")

    assert preview.status_code == 200 and "¿Nos recomiendas?" in text_of(preview)
    assert public.status_code == 404


def test_without_the_permission_the_preview_flag_shows_the_live_version(
    org: Org, people: People
) -> None:
    _with_a_changed_draft(org)

    page = client_for(people.diego).get("/s/tu-visita/?preview=1")

    assert BANNER not in text_of(page)
    assert "¿Qué tal te atendimos?" in text_of(page)


def test_previewing_a_live_survey_opens_no_draft(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)

    page = client_for(people.bruno).get("/s/tu-visita/?preview=1")

    assert page.status_code == 200
    assert not survey.versions.filter(published_at__isnull=True).exists()
