"""What customers feel and talk about, counted: topics and emotions with their share of
the texts (Wilson interval), mean sentiment (t interval), by unit, channel, touchpoint,
journey stage and month. Shares on fewer texts than the minimum sample are suppressed.

Texts are feedback items and open answers of customer surveys (never employees': their
surveys promise anonymity) that the actor may see.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.journeys.models import Channel, JourneyStage, Touchpoint
from vinculo.lib.dates import day_start
from vinculo.metrics.stats import Estimate, proportion, t_quantile
from vinculo.surveys.choices import SurveyKind
from vinculo.textan.choices import Emotion
from vinculo.textan.models import TextAnalysis, TextTopic, Topic


class Kind:
    ALL = ""
    FEEDBACK = "feedback"
    ANSWERS = "answers"


DIMENSIONS = {  # what a breakdown groups by: the annotated column
    "unit": "unit_ref",
    "channel": "channel_ref",
    "touchpoint": "touchpoint_ref",
    "stage": "stage_ref",
}


@dataclass(frozen=True)
class InsightFilter:
    unit: Unit | None = None
    since: date | None = None
    until: date | None = None
    kind: str = Kind.ALL
    min_sample: int = 30


@dataclass
class Share:
    label: str
    key: object
    estimate: Estimate  # percent of the texts
    score: Estimate | None = None  # mean sentiment score of those texts, -1..1
    count: int = 0  # texts with it


@dataclass
class Insights:
    n: int
    sentiment: Estimate
    emotions: list[Share] = field(default_factory=list)
    topics: list[Share] = field(default_factory=list)


def mean_score(n: int, total: float, total_sq: float) -> Estimate:
    """The mean of float scores with Student's t interval."""
    if n <= 0:
        return Estimate(None, None, None, 0)
    value = total / n
    if n == 1:
        return Estimate(value, None, None, 1)
    variance = max(0.0, (total_sq - total * total / n) / (n - 1))
    half = t_quantile(n - 1) * math.sqrt(variance / n)
    return Estimate(value, value - half, value + half, n)


def analyses(actor: Actor, f: InsightFilter) -> QuerySet[TextAnalysis]:
    """The analyses of the texts in scope, each with its unit, channel, touchpoint, stage
    and time, whichever kind of text it is."""
    rows = TextAnalysis.objects.annotate(
        unit_ref=Coalesce("feedback__unit_id", "answer__response__unit_id"),
        channel_ref=Coalesce("feedback__channel_id", "answer__response__channel_id"),
        touchpoint_ref=Coalesce("feedback__touchpoint_id", "answer__response__touchpoint_id"),
        stage_ref=Coalesce(
            "feedback__touchpoint__stage_id", "answer__response__touchpoint__stage_id"
        ),
        written=Coalesce("feedback__occurred_at", "answer__response__completed_at"),
    ).filter(Q(feedback__isnull=False) | Q(answer__response__survey__kind=SurveyKind.CUSTOMER))
    if f.kind == Kind.FEEDBACK:
        rows = rows.filter(feedback__isnull=False)
    elif f.kind == Kind.ANSWERS:
        rows = rows.filter(answer__isnull=False)
    if actor.unit_ids is not None:
        rows = rows.filter(unit_ref__in=sorted(actor.unit_ids))
    if f.unit is not None:
        rows = rows.filter(
            unit_ref__in=Unit.objects.filter(path__startswith=f.unit.path).values("pk")
        )
    if f.since is not None:
        rows = rows.filter(written__gte=day_start(f.since))
    if f.until is not None:
        rows = rows.filter(written__lt=day_start(f.until + timedelta(days=1)))
    return rows


def _score_sums(rows: QuerySet[TextAnalysis]) -> tuple[int, float, float]:
    found = rows.aggregate(
        n=Count("pk"),
        s=Sum("score"),
        s2=Sum(F("score") * F("score"), output_field=FloatField()),
    )
    return found["n"] or 0, found["s"] or 0.0, found["s2"] or 0.0


def overview(actor: Actor, f: InsightFilter) -> Insights:
    rows = analyses(actor, f)
    n, total, total_sq = _score_sums(rows)
    found = Insights(n, mean_score(n, total, total_sq).suppress_below(f.min_sample))
    felt = dict(
        rows.filter(felt__isnull=False).values_list("felt__emotion").annotate(c=Count("pk"))
    )
    labels = dict(Emotion.choices)
    found.emotions = sorted(
        (
            Share(
                str(labels[e]),
                e,
                proportion(felt.get(e, 0), n).suppress_below(f.min_sample),
                count=felt.get(e, 0),
            )
            for e in Emotion.values
        ),
        key=lambda s: (-s.count, s.label),
    )
    found.topics = topic_shares(rows, n, f.min_sample)
    return found


