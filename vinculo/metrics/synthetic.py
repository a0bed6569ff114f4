"""Synthetic survey answers at scale, for the metrics benchmarks: ``manage.py
generate_responses`` (10 million responses over 24 months in 1,000 stores by default).

Everything goes in by the bulk paths (PostgreSQL ``COPY``, SQLite ``executemany`` in large
transactions with explicit ids), never one ORM call per row, and the values are drawn a
chunk at a time with numpy. The company is "Bench CX" with regions of stores; each store
has its own quality (a few are clearly better or worse), customers' segment and lifecycle
stage shift their scores, so the league, the breakdowns and the trends have something
real to find. Responses are anonymous (no customer rows): the metrics only need the
segment and stage each response keeps. The roll-ups are then built from the raw answers
by ``rollups.rebuild``, the same path ``manage.py rebuild_rollups`` takes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.choices import UnitKind
from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_unit
from vinculo.customers.choices import LifecycleStage
from vinculo.journeys.models import Channel, InteractionType, JourneyStage
from vinculo.journeys.services import touchpoint_for
from vinculo.surveys.choices import Collector, ResponseStatus
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.models import Answer, Question, Response, Survey
from vinculo.surveys.services import create_survey, publish, save_draft

SLUG = "bench-metricas"
COMPANY_CODE = "bench-cx"
CHUNK = 50_000  # responses drawn and written at a time
COMMENT_SHARE = 0.1
COMMENTS = (
    "La cola era demasiado larga.",
    "Me atendieron rápido y bien.",
    "No me resolvieron la incidencia de la factura.",
    "Muy amables, volveré.",
    "Tuve que venir dos veces por lo mismo.",
)
SEGMENTS = (("particular", 0.75), ("empresa", 0.15), ("autonomo", 0.10))
STAGES = (  # (stage, share, effect on satisfaction in logits)
    (LifecycleStage.ACTIVE.value, 0.6, 0.0),
    (LifecycleStage.ONBOARDING.value, 0.1, -0.2),
    (LifecycleStage.AT_RISK.value, 0.12, -1.0),
    (LifecycleStage.LEAVING.value, 0.05, -1.4),
    (LifecycleStage.WON_BACK.value, 0.08, 0.2),
    (LifecycleStage.CHURNED.value, 0.05, -1.6),
)
# How answers reach the survey: the collector, its channel code, its share.
COLLECTORS = (
    (Collector.QR.value, "store", 0.7),
    (Collector.EMAIL.value, "email", 0.2),
    (Collector.LINK.value, "web", 0.1),
)
# (interaction type, stage) of the touchpoints answers are about, and their shares.
TOUCHPOINTS = (
    ("sale", "buy", 0.35),
    ("support", "get_help", 0.25),
    ("billing", "pay", 0.15),
    ("complaint", "get_help", 0.1),
    ("onboarding", "start", 0.15),
)
DEFINITION: dict[str, Any] = {
    "title": {"es": "Tu visita (benchmark)"},
    "questions": [
        {"key": "nps", "kind": "nps", "required": True, "text": {"es": "¿Nos recomendarías?"}},
        {"key": "csat", "kind": "csat", "required": True, "text": {"es": "¿Satisfecho?"}},
        {"key": "ces", "kind": "ces", "required": True, "text": {"es": "¿Fue fácil?"}},
        {"key": "comentario", "kind": "long_text", "text": {"es": "¿Algo más?"}},
    ],
}


@dataclass(frozen=True)
class Plan:
    responses: int = 10_000_000
    stores: int = 1000
    regions: int = 10
    months: int = 24
    seed: int = 20261203


@dataclass(frozen=True)
class World:
    company: Unit
    stores: list[int]
    survey: Survey
    version_id: int
    questions: dict[str, int]
    touchpoints: list[int]
    channels: dict[str, int]


def ensure_world(plan: Plan) -> World:
    """The bench company, regions, stores, survey and touchpoints (reused when present)."""
    company = Unit.objects.filter(code=COMPANY_CODE).first() or create_unit(
        name="Bench CX", code=COMPANY_CODE, kind=UnitKind.COMPANY
    )
    existing = set(
        Unit.objects.filter(path__startswith=company.path).values_list("code", flat=True)
    )
    per_region = math.ceil(plan.stores / plan.regions)
    stores: list[int] = []
    for r in range(plan.regions):
        code = f"bench-r{r + 1:02d}"
        region = (
            Unit.objects.get(code=code)
            if code in existing
            else create_unit(
                name=f"Región {r + 1}", code=code, kind=UnitKind.REGION, parent=company
            )
        )
        for s in range(per_region):
            number = r * per_region + s + 1
            if number > plan.stores:
                break
            store_code = f"bench-s{number:04d}"
            if store_code in existing:
                stores.append(Unit.objects.values_list("pk", flat=True).get(code=store_code))
                continue
            store = create_unit(
                name=f"Tienda {number:04d}", code=store_code, kind=UnitKind.STORE, parent=region
            )
            stores.append(store.pk)
    survey = Survey.objects.filter(slug=SLUG).first()
    if survey is None:
        survey = create_survey(
            actor=SYSTEM, name="Benchmark de métricas", slug=SLUG, unit=company, languages=["es"]
        )
        save_draft(survey=survey, definition=SurveyDefinition.model_validate(DEFINITION))
        publish(survey=survey)
        survey.refresh_from_db()
    assert survey.current_version is not None
    version = survey.current_version
    channels = dict(Channel.objects.values_list("code", "pk"))
    store_channel = Channel.objects.get(code="store")
    touchpoints = [
        touchpoint_for(
            channel=store_channel,
            interaction_type=InteractionType.objects.get(code=kind),
            stage=JourneyStage.objects.get(code=stage),
        ).pk
        for kind, stage, _share in TOUCHPOINTS
    ]
    questions = dict(Question.objects.filter(version=version).values_list("key", "pk"))
    return World(company, stores, survey, version.pk, questions, touchpoints, channels)


def existing_responses(world: World) -> int:
    return Response.objects.filter(survey=world.survey).count()


def generate(plan: Plan, *, progress: Callable[[str], None] = print) -> int:
    """Writes ``plan.responses`` new complete responses with their answers; returns how many."""
    world = ensure_world(plan)
    rng = np.random.default_rng(plan.seed)
    # Each store's quality, in logits: most alike, a few far better or worse.
    quality = rng.normal(0, 0.35, len(world.stores))
    quality[rng.choice(len(world.stores), max(1, len(world.stores) // 50), replace=False)] -= 1.2
    quality[rng.choice(len(world.stores), max(1, len(world.stores) // 50), replace=False)] += 1.0
    size = rng.lognormal(0, 0.5, len(world.stores))
    store_p = size / size.sum()
    next_id = (Response.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    end = timezone.now().astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=round(plan.months * 30.44))
    writer = _writer()
    written = 0
    while written < plan.responses:
        n = min(CHUNK, plan.responses - written)
        responses, answers = _draw(rng, world, quality, store_p, start, end, next_id, n)
        with transaction.atomic():
            writer(Response, responses)
            writer(Answer, answers)
        next_id += n
        written += n
        if written % 1_000_000 < CHUNK or written == plan.responses:
            progress(f"  {written:>11,} / {plan.responses:,} responses")
    _reset_sequences()
    return written


def _pick(rng: np.random.Generator, options: Sequence[Any], shares: Sequence[float], n: int) -> Any:
    p = np.array(shares, dtype=float)
    return rng.choice(len(options), n, p=p / p.sum())


def _draw(
    rng: np.random.Generator,
    world: World,
    quality: np.ndarray,
    store_p: np.ndarray,
    start: datetime,
    end: datetime,
    first_id: int,
    n: int,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """``n`` responses and their answers, as rows in the models' column order."""
    store = rng.choice(len(world.stores), n, p=store_p)
    seconds = rng.integers(0, int((end - start).total_seconds()), n)
    segment = _pick(rng, SEGMENTS, [s for _c, s in SEGMENTS], n)
    stage = _pick(rng, STAGES, [s for _c, s, _e in STAGES], n)
    collector = _pick(rng, COLLECTORS, [s for _c, _ch, s in COLLECTORS], n)
    touchpoint = _pick(rng, TOUCHPOINTS, [s for _k, _s, s in TOUCHPOINTS], n)
    # A latent satisfaction in logits: store, stage and touchpoint move it.
    effect = np.array([e for _c, _s, e in STAGES])[stage] + quality[store]
    effect -= np.where(touchpoint == 3, 1.0, 0.0)  # complaints go worse
    latent = rng.logistic(effect + 0.4, 1.0, n)
    nps = np.clip(np.round(7 + 2.2 * latent), 0, 10).astype(int)
    csat = np.clip(np.round(3.6 + 0.9 * latent + rng.normal(0, 0.5, n)), 1, 5).astype(int)
    ces = np.clip(np.round(4.8 + 1.2 * latent + rng.normal(0, 0.7, n)), 1, 7).astype(int)
    commented = rng.random(n) < COMMENT_SHARE
    comment = rng.integers(0, len(COMMENTS), n)
    now = timezone.now()
    responses, answers = [], []
    q = world.questions
    for i in range(n):
        rid = first_id + i
        completed = start + timedelta(seconds=int(seconds[i]))
        code, channel, _share = COLLECTORS[collector[i]]
        responses.append(
            _response_row(
                rid,
                world,
                world.stores[store[i]],
                world.touchpoints[touchpoint[i]],
                world.channels[channel],
                SEGMENTS[segment[i]][0],
                STAGES[stage[i]][0],
                code,
                completed,
                now,
            )
        )
        answers.append(_answer_row(rid, q["nps"], int(nps[i]), "", now))
        answers.append(_answer_row(rid, q["csat"], int(csat[i]), "", now))
        answers.append(_answer_row(rid, q["ces"], int(ces[i]), "", now))
        if commented[i]:
            answers.append(_answer_row(rid, q["comentario"], None, COMMENTS[comment[i]], now))
    return responses, answers


