"""The uplift of a sales signal rule: how often the customers sales was told about bought
within the window, against the held-out ones nobody was told about.

Only signals whose window has closed count (a signal raised yesterday has not had its
chance yet, in either group), and only each customer's first of them: a customer with
five signals is one observation, not five, or the intervals would be narrower than the
evidence. Each group's conversion rate has its Wilson 95% interval;
the difference (notified minus held out, in percentage points) has Newcombe's hybrid
score interval (``metrics.stats``). Below the project's minimum sample
(``metrics.filters.policy_min_sample``) in a group, its rate and the difference are
suppressed: they are not shown at all, and neither are its sales (sales over n would
give the rate back); its n is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from vinculo.accounts.actors import Actor
from vinculo.accounts.permissions import Perm
from vinculo.cases.models import SalesSignal, SalesSignalRule
from vinculo.metrics.filters import policy_min_sample
from vinculo.metrics.stats import Difference, Estimate, proportion, proportion_difference

RECENT = 50


@dataclass(frozen=True)
class Uplift:
    notified: Estimate  # conversion %, Wilson interval; value None when suppressed
    held_out: Estimate
    notified_sales: int | None  # None when suppressed
    held_out_sales: int | None
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
    return Uplift(
        told,
        control,
        None if told.suppressed else notified_sales,
        None if control.suppressed else held_sales,
        difference,
        min_sample,
    )


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


def visible_signal(actor: Actor, signal_id: int) -> SalesSignal | None:
    """The signal if the actor may read it: managers of cases whose units cover its unit,
    and the target department's people with VIEW_CASES whose units cover it (the ones it
    was told to), unless it is held out: nobody was told about those."""
    found = (
        signals_for(actor)
        .select_related(
            "rule__source_department", "rule__target_department", "sale__touchpoint__channel"
        )
        .filter(pk=signal_id)
        .first()
    )
    if found is None or actor.can(Perm.MANAGE_CASES):
        return found
    told = actor.department_id == found.rule.target_department_id and not found.held_out
    return found if told and actor.can(Perm.VIEW_CASES) else None


def report(actor: Actor, rule: SalesSignalRule, now: datetime | None = None) -> Report:
    """The rule's uplift over its signals in the actor's units: each customer's first
    signal whose window has closed."""
    closed = (now or timezone.now()) - timedelta(days=rule.window_days)
    done = signals_for(actor, rule).filter(created_at__lte=closed).order_by()
    earlier = done.filter(customer_id=OuterRef("customer_id")).filter(
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )
    counts = done.filter(~Exists(earlier)).aggregate(
        told=Count("pk", filter=Q(held_out=False)),
        told_sold=Count("pk", filter=Q(held_out=False, sale__isnull=False)),
        held=Count("pk", filter=Q(held_out=True)),
        held_sold=Count("pk", filter=Q(held_out=True, sale__isnull=False)),
    )
    waiting = signals_for(actor, rule).filter(created_at__gt=closed).count()
    result = uplift(
        counts["told_sold"],
        counts["told"],
        counts["held_sold"],
        counts["held"],
        policy_min_sample(),
    )
    recent = list(signals_for(actor, rule)[:RECENT])
    return Report(rule, result, waiting, recent)