def topic_shares(rows: QuerySet[TextAnalysis], n: int, min_sample: int) -> list[Share]:
    """Each topic's share of the texts: a text mentioning a topic below counts for it
    too, once however many of its subtopics it mentions."""
    parents = dict(Topic.objects.values_list("pk", "parent_id"))
    names = dict(Topic.objects.values_list("pk", "name"))
    texts: dict[int, set[int]] = defaultdict(set)
    scores: dict[int, float] = {}
    mentions = TextTopic.objects.filter(analysis__in=rows.values("pk")).values_list(
        "analysis_id", "topic_id", "analysis__score"
    )
    for analysis_id, topic_id, text_score in mentions.iterator(chunk_size=5000):
        scores[analysis_id] = text_score
        node: int | None = topic_id
        while node is not None:
            texts[node].add(analysis_id)
            node = parents.get(node)
    shares = []
    for topic_id, ids in texts.items():
        values = [scores[i] for i in ids]
        mean = mean_score(len(values), sum(values), sum(v * v for v in values))
        shares.append(
            Share(
                names[topic_id],
                topic_id,
                proportion(len(ids), n).suppress_below(min_sample),
                mean.suppress_below(min_sample),
                len(ids),
            )
        )
    return sorted(shares, key=lambda s: (-s.count, s.label))


@dataclass
class Row:
    label: str
    n: int
    score: Estimate
    emotions: dict[str, Estimate]
    key: object = None


def breakdown(actor: Actor, f: InsightFilter, by: str, names: dict[object, str]) -> list[Row]:
    """Per value of a dimension: how many texts, their mean sentiment, each emotion's share."""
    column = DIMENSIONS[by]
    rows = analyses(actor, f)
    sums = rows.values(column).annotate(
        n=Count("pk"), s=Sum("score"), s2=Sum(F("score") * F("score"), output_field=FloatField())
    )
    felt: dict[object, dict[str, int]] = defaultdict(dict)
    for key, emotion, count in (
        rows.filter(felt__isnull=False).values_list(column, "felt__emotion").annotate(c=Count("pk"))
    ):
        felt[key][emotion] = count
    found = []
    for group in sums:
        key, n = group[column], group["n"]
        found.append(
            Row(
                names.get(key, str(key)) if key is not None else str(_("(not known)")),
                n,
                mean_score(n, group["s"] or 0.0, group["s2"] or 0.0).suppress_below(f.min_sample),
                {
                    e: proportion(felt[key].get(e, 0), n).suppress_below(f.min_sample)
                    for e in Emotion.values
                },
                key,
            )
        )
    return sorted(found, key=lambda r: -r.n)


def monthly(actor: Actor, f: InsightFilter) -> list[Row]:
    """The emotion trend: each month's texts, mean sentiment and emotion shares."""
    rows = analyses(actor, f).annotate(month=TruncMonth("written"))
    sums = rows.values("month").annotate(
        n=Count("pk"), s=Sum("score"), s2=Sum(F("score") * F("score"), output_field=FloatField())
    )
    felt: dict[object, dict[str, int]] = defaultdict(dict)
    for month, emotion, count in (
        rows.filter(felt__isnull=False)
        .values_list("month", "felt__emotion")
        .annotate(c=Count("pk"))
    ):
        felt[month][emotion] = count
    found = []
    for group in sorted(sums, key=lambda g: g["month"]):
        month, n = group["month"], group["n"]
        found.append(
            Row(
                label := (month.strftime("%Y-%m") if month else ""),
                n,
                mean_score(n, group["s"] or 0.0, group["s2"] or 0.0).suppress_below(f.min_sample),
                {
                    e: proportion(felt[month].get(e, 0), n).suppress_below(f.min_sample)
                    for e in Emotion.values
                },
                label,
            )
        )
    return found


def dimension_names(by: str) -> dict[object, str]:
    """Names of the values a breakdown groups by."""
    rows = {
        "unit": Unit.objects.all(),
        "channel": Channel.objects.all(),
        "touchpoint": Touchpoint.objects.all(),
        "stage": JourneyStage.objects.all(),
    }[by]
    return dict(rows.values_list("pk", "name"))