RESPONSE_FIELDS = [f.attname for f in Response._meta.concrete_fields]
ANSWER_FIELDS = [f.attname for f in Answer._meta.concrete_fields if not f.primary_key]


def _response_row(
    rid: int,
    world: World,
    unit_id: int,
    touchpoint_id: int,
    channel_id: int,
    segment: str,
    stage: str,
    collector: str,
    completed: datetime,
    now: datetime,
) -> tuple[Any, ...]:
    values = {
        "id": rid,
        "survey_id": world.survey.pk,
        "version_id": world.version_id,
        "invitation_id": None,
        "customer_id": None,
        "unit_id": unit_id,
        "touchpoint_id": touchpoint_id,
        "channel_id": channel_id,
        "segment": segment,
        "lifecycle_stage": stage,
        "collector": collector,
        "language": "es",
        "status": ResponseStatus.COMPLETE.value,
        "idempotency_key": f"bench-{rid}",
        "last_page": 1,
        "entered_by_id": None,
        "started_at": completed - timedelta(minutes=2),
        "completed_at": completed,
        "created_at": now,
        "updated_at": now,
    }
    return tuple(values[name] for name in RESPONSE_FIELDS)


def _answer_row(
    rid: int, question_id: int, number: int | None, text: str, now: datetime
) -> tuple[Any, ...]:
    values = {
        "response_id": rid,
        "question_id": question_id,
        "row": "",
        "number": number,
        "text": text,
        "choices": None,
        "date": None,
        "created_at": now,
        "updated_at": now,
    }
    return tuple(values[name] for name in ANSWER_FIELDS)


Writer = Callable[[Any, Iterable[tuple[Any, ...]]], None]


def _columns(model: Any) -> list[str]:
    names = RESPONSE_FIELDS if model is Response else ANSWER_FIELDS
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    return [by_attname[name] for name in names]


def _writer() -> Writer:
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":

        def copy(model: Any, rows: Iterable[tuple[Any, ...]]) -> None:
            columns = ", ".join(quote(c) for c in _columns(model))
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as out:
                    for row in rows:
                        out.write_row(row)

        return copy

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous = OFF")

    def insert(model: Any, rows: Iterable[tuple[Any, ...]]) -> None:
        columns = _columns(model)
        marks = ", ".join(["%s"] * len(columns))
        statement = (
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(c) for c in columns)}) VALUES ({marks})"
        )
        prepared = [tuple(_sqlite_value(v) for v in row) for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(statement, prepared)

    return insert


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    return value


def _reset_sequences() -> None:
    """Responses were written with explicit ids: PostgreSQL's sequence must move past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Response]):
            cursor.execute(statement)
