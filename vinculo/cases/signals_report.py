"""The uplift of a sales signal rule: how often the customers sales was told about bought
within the window, against the held-out ones nobody was told about.

Only signals whose window has closed count (a signal raised yesterday has not had its
chance yet, in either group). Each group's conversion rate has its Wilson 95% interval;
the difference (notified minus held out, in percentage points) has Newcombe's hybrid
score interval (``metrics.stats``). Below the project's minimum sample
(``metrics.filters.policy_min_sample``) in a group, its rate and the difference are
suppressed: they are not shown at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from vinculo.accounts.actors import Actor
from vinculo.cases.models import SalesSignal, SalesSignalRule
from vinculo.metrics.filters import policy_min_sample
from vinculo.metrics.stats import Difference, Estimate, proportion, proportion_difference

RECENT = 50


@dataclass(frozen=True)
class Uplift:
    notified: Estimate  # conversion %, Wilson interval; value None when suppressed
    held_out: Estimate
    notified_sales: int
    held_out_sales: int
    difference: Difference | None  # None when either group is below the minimum
    min_sample: int


def uplift(
    notified_sales: int, notified: int, held_sales: int, held: int, min_sample: int
) -> Uplift:
    """The two conversion rates and their difference from the counts."""
    told = proportion(notified_sales, notified).suppress_below(min_sample)
    control = proportion(held_sales, held).suppress_below(min_sample)
    difference = None
    if notified >= min_sample and held >= min_sample and notified and held:
        difference = proportion_difference(notified_sales, notified, held_sales, held)
    return Uplift(told, control, notified_sales, held_sales, difference, min_sample)


@dataclass(frozen=True)
class Report:
    rule: SalesSignalRule
    uplift: Uplift
    waiting: int  # signals whose window is still open, not counted yet
    recent: list[SalesSignal]


def signals_for(actor: Actor, rule: SalesSignalRule | None = None) -> QuerySet[SalesSignal]:
    """The signals in the actor's units (of ``rule``), newest first, with what lists show."""
    rows = SalesSignal.objects.select_related(
        "rule",
        "customer",
        "unit",
        "interaction__touchpoint__interaction_type",
        "interaction__touchpoint__channel",
        "sale__touchpoint__interaction_type",
    )
    if rule is not None:
        rows = rows.filter(rule=rule)
    if actor.unit_ids is not None:
        rows = rows.filter(unit_id__in=actor.unit_ids)
    return rows.order_by("-created_at", "-pk")


def report(actor: Actor, rule: SalesSignalRule, now: datetime | None = None) -> Report:
    """The rule's uplift over its signals in the actor's units."""
    closed = (now or timezone.now()) - timedelta(days=rule.window_days)
    counts = (
        signals_for(actor, rule)
        .order_by()
        .aggregate(
            told=Count("pk", filter=Q(held_out=False, created_at__lte=closed)),
            told_sold=Count(
                "pk", filter=Q(held_out=False, created_at__lte=closed, sale__isnull=False)
            ),
            held=Count("pk", filter=Q(held_out=True, created_at__lte=closed)),
            held_sold=Count(
                "pk", filter=Q(held_out=True, created_at__lte=closed, sale__isnull=False)
            ),
            waiting=Count("pk", filter=Q(created_at__gt=closed)),
        )
    )
    result = uplift(
        counts["told_sold"],
        counts["told"],
        counts["held_sold"],
        counts["held"],
        policy_min_sample(),
    )
    recent = list(signals_for(actor, rule)[:RECENT])
    return Report(rule, result, counts["waiting"], recent)
