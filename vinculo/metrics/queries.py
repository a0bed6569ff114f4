"""What the dashboard, the exports, the digest and the API read: the tiles, trends,
breakdowns and option shares. Every function takes a checked ``MetricFilter`` (its unit is
within the actor's scope) and reads the roll-ups through ``reading.read``. The league of
units is in ``league.py``; the latest comments, the one read of answers, in ``comments.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.customers.choices import LifecycleStage
from vinculo.journeys.models import Touchpoint
from vinculo.metrics import catalogue
from vinculo.metrics.catalogue import QuestionMeta
from vinculo.metrics.choices import Breakdown, Dimension, Grain, Metric
from vinculo.metrics.figures import Figure, difference, figure
from vinculo.metrics.filters import MetricFilter
from vinculo.metrics.memo import remembered
from vinculo.metrics.models import ScoreCube
from vinculo.metrics.periods import Period
from vinculo.metrics.reading import Group, Key, read
from vinculo.metrics.stats import Counts, Difference
from vinculo.surveys.models import Question


def measure_questions(f: MetricFilter, *metrics: str) -> dict[int, QuestionMeta]:
    """The questions of the filter's measure (or of ``metrics``), narrowed as it says;
    looked up once per filter."""
    wanted = metrics or (f.metric,)
    if wanted not in f.memo:
        survey_id = f.survey.pk if f.survey else None
        f.memo[wanted] = remembered(
            ("questions", wanted, survey_id, f.question),
            lambda: catalogue.questions(
                metrics=wanted, survey_id=survey_id, key=f.question or None
            ),
        )
    found: dict[int, QuestionMeta] = f.memo[wanted]
    return found


def total_of(f: MetricFilter, questions: Iterable[int], period: Period | None = None) -> Counts:
    found = read(
        questions=list(questions), units=[f.unit], period=period or f.period, where=f.where
    )
    return found.get((), Counts())


# -- the headline of a measure -------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    """A measure over the scope and period, against the period before and the parent."""

    metric: str
    figure: Figure
    previous: Figure
    change: Difference | None
    parent: Unit | None = None
    parent_figure: Figure | None = None
    versus_parent: Difference | None = None  # the unit against the rest of its parent


def tiles(actor: Actor, f: MetricFilter) -> list[Tile]:
    """NPS, CSAT and CES of customers (and eNPS when asked for) side by side: each measure
    read in the same few queries as one."""
    metrics = [*catalogue.CUSTOMER_METRICS]
    if f.metric == Metric.ENPS:
        metrics.append(Metric.ENPS)
    questions = measure_questions(f, *metrics)
    min_n = f.min_sample
    now = _by_kind(f, questions, f.period)
    before = _by_kind(f, questions, f.period.previous())
    parent = _parent(actor, f.unit)
    around = _by_kind(replace(f, unit=parent), questions, f.period) if parent else {}
    found = []
    for metric in metrics:
        kind = catalogue.METRIC_KINDS[Metric(metric)]
        here, earlier = now.get(kind, Counts()), before.get(kind, Counts())
        parent_figure, versus = None, None
        if parent is not None:
            whole = around.get(kind, Counts())
            parent_figure = figure(kind, whole, min_n)
            versus = difference(kind, here, whole - here, min_n)
        found.append(
            Tile(
                metric,
                figure(kind, here, min_n),
                figure(kind, earlier, min_n),
                difference(kind, here, earlier, min_n),
                parent,
                parent_figure,
                versus,
            )
        )
    return found


def tile(actor: Actor, f: MetricFilter) -> Tile:
    """The filter's own measure, as ``tiles`` gives it."""
    return next(t for t in tiles(actor, f) if t.metric == f.metric)


def _by_kind(
    f: MetricFilter, questions: dict[int, QuestionMeta], period: Period
) -> dict[str, Counts]:
    found = read(
        questions=list(questions),
        units=[f.unit],
        period=period,
        where=f.where,
        group=Group(question=True),
    )
    totals: dict[str, Counts] = {}
    for (question_id,), counts in found.items():
        kind = questions[question_id].kind
        totals[kind] = totals.get(kind, Counts()) + counts
    return totals


def _parent(actor: Actor, unit: Unit) -> Unit | None:
    """The unit's parent, if the actor may see it: its figures are data of units beyond
    a unit manager's subtree."""
    if unit.parent_id is None or not actor.sees_unit(unit.parent_id):
        return None
    parent: Unit | None = unit.parent
    return parent


# -- trend ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    start: date
    figure: Figure


def trend(f: MetricFilter, interval: str, *, details: bool = False) -> list[TrendPoint]:
    """The measure per day, week, month or quarter of the period, each with its interval."""
    found = read(
        questions=list(measure_questions(f)),
        units=[f.unit],
        period=f.period,
        where=f.where,
        group=Group(bucket=interval),
    )
    min_n = f.min_sample
    # A bucket cut by the period's first day starts, as shown, on that day.
    return [
        TrendPoint(
            max(start, f.period.since),
            figure(f.kind, found.get((start,), Counts()), min_n, details=details),
        )
        for start in f.period.buckets(interval)
    ]


# -- breakdowns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One group of a breakdown: its figure, and whether it differs from the rest."""

    key: str
    label: str
    figure: Figure
    versus_rest: Difference | None
    counts: Counts = field(repr=False)
    unit: Unit | None = None


