"""The hot-path INSERT helpers store what the ORM would store."""

import datetime as dt

from vinculo.journeys.models import Channel
from vinculo.lib import fastinsert
from vinculo.surveys.choices import Collector
from vinculo.surveys.models import Answer, Response
from vinculo.surveys.testing import live_version, published_survey


def test_insert_and_insert_many_store_typed_values_defaults_and_timestamps(org):
    survey = published_survey(unit=org.bilbao)
    version = live_version(survey)
    started = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)

    response = fastinsert.insert(
        Response,
        {
            "survey_id": survey.pk,
            "version_id": version.pk,
            "unit_id": org.bilbao.pk,
            "channel_id": Channel.objects.get(code="web").pk,
            "collector": Collector.LINK,
            "language": "es",
            "idempotency_key": "fast-1",
            "started_at": started,
        },
    )
    nps = version.questions.get(key="nps")
    fastinsert.insert_many(
        Answer,
        [
            {"response_id": response.pk, "question_id": nps.pk, "number": 7},
            {
                "response_id": response.pk,
                "question_id": version.questions.get(key="mejora").pk,
                "text": "Más cajas",
                "choices": ["a", "ñ"],
                "date": dt.date(2026, 11, 1),
            },
        ],
    )

    stored = Response.objects.get(pk=response.pk)
    assert (stored.status, stored.last_page, stored.started_at) == ("partial", 0, started)
    assert stored.created_at is not None and stored.updated_at is not None
    answers = list(Answer.objects.filter(response=stored).order_by("question__position"))
    assert [(a.number, a.text, a.choices, a.date, a.row) for a in answers] == [
        (7, "", None, None, ""),
        (None, "Más cajas", ["a", "ñ"], dt.date(2026, 11, 1), ""),
    ]
