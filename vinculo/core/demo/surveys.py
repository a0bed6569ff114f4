"""The demo's store survey and its answers: customers rate their last store visit.

The survey is built and published through the survey services. Answers are written in
bulk (responses, answers, and their timeline rows through the interaction writer), with
the same timeline keys the survey services use, so a second run adds nothing.
Scores follow the customer's lifecycle stage: customers at risk or leaving are mostly
detractors, consolidated ones mostly promoters, so the demo tells a coherent story.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.core.demo.corridors import Event
from vinculo.customers.choices import LifecycleStage
from vinculo.journeys.models import Channel, InteractionType, Touchpoint
from vinculo.journeys.services import touchpoint_for
from vinculo.metrics import rollups
from vinculo.surveys.choices import Collector, ResponseStatus
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.models import Answer, Question, Response, Survey
from vinculo.surveys.services import create_survey, publish, save_draft

SLUG = "visita-tienda"
ANSWER_RATE = 0.30  # share of recent store visits whose customer answered the survey
RECENT = timedelta(days=365)

DEFINITION: dict[str, Any] = {
    "title": {"es": "Tu visita a la tienda", "en": "Your visit to our store"},
    "intro": {
        "es": "Cuéntanos cómo te atendimos. Son dos minutos.",
        "en": "Tell us how we served you. It takes two minutes.",
    },
    "thank_you": {
        "es": "¡Gracias! Leemos cada respuesta.",
        "en": "Thank you! We read every answer.",
    },
    "questions": [
        {
            "key": "nps",
            "kind": "nps",
            "required": True,
            "text": {
                "es": "¿Recomendarías {{store}} a un familiar o amigo?",
                "en": "Would you recommend {{store}} to a friend or relative?",
            },
        },
        {
            "key": "csat",
            "kind": "csat",
            "required": True,
            "text": {
                "es": "¿Cómo de satisfecho estás con la atención recibida?",
                "en": "How satisfied are you with the service you received?",
            },
        },
        {
            "key": "ces",
            "kind": "ces",
            "text": {
                "es": "¿Qué tan fácil fue resolver lo que venías a hacer?",
                "en": "How easy was it to get done what you came for?",
            },
        },
        {
            "key": "mejora",
            "kind": "long_text",
            "page": 2,
            "text": {
                "es": "¿Qué podríamos mejorar en {{store}}?",
                "en": "What could we improve at {{store}}?",
            },
            "show_if": {"question": "nps", "op": "lte", "value": 8},
        },
        {
            "key": "gusto",
            "kind": "long_text",
            "page": 2,
            "text": {"es": "¿Qué es lo que más te gustó?", "en": "What did you like most?"},
            "show_if": {"question": "nps", "op": "gte", "value": 9},
        },
    ],
}

# (detractor, passive, promoter) weights per lifecycle stage.
NPS_MIX: dict[str, tuple[int, int, int]] = {
    LifecycleStage.ACTIVE: (15, 30, 55),
    LifecycleStage.ONBOARDING: (25, 35, 40),
    LifecycleStage.AT_RISK: (60, 28, 12),
    LifecycleStage.LEAVING: (70, 22, 8),
    LifecycleStage.CHURNED: (72, 20, 8),
    LifecycleStage.WON_BACK: (30, 35, 35),
}
# How a few stores serve, beyond what their customers' stages explain: the factor scales
# detractors up (and promoters down) or the reverse. The rest are alike, so the league
# has something true to find and the statistics something to be honest about.
STORE_SERVICE = {
    "Vigo Príncipe": 2.2,
    "Madrid Vallecas": 1.8,
    "Bilbao Deusto": 1.5,
    "Madrid Chamberí": 0.45,
    "Sevilla Triana": 0.55,
    "Donostia Gros": 0.7,
}
COMMENTS = {
    ("es", "mejora", "detractor"): [
        "Esperé más de media hora para que me atendieran.",
        "Me cobraron una permanencia que nadie me explicó.",
        "El dependiente no sabía resolver mi problema con la factura.",
        "Fui tres veces por la misma avería y sigue sin solución.",
        "Muy poco personal para la gente que había.",
    ],
    ("es", "mejora", "passive"): [
        "Bien en general, pero la cola fue larga.",
        "Podríais explicar mejor las tarifas.",
        "Correcto, aunque tardaron en darme el móvil nuevo.",
    ],
    ("es", "gusto", "promoter"): [
        "Me atendieron enseguida y con mucha amabilidad.",
        "Resolvieron lo de mi fibra en cinco minutos.",
        "La chica que me atendió fue encantadora y muy clara.",
    ],
    ("en", "mejora", "detractor"): [
        "I waited over half an hour to be served.",
        "Nobody could fix my billing problem.",
    ],
    ("en", "mejora", "passive"): ["Fine overall, but the queue was long."],
    ("en", "gusto", "promoter"): ["Quick, friendly and they solved everything."],
}


@dataclass
class DemoSurvey:
    survey: Survey
    version_id: int
    questions: dict[str, Question]
    store_channel_id: int
    response_type: InteractionType
    touchpoint_ids: dict[int, int]  # visit touchpoint id → response timeline touchpoint id

    @classmethod
    def ensure(cls, company_id: int) -> DemoSurvey:
        survey = Survey.objects.filter(slug=SLUG).first()
        if survey is None:
            survey = create_survey(
                actor=SYSTEM,
                name="Visita a tienda",
                slug=SLUG,
                unit=Unit.objects.get(pk=company_id),
                languages=["es", "en"],
            )
            save_draft(survey=survey, definition=SurveyDefinition.model_validate(DEFINITION))
            publish(survey=survey)
            survey.refresh_from_db()
        version = survey.current_version
        assert version is not None
        return cls(
            survey=survey,
            version_id=version.pk,
            questions={q.key: q for q in version.questions.all()},
            store_channel_id=Channel.objects.get(code="store").pk,
            response_type=InteractionType.objects.get(code="survey_response"),
            touchpoint_ids={},
        )

    def timeline_touchpoint(self, visit_touchpoint_id: int) -> int:
        if visit_touchpoint_id not in self.touchpoint_ids:
            visit = Touchpoint.objects.select_related("stage").get(pk=visit_touchpoint_id)
            self.touchpoint_ids[visit_touchpoint_id] = touchpoint_for(
                channel=Channel.objects.get(pk=self.store_channel_id),
                interaction_type=self.response_type,
                stage=visit.stage,
            ).pk
        return self.touchpoint_ids[visit_touchpoint_id]


@dataclass
class Answered:
    """One drawn response before it is written: who, where, when, what."""

    customer_id: int
    visit: int  # the visit's place in the customer's corridor: the response's key
    unit_id: int
    touchpoint_id: int
    segment: str
    lifecycle_stage: str
    language: str
    at: datetime
    scores: dict[str, int]
    comment: tuple[str, str] | None  # (question key, text)


def recent_visits(events: list[Event], now: datetime) -> list[tuple[int, Event]]:
    """Store visits of the last year, with their place in the corridor (from 1): each one
    invites its customer to the survey."""
    return [
        (seq, e)
        for seq, e in enumerate(events, start=1)
        if e.channel == "store" and now - e.at < RECENT
    ]


def draw(
    rng: random.Random,
    stage: str,
    language: str,
    visit: Event,
    now: datetime,
    service: float = 1.0,
) -> tuple[datetime, dict[str, int], tuple[str, str] | None] | None:
    """The answer this customer gave about their store visit, if they answered.
    ``service`` above 1 makes detractors likelier (a store that serves worse)."""
    if rng.random() >= ANSWER_RATE:
        return None
    at = visit.at + timedelta(minutes=rng.randint(3, 40))  # the QR code is in the store
    if at >= now:
        return None
    detractor, passive, promoter = NPS_MIX.get(stage, (25, 35, 40))
    weights = [detractor * service, passive, promoter / service]
    group = rng.choices(["detractor", "passive", "promoter"], weights)[0]
    nps = {"detractor": rng.randint(0, 6), "passive": rng.randint(7, 8)}.get(
        group, rng.randint(9, 10)
    )
    csat = max(1, min(5, round(nps / 2.2) + rng.choice([-1, 0, 0, 1])))
    # CES runs from 1 (very difficult) to 7 (very easy): the happy found it easy.
    ces = max(1, min(7, 1 + round(nps / 1.6) + rng.choice([-1, 0, 1])))
    language = "en" if language == "en" else "es"
    key = "gusto" if group == "promoter" else "mejora"
    bank = COMMENTS.get((language, key, group), [])
    comment = (key, rng.choice(bank)) if bank and rng.random() < 0.6 else None
    return at, {"nps": nps, "csat": csat, "ces": ces}, comment


def write_responses(
    demo: DemoSurvey, answered: list[Answered], *, text_values: bool, created_at: Any
) -> list[tuple[Any, ...]]:
    """Writes responses and answers; returns their timeline rows for the interaction writer."""
    responses = Response.objects.bulk_create(
        [
            Response(
                survey=demo.survey,
                version_id=demo.version_id,
                customer_id=a.customer_id,
                unit_id=a.unit_id,
                touchpoint_id=a.touchpoint_id,
                channel_id=demo.store_channel_id,
                segment=a.segment,
                lifecycle_stage=a.lifecycle_stage,
                collector=Collector.QR,
                language=a.language,
                status=ResponseStatus.COMPLETE,
                idempotency_key=f"demo-{a.customer_id}-{a.visit}",
                last_page=2 if a.comment else 1,
                started_at=a.at - timedelta(minutes=2),
                completed_at=a.at,
            )
            for a in answered
        ],
        batch_size=1000,
    )
    q = demo.questions
    Answer.objects.bulk_create(
        [
            answer
            for response, a in zip(responses, answered, strict=True)
            for answer in (
                *(
                    Answer(response=response, question=q[key], number=value)
                    for key, value in a.scores.items()
                ),
                *(
                    [Answer(response=response, question=q[a.comment[0]], text=a.comment[1])]
                    if a.comment
                    else []
                ),
            )
        ],
        batch_size=2000,
    )
    # What they add to the metrics, folded into the roll-ups by load_demo at the end.
    rollups.record_stored(r.pk for r in responses)
    return [
        (
            a.customer_id,
            demo.timeline_touchpoint(a.touchpoint_id),
            a.unit_id,
            _naive(a.at, text_values),
            None,
            "",
            json.dumps({"survey": demo.survey.name, **a.scores}, ensure_ascii=False),
            "surveys",
            f"response-{response.pk}",
            "survey_response",
            response.pk,
            created_at,
        )
        for response, a in zip(responses, answered, strict=True)
    ]


def _naive(at: datetime, text_values: bool) -> datetime | str:
    utc = at.astimezone(UTC).replace(tzinfo=None)
    return str(utc) if text_values else utc