def _rows(
    f: MetricFilter,
    total: Counts,
    groups: dict[str, tuple[str, Counts]],
    unit_of: Any = None,
    details: bool = False,
) -> list[Row]:
    kind, min_n = f.kind, f.min_sample
    rows = [
        Row(
            key,
            label,
            figure(kind, counts, min_n, details=details),
            difference(kind, counts, total - counts, min_n),
            counts,
            unit_of(key) if unit_of else None,
        )
        for key, (label, counts) in groups.items()
    ]
    return sorted(rows, key=lambda r: r.label.casefold())


def _merge(
    found: dict[Key, Counts], name: Callable[[Any], tuple[str, str]]
) -> dict[str, tuple[str, Counts]]:
    """Groups keyed by ``name(key part) -> (key, label)``, counts added up."""
    merged: dict[str, tuple[str, Counts]] = {}
    for (part,), counts in found.items():
        key, label = name(part)
        previous = merged.get(key, (label, Counts()))[1]
        merged[key] = (label, previous + counts)
    return merged


def breakdown(
    actor: Actor, f: MetricFilter, by: str, language: str = "es", *, details: bool = False
) -> list[Row]:
    """The measure by unit (the scope's direct units), touchpoint, channel, interaction
    type, journey stage, segment, lifecycle stage, survey or question; each row tested
    against the rest of the scope."""
    questions = measure_questions(f)
    ids = list(questions)
    total = total_of(f, ids)
    if by == Breakdown.UNIT:
        children = list(Unit.objects.filter(parent=f.unit).order_by("name"))
        found = read(
            questions=ids, units=children, period=f.period, where=f.where, group=Group(unit=True)
        )
        by_id = {u.pk: u for u in children}
        groups = {str(pk): (by_id[pk].name, c) for (pk,), c in found.items()}
        return _rows(f, total, groups, lambda key: by_id[int(key)], details)
    if by in (Breakdown.SURVEY, Breakdown.QUESTION):
        found = read(
            questions=ids,
            units=[f.unit],
            period=f.period,
            where=f.where,
            group=Group(question=True),
        )

        def name(qid: int) -> tuple[str, str]:
            meta = questions[qid]
            if by == Breakdown.SURVEY:
                return str(meta.survey_id), meta.survey_name
            return f"{meta.survey_id}:{meta.key}", f"{meta.survey_name} · {meta.label(language)}"

        return _rows(f, total, _merge(found, name), details=details)
    dim = {
        Breakdown.TOUCHPOINT: Dimension.TOUCHPOINT,
        Breakdown.INTERACTION_TYPE: Dimension.TOUCHPOINT,
        Breakdown.STAGE: Dimension.TOUCHPOINT,
        Breakdown.CHANNEL: Dimension.CHANNEL,
        Breakdown.SEGMENT: Dimension.SEGMENT,
        Breakdown.LIFECYCLE: Dimension.LIFECYCLE,
    }[Breakdown(by)]
    found = read(
        questions=ids, units=[f.unit], period=f.period, where=f.where, group=Group(dim=dim)
    )
    return _rows(f, total, _merge(found, _namer(by)), details=details)


def _namer(by: str) -> Callable[[str], tuple[str, str]]:
    """Turns a dimension value as stored into ``(key, label)`` for the breakdown ``by``."""
    none = catalogue.none_label()
    if by == Breakdown.CHANNEL:
        channels = catalogue.channel_names()
        return lambda v: (v, channels.get(int(v), v) if v else none)
    if by == Breakdown.SEGMENT:
        return lambda v: (v, v or none)
    if by == Breakdown.LIFECYCLE:
        stages = dict(LifecycleStage.choices)
        return lambda v: (v, str(stages.get(v, v)) if v else none)
    touchpoints = {
        tp.pk: tp for tp in Touchpoint.objects.select_related("interaction_type", "stage")
    }

    def name(value: str) -> tuple[str, str]:
        tp = touchpoints.get(int(value)) if value else None
        if tp is None:
            return "", none
        if by == Breakdown.INTERACTION_TYPE:
            return tp.interaction_type.code, tp.interaction_type.name
        if by == Breakdown.STAGE:
            return tp.stage.code, tp.stage.name
        return str(tp.pk), tp.name

    return name


def ancestors(actor: Actor, unit: Unit) -> list[Unit]:
    """The units above ``unit`` that the actor may see, from the top: the way back up."""
    above = [int(pk) for pk in unit.path.strip("/").split("/") if int(pk) != unit.pk]
    visible = [pk for pk in above if actor.sees_unit(pk)]
    return list(Unit.objects.filter(pk__in=visible).order_by("depth"))


def seen_segments(unit: Unit) -> list[str]:
    """Customer segments the roll-ups have seen in a unit's subtree (read from them, never
    from the customers table, which may hold millions of rows)."""
    measures = Question.objects.filter(kind__in=catalogue.METRIC_KINDS.values())
    found = ScoreCube.objects.filter(
        question_id__in=list(measures.values_list("pk", flat=True)),
        unit_id=unit.pk,
        grain=Grain.MONTH,
        dim=Dimension.SEGMENT,
    ).exclude(value="")
    return sorted(set(found.values_list("value", flat=True)))
