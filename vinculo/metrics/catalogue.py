"""Which questions a measure reads, and names for what the roll-ups store as ids.

A measure (NPS, CSAT...) is every question of its kind: the same key in several versions
of a survey, and several surveys, add up. A report may narrow it to one survey or one
question key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from vinculo.journeys.models import Channel, Touchpoint
from vinculo.metrics.boxes import COUNTED_KINDS
from vinculo.metrics.choices import Metric
from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.choices import SurveyKind
from vinculo.surveys.models import Question
from vinculo.surveys.queries import text_in

METRIC_KINDS = {Metric.NPS: K.NPS, Metric.CSAT: K.CSAT, Metric.CES: K.CES, Metric.ENPS: K.ENPS}
# Customer measures read customer surveys only; eNPS is the employees' own question.
CUSTOMER_METRICS = (Metric.NPS, Metric.CSAT, Metric.CES)


@dataclass(frozen=True)
class QuestionMeta:
    id: int
    survey_id: int
    survey_name: str
    key: str
    kind: str
    position: int
    text: dict[str, str]
    options: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    settings: dict[str, Any]

    def label(self, language: str) -> str:
        return text_in(self.text, language) or self.key

    def option_label(self, code: str, language: str) -> str:
        for option in [*self.options, *self.rows]:
            if str(option.get("code")) == code:
                return text_in(option.get("label"), language) or code
        return code


def questions(
    *,
    metrics: Iterable[str] = (),
    survey_id: int | None = None,
    key: str | None = None,
    ids: Iterable[int] | None = None,
    customer_only: bool = False,
) -> dict[int, QuestionMeta]:
    """Counted questions of published versions, narrowed as asked, by id."""
    rows = Question.objects.filter(
        kind__in=COUNTED_KINDS, version__published_at__isnull=False
    ).select_related("version__survey")
    wanted = Q()
    for metric in metrics:
        kind = Q(kind=METRIC_KINDS[Metric(metric)])
        if metric in CUSTOMER_METRICS:
            kind &= Q(version__survey__kind=SurveyKind.CUSTOMER)
        wanted |= kind
    rows = rows.filter(wanted)
    if survey_id is not None:
        rows = rows.filter(version__survey_id=survey_id)
    if customer_only:
        rows = rows.filter(version__survey__kind=SurveyKind.CUSTOMER)
    if key:
        rows = rows.filter(key=key)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return {
        q.pk: QuestionMeta(
            id=q.pk,
            survey_id=q.version.survey_id,
            survey_name=q.version.survey.name,
            key=q.key,
            kind=q.kind,
            position=q.position,
            text=q.text,
            options=q.options,
            rows=q.rows,
            settings=q.settings,
        )
        for q in rows.order_by("version__survey__name", "key", "-version__number")
    }


def touchpoint_names() -> dict[int, str]:
    return dict(Touchpoint.objects.values_list("pk", "name"))


def channel_names() -> dict[int, str]:
    return dict(Channel.objects.values_list("pk", "name"))


def none_label() -> str:
    return _("(none)")
