"""The filters every metric view and API call shares, checked against what the actor may
see. The page's form and the API's query schema both fill a ``RawFilter`` and call
``resolve``, so a shared URL means the same figures in both, and a bad value gets the
same error naming its field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import Perm
from vinculo.customers.choices import LifecycleStage
from vinculo.journeys.models import Channel, InteractionType, JourneyStage, Touchpoint
from vinculo.metrics.catalogue import METRIC_KINDS
from vinculo.metrics.choices import Metric
from vinculo.metrics.memo import remembered
from vinculo.metrics.models import MetricPolicy
from vinculo.metrics.periods import DEFAULT_PRESET, LONGEST, PRESETS, Period, preset
from vinculo.metrics.reading import Where
from vinculo.surveys.models import Survey

DEFAULT_MIN_SAMPLE = 30


@dataclass
class RawFilter:
    """Filter values as they arrive (strings, or None when absent)."""

    metric: str | None = None
    unit: str | None = None  # unit code
    period: str | None = None  # a preset code, or "custom" with since/until
    since: date | None = None
    until: date | None = None
    survey: int | None = None
    question: str | None = None  # a question key
    touchpoint: int | None = None
    interaction_type: str | None = None
    stage: str | None = None
    channel: str | None = None
    segment: str | None = None
    lifecycle: str | None = None


@dataclass(frozen=True)
class MetricFilter:
    """What a figure is about: a measure, a unit's subtree, a period, narrowed by survey,
    question and dimensions."""

    metric: str
    unit: Unit
    period: Period
    preset: str  # the named period, or "custom"
    survey: Survey | None = None
    question: str = ""
    where: Where = field(default_factory=Where)
    min_sample: int = 30  # figures on fewer answers are suppressed (MetricPolicy)
    # The filters as given, for links (drill-down, exports) to carry them on.
    raw: RawFilter = field(default_factory=RawFilter)
    # Questions already looked up for this filter (one request reads them once).
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return METRIC_KINDS[Metric(self.metric)]


@dataclass
class FilterError(Exception):
    """A filter value that cannot be used; ``field`` names it, ``message`` says why."""

    field: str
    message: str


def home_unit(actor: Actor) -> Unit:
    """Where the actor's dashboard starts: the company (the root), or their own unit."""
    if actor.unit_ids is None:
        root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    else:
        root = Unit.objects.filter(pk__in=sorted(actor.unit_ids)).order_by("depth", "pk").first()
    if root is None:
        raise FilterError("unit", _("There are no units yet."))
    return root


def _unit(actor: Actor, code: str | None) -> Unit:
    if not code:
        return home_unit(actor)
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not actor.sees_unit(unit.pk):
        raise FilterError("unit", _("No unit with this code within your scope."))
    return unit


def _period(raw: RawFilter) -> tuple[Period, str]:
    code = raw.period or ("custom" if raw.since or raw.until else DEFAULT_PRESET)
    if code in PRESETS:
        return preset(code), code
    if code != "custom":
        raise FilterError("period", _("Unknown period."))
    if raw.since is None:
        raise FilterError("since", _("Give the first day of the period."))
    if raw.until is None:
        raise FilterError("until", _("Give the last day of the period."))
    if raw.until < raw.since:
        raise FilterError("until", _("The last day comes before the first."))
    if raw.until - raw.since > LONGEST:
        raise FilterError("since", _("Choose a period of five years at most."))
    return Period(raw.since, raw.until), code


def _touchpoints(raw: RawFilter) -> frozenset[int] | None:
    """The touchpoints the touchpoint, interaction type and stage filters leave."""
    if raw.touchpoint is None and not raw.interaction_type and not raw.stage:
        return None
    touchpoints = Touchpoint.objects.all()
    if raw.touchpoint is not None:
        if not Touchpoint.objects.filter(pk=raw.touchpoint).exists():
            raise FilterError("touchpoint", _("No touchpoint with this id."))
        touchpoints = touchpoints.filter(pk=raw.touchpoint)
    if raw.interaction_type:
        if not InteractionType.objects.filter(code=raw.interaction_type).exists():
            raise FilterError("interaction_type", _("No interaction type with this code."))
        touchpoints = touchpoints.filter(interaction_type__code=raw.interaction_type)
    if raw.stage:
        if not JourneyStage.objects.filter(code=raw.stage).exists():
            raise FilterError("stage", _("No journey stage with this code."))
        touchpoints = touchpoints.filter(stage__code=raw.stage)
    return frozenset(touchpoints.values_list("pk", flat=True))


def resolve(actor: Actor, raw: RawFilter) -> MetricFilter:
    """The filter, checked: raises ``FilterError`` naming the first field that is wrong."""
    metric = raw.metric or Metric.NPS
    if metric not in Metric.values:
        raise FilterError("metric", _("Unknown measure."))
    # Employees' figures are for the people who run the surveys: split by unit and
    # dimension, small groups of colleagues could be recognised.
    if metric == Metric.ENPS and not actor.can(Perm.MANAGE_SURVEYS):
        raise FilterError(
            "metric", _("Employee figures are shown to administrators and CX analysts only.")
        )
    unit = _unit(actor, raw.unit)
    period, code = _period(raw)
    survey = None
    if raw.survey is not None:
        survey = Survey.objects.filter(pk=raw.survey).first()
        if survey is None:
            raise FilterError("survey", _("No survey with this id."))
    channel = None
    if raw.channel:
        found = Channel.objects.filter(code=raw.channel).values_list("pk", flat=True).first()
        if found is None:
            raise FilterError("channel", _("No channel with this code."))
        channel = frozenset({found})
    if raw.lifecycle and raw.lifecycle not in LifecycleStage.values:
        raise FilterError("lifecycle", _("Unknown lifecycle stage."))
    where = Where(
        touchpoint=_touchpoints(raw),
        channel=channel,
        segment=frozenset({raw.segment}) if raw.segment else None,
        lifecycle=frozenset({raw.lifecycle}) if raw.lifecycle else None,
    )
    return MetricFilter(
        metric=metric,
        unit=unit,
        period=period,
        preset=code,
        survey=survey,
        question=(raw.question or "").strip(),
        where=where,
        min_sample=policy_min_sample(),
        raw=raw,
    )


def policy_min_sample() -> int:
    def read() -> int:
        found = MetricPolicy.objects.filter(pk=1).values_list("min_sample", flat=True).first()
        return found or DEFAULT_MIN_SAMPLE

    return remembered("min_sample", read)
