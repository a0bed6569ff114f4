"""What the dashboard, the breakdown pages, the exports and the API read. Every function
takes a checked ``MetricFilter`` (its unit is within the actor's scope) and reads the
roll-ups through ``reading.read``; only ``comments`` reads answers, the latest few.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.customers.choices import LifecycleStage
from vinculo.journeys.models import Touchpoint
from vinculo.metrics import catalogue
from vinculo.metrics.catalogue import QuestionMeta
from vinculo.metrics.choices import Breakdown, Dimension, Metric
from vinculo.metrics.figures import Figure, difference, figure, score_sums
from vinculo.metrics.filters import MetricFilter
from vinculo.metrics.periods import Period
from vinculo.metrics.reading import Group, Key, read
from vinculo.metrics.rollups.deltas import report_zone
from vinculo.metrics.stats import Counts, Difference, shrink
from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.choices import ResponseStatus, SurveyKind
from vinculo.surveys.models import Answer, Response, Survey
from vinculo.surveys.queries import headline_scores


def measure_questions(f: MetricFilter, *metrics: str) -> dict[int, QuestionMeta]:
    """The questions of the filter's measure (or of ``metrics``), narrowed as it says;
    looked up once per filter."""
    wanted = metrics or (f.metric,)
    if wanted not in f.memo:
        f.memo[wanted] = catalogue.questions(
            metrics=wanted,
            survey_id=f.survey.pk if f.survey else None,
            key=f.question or None,
        )
    found: dict[int, QuestionMeta] = f.memo[wanted]
    return found


def _total(f: MetricFilter, questions: Iterable[int], period: Period | None = None) -> Counts:
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


def trend(f: MetricFilter, interval: str) -> list[TrendPoint]:
    """The measure per day, week, month or quarter of the period, each with its interval."""
    found = read(
        questions=list(measure_questions(f)),
        units=[f.unit],
        period=f.period,
        where=f.where,
        group=Group(bucket=interval),
    )
    min_n = f.min_sample
    return [
        TrendPoint(start, figure(f.kind, found.get((start,), Counts()), min_n))
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
    f: MetricFilter, total: Counts, groups: dict[str, tuple[str, Counts]], unit_of: Any = None
) -> list[Row]:
    kind, min_n = f.kind, f.min_sample
    rows = [
        Row(
            key,
            label,
            figure(kind, counts, min_n),
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


def breakdown(actor: Actor, f: MetricFilter, by: str, language: str = "es") -> list[Row]:
    """The measure by unit (the scope's direct units), touchpoint, channel, interaction
    type, journey stage, segment, lifecycle stage, survey or question; each row tested
    against the rest of the scope."""
    questions = measure_questions(f)
    ids = list(questions)
    total = _total(f, ids)
    if by == Breakdown.UNIT:
        children = list(Unit.objects.filter(parent=f.unit).order_by("name"))
        found = read(
            questions=ids, units=children, period=f.period, where=f.where, group=Group(unit=True)
        )
        by_id = {u.pk: u for u in children}
        groups = {str(pk): (by_id[pk].name, c) for (pk,), c in found.items()}
        return _rows(f, total, groups, lambda key: by_id[int(key)])
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

        return _rows(f, total, _merge(found, name))
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
    return _rows(f, total, _merge(found, _namer(by)))


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


# -- league of units -----------------------------------------------------------------------


@dataclass(frozen=True)
class LeagueRow:
    unit: Unit
    figure: Figure
    shrunk: float | None  # the estimate ranked on, pulled towards the grand mean
    rank: int | None  # None: too few answers to be ranked
    counts: Counts = field(repr=False, default_factory=Counts)


@dataclass(frozen=True)
class League:
    rows: list[LeagueRow]
    grand_mean: float
    between_variance: float  # 0: the units differ no more than chance explains

    @property
    def undistinguished(self) -> bool:
        """True when the model finds no difference between units beyond chance: every
        unit gets the same estimate and the same rank."""
        return len(self.ranked) > 1 and self.between_variance == 0

    @property
    def ranked(self) -> list[LeagueRow]:
        return [r for r in self.rows if r.rank is not None]


def league(f: MetricFilter) -> League:
    """The units at the bottom of the scope's tree (stores, branches, teams), ranked by an
    empirical-Bayes estimate, so that a unit with few answers does not top or bottom
    the table by luck. Units below the minimum sample are listed last, unranked."""
    bottom = (
        Unit.objects.filter(path__startswith=f.unit.path)
        .exclude(children__isnull=False)
        .order_by("name")
    )
    leaves = list(bottom)
    found = read(
        questions=list(measure_questions(f)),
        units=leaves,
        period=f.period,
        where=f.where,
        group=Group(unit=True),
    )
    answered = [u for u in leaves if (u.pk,) in found]
    counts = [found[(u.pk,)] for u in answered]
    model = shrink([score_sums(f.kind, c) for c in counts])
    min_n = f.min_sample
    scored = [
        (unit, figure(f.kind, c, min_n), estimate, c)
        for unit, c, estimate in zip(answered, counts, model.values, strict=True)
    ]
    eligible = sorted(
        (s for s in scored if not s[1].suppressed),
        key=lambda s: (-round(s[2] or 0.0, 6), s[0].name),
    )
    # Competition ranking: units the model cannot tell apart share a rank (1, 1, 3...).
    rows: list[LeagueRow] = []
    for place, (unit, fig, estimate, c) in enumerate(eligible, 1):
        tied = rows and rows[-1].shrunk is not None and estimate is not None
        same = tied and round(rows[-1].shrunk or 0.0, 6) == round(estimate or 0.0, 6)
        rank = rows[-1].rank if same and rows[-1].rank is not None else place
        rows.append(LeagueRow(unit, fig, estimate, rank, c))
    rows += [LeagueRow(u, fig, None, None, c) for u, fig, _est, c in scored if fig.suppressed]
    return League(rows, model.grand_mean, model.between_variance)


# -- choice questions ----------------------------------------------------------------------


@dataclass(frozen=True)
class OptionShare:
    code: str
    label: str
    figure: Figure


def distribution(f: MetricFilter, question_key: str, language: str = "es") -> list[OptionShare]:
    """The share of respondents choosing each option of a choice question (of the filter's
    survey), or the mean of each statement of a matrix."""
    metas = catalogue.questions(
        survey_id=f.survey.pk if f.survey else None, key=question_key, customer_only=True
    )
    if not metas:
        return []
    meta = next(iter(metas.values()))
    found = read(
        questions=list(metas),
        units=[f.unit],
        period=f.period,
        where=f.where,
        group=Group(option=True),
    )
    min_n = f.min_sample
    if meta.kind == K.MATRIX:
        return [
            OptionShare(
                str(row["code"]),
                meta.option_label(str(row["code"]), language),
                figure(K.RATING, found.get((str(row["code"]),), Counts()), min_n),
            )
            for row in meta.rows
        ]
    answered = _total(f, metas).n
    return [
        OptionShare(
            str(option["code"]),
            meta.option_label(str(option["code"]), language),
            figure(K.YES_NO, _share(found.get((str(option["code"]),), Counts()), answered), min_n),
        )
        for option in meta.options
    ]


def _share(chosen: Counts, answered: int) -> Counts:
    """An option's counts as a yes/no over the people who answered the question."""
    return Counts(n=answered, total=chosen.n, total_sq=chosen.n, top=chosen.n, bottom=0)


# -- latest comments -----------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    response_id: int
    text: str
    unit_name: str
    completed_at: Any
    scores: dict[str, int]


TEXT_KINDS = (K.LONG_TEXT, K.SHORT_TEXT)


def comments(f: MetricFilter, limit: int = 8) -> list[Comment]:
    """The latest open answers of customers in the scope and period, with their scores.
    Employees' answers are never listed here (their surveys promise anonymity).

    The scope's newest responses are read a batch at a time (by the index on completion
    time) until enough of them carry a comment: the answers table is never scanned."""
    responses = _answered_in(f).order_by("-completed_at", "-pk")
    listed: list[Answer] = []
    for batch in (200, 2000, 20000):
        ids = list(responses.values_list("pk", flat=True)[:batch])
        listed = list(
            Answer.objects.filter(
                response_id__in=ids, question__kind__in=(K.LONG_TEXT, K.SHORT_TEXT)
            )
            .exclude(text="")
            .select_related("response__unit")
            .order_by("-response__completed_at", "-response_id", "-id")[:limit]
        )
        if len(listed) >= limit or len(ids) < batch:
            break
    scores = headline_scores(a.response_id for a in listed)
    zone = report_zone()
    return [
        Comment(
            a.response_id,
            a.text,
            a.response.unit.name,
            a.response.completed_at.astimezone(zone) if a.response.completed_at else None,
            scores.get(a.response_id, {}),
        )
        for a in listed
    ]


def _answered_in(f: MetricFilter) -> Any:
    zone = report_zone()
    start = datetime.combine(f.period.since, time.min, tzinfo=zone)
    end = datetime.combine(f.period.until + timedelta(days=1), time.min, tzinfo=zone)
    # Ids rather than joins: the planner then walks the index on completion time and
    # stops at the first answers it needs, instead of sorting the whole period.
    surveys = Survey.objects.filter(kind=SurveyKind.CUSTOMER)
    if f.survey is not None:
        surveys = surveys.filter(pk=f.survey.pk)
    rows = Response.objects.filter(
        status=ResponseStatus.COMPLETE,
        completed_at__gte=start,
        completed_at__lt=end,
        survey_id__in=list(surveys.values_list("pk", flat=True)),
    )
    if f.unit.parent_id is not None:  # the whole company needs no unit filter at all
        subtree = Unit.objects.filter(path__startswith=f.unit.path)
        rows = rows.filter(unit_id__in=list(subtree.values_list("pk", flat=True)))
    where = f.where
    if where.touchpoint is not None:
        none = Q(touchpoint__isnull=True) if 0 in where.touchpoint else Q(pk__in=[])
        rows = rows.filter(Q(touchpoint_id__in=sorted(where.touchpoint)) | none)
    if where.channel is not None:
        rows = rows.filter(channel_id__in=sorted(where.channel))
    if where.segment is not None:
        rows = rows.filter(segment__in=sorted(where.segment))
    if where.lifecycle is not None:
        rows = rows.filter(lifecycle_stage__in=sorted(where.lifecycle))
    return rows
