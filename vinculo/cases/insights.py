"""The outer loop, read side: which root causes the resolved cases had, where, and how
fast they closed (``root_causes``); and how well the cases of a period were worked, per
department and per unit (``case_metrics``).

Each figure is read with one query (plus one for the names it shows), never one per case;
medians need each case's durations, so those queries return one short row per case. Every
estimate carries its n and 95% interval and is suppressed below the metrics policy's
minimum sample (medians below six values too: they have no interval then). Medians over
the cases opened in a period count the ones not finished yet as slower than every
finished one, and are withheld when those decide the figure. Definitions: docs/cases.md,
"Outer loop" and "Case metrics".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department
from vinculo.cases.choices import EventKind
from vinculo.cases.insights_filters import (
    BY_TOUCHPOINT,
    BY_UNIT,
    InsightFilter,
    scoped,
    unit_at,
    unit_codes,
    unit_names,
)
from vinculo.cases.insights_stats import cohort_median, median_of, net_promoter, share
from vinculo.cases.models import CaseEvent, RootCause
from vinculo.journeys.models import Touchpoint
from vinculo.metrics.stats import Estimate

HOUR = 3600.0


def hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / HOUR


# -- root causes --------------------------------------------------------------------------


@dataclass(frozen=True)
class CauseRow:
    """One root cause (in one unit or at one touchpoint, when grouped so)."""

    cause_id: int
    cause: str
    parent: str
    group_id: int | None
    group: str
    group_code: str
    n: int  # resolved cases in the period
    share: Estimate  # of all resolved cases in the period and filters, %
    time_to_close: Estimate  # median hours from opening to resolution
    reopen_rate: Estimate  # % of the row's cases reopened at least once
    previous_n: int  # resolved cases in the period of equal length just before

    @property
    def change(self) -> int:
        return self.n - self.previous_n

    @property
    def label(self) -> str:
        return f"{self.parent} > {self.cause}" if self.parent else self.cause


@dataclass(frozen=True)
class CauseRollup:
    filter: InsightFilter
    total: int  # resolved cases with a root cause in the period and filters
    previous_total: int
    rows: list[CauseRow]


def root_causes(actor: Actor, f: InsightFilter) -> CauseRollup:
    """Resolved cases of the period by root cause (and unit at ``f.depth``, or touchpoint),
    most frequent first, each with its share, median time to close and reopen rate, and
    the count of the period before."""
    base = scoped(actor, f).filter(root_cause__isnull=False)
    now_rows = base.filter(resolved_at__gte=f.start, resolved_at__lt=f.end).values_list(
        "root_cause_id", "unit__path", "touchpoint_id", "opened_at", "resolved_at", "reopened"
    )
    start, end = f.previous()
    before = (
        base.filter(resolved_at__gte=start, resolved_at__lt=end)
        .values_list("root_cause_id", "unit__path", "touchpoint_id")
        .annotate(n=Count("pk"))
    )
    groups: dict[tuple[int, int | None], list[tuple[float, int]]] = defaultdict(list)
    for cause_id, path, touchpoint_id, opened, resolved, reopened in now_rows:
        key = (cause_id, _group(f, path, touchpoint_id))
        assert resolved is not None  # filtered on it
        groups[key].append((hours(opened, resolved), reopened))
    previous: dict[tuple[int, int | None], int] = defaultdict(int)
    for cause_id, path, touchpoint_id, n in before:
        previous[(cause_id, _group(f, path, touchpoint_id))] += n
    total = sum(len(cases) for cases in groups.values())
    names = _cause_names({key[0] for key in (*groups, *previous)})
    labels, codes = _group_labels(f, {key[1] for key in (*groups, *previous)})
    rows = []
    for key in set(groups) | set(previous):
        cases = groups.get(key, [])
        cause, parent = names.get(key[0], ("", ""))
        rows.append(
            CauseRow(
                cause_id=key[0],
                cause=cause,
                parent=parent,
                group_id=key[1],
                group=labels.get(key[1], ""),
                group_code=codes.get(key[1], ""),
                n=len(cases),
                share=share(len(cases), total, f.min_sample),
                time_to_close=median_of([h for h, _r in cases], f.min_sample),
                reopen_rate=share(sum(1 for _h, r in cases if r), len(cases), f.min_sample),
                previous_n=previous.get(key, 0),
            )
        )
    rows.sort(key=lambda r: (-r.n, -r.previous_n, r.label, r.group))
    return CauseRollup(f, total, sum(previous.values()), rows)


def _group(f: InsightFilter, path: str, touchpoint_id: int | None) -> int | None:
    if f.by == BY_UNIT:
        return unit_at(path, f.depth)
    if f.by == BY_TOUCHPOINT:
        return touchpoint_id
    return None


def _cause_names(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    causes = RootCause.objects.filter(pk__in=list(ids)).select_related("parent")
    return {c.pk: (c.name, c.parent.name if c.parent else "") for c in causes}


def _group_labels(f: InsightFilter, ids: set[int | None]) -> tuple[dict, dict]:
    wanted = {i for i in ids if i is not None}
    if f.by == BY_UNIT:
        return unit_names(wanted), unit_codes(wanted)
    if f.by == BY_TOUCHPOINT:
        names = dict(Touchpoint.objects.filter(pk__in=wanted).values_list("pk", "name"))
        return {**names, None: _("No touchpoint")}, {}
    return {}, {}


# -- case metrics -------------------------------------------------------------------------


@dataclass
class _Tally:
    """What one group's figures are computed from."""

    opened: int = 0
    first_hours: list[float] = field(default_factory=list)
    first_met: int = 0
    first_due: int = 0  # first response given, or its due time passed
    resolve_hours: list[float] = field(default_factory=list)
    resolution_met: int = 0
    resolution_due: int = 0  # resolved, or its due time passed
    first_contact: int = 0  # resolved, never reopened, at most one contact before
    no_contact: int = 0  # resolved with no contact logged (counted in first_contact)
    first_open: int = 0  # no first response yet
    resolve_open: int = 0  # not resolved yet
    scores: list[int] = field(default_factory=list)
    solved: int = 0
    solved_n: int = 0


@dataclass(frozen=True)
class MetricsRow:
    """The figures of the cases opened in the period in one department or unit (or all)."""

    key: str
    label: str
    opened: int
    resolved: int
    first_response: Estimate  # median hours from opening to the first response, n opened
    first_response_open: bool  # withheld: too many cases still wait for a first response
    first_response_sla: Estimate  # % answered by the due time, among those due
    time_to_resolve: Estimate  # median hours from opening to resolution, n opened
    time_to_resolve_open: bool  # withheld: too many cases still open
    resolution_sla: Estimate  # % resolved by the due time, among those due
    first_contact_resolution: Estimate  # % of the resolved
    resolved_without_contact: int  # of the resolved, those with no contact logged
    follow_up_nps: Estimate
    follow_up_solved: Estimate  # % who said it was solved, of those who answered


@dataclass(frozen=True)
class CaseMetrics:
    filter: InsightFilter
    total: MetricsRow
    departments: list[MetricsRow]
    units: list[MetricsRow]


def case_metrics(actor: Actor, f: InsightFilter, now: datetime | None = None) -> CaseMetrics:
    """The cases opened in the period, per department and per unit (at ``f.depth``), plus
    all of them: one query, one row per case."""
    when = now or timezone.now()
    contacts = (
        CaseEvent.objects.filter(
            case=OuterRef("pk"), kind=EventKind.CONTACT, created_at__lte=OuterRef("resolved_at")
        )
        .order_by()
        .values("case")
        .annotate(c=Count("pk"))
        .values("c")
    )
    rows = (
        scoped(actor, f)
        .filter(opened_at__gte=f.start, opened_at__lt=f.end)
        .annotate(contacts=Coalesce(Subquery(contacts), Value(0), output_field=IntegerField()))
        .values_list(
            "department_id",
            "unit__path",
            "opened_at",
            "first_response_at",
            "first_response_due",
            "resolved_at",
            "resolution_due",
            "reopened",
            "contacts",
            "follow_up__score",
            "follow_up__solved",
        )
    )
    total = _Tally()
    by_department: dict[int | None, _Tally] = defaultdict(_Tally)
    by_unit: dict[int, _Tally] = defaultdict(_Tally)
    for row in rows:
        department_id, path = row[0], row[1]
        for tally in (total, by_department[department_id], by_unit[unit_at(path, f.depth)]):
            _count(tally, row[2:], when)
    departments = dict(
        Department.objects.filter(pk__in=[k for k in by_department if k]).values_list("pk", "name")
    )
    names = unit_names(set(by_unit))
    return CaseMetrics(
        filter=f,
        total=_figures("all", _("All cases"), total, f.min_sample),
        departments=sorted(
            (
                _figures(
                    f"department-{k or 0}",
                    departments.get(k, "") if k else _("No department"),
                    t,
                    f.min_sample,
                )
                for k, t in by_department.items()
            ),
            key=lambda r: (-r.opened, r.label),
        ),
        units=sorted(
            (_figures(f"unit-{k}", names.get(k, ""), t, f.min_sample) for k, t in by_unit.items()),
            key=lambda r: (-r.opened, r.label),
        ),
    )


def _count(t: _Tally, row: tuple, now: datetime) -> None:
    opened, first_at, first_due, resolved_at, resolution_due, reopened, contacts = row[:7]
    score, solved = row[7:]
    t.opened += 1
    if first_at is not None:
        t.first_hours.append(hours(opened, first_at))
    else:
        t.first_open += 1
    if first_at is not None or first_due < now:
        t.first_due += 1
        t.first_met += first_at is not None and first_at <= first_due
    if resolved_at is not None:
        t.resolve_hours.append(hours(opened, resolved_at))
        t.first_contact += reopened == 0 and contacts <= 1
        t.no_contact += contacts == 0
    else:
        t.resolve_open += 1
    if resolved_at is not None or resolution_due < now:
        t.resolution_due += 1
        t.resolution_met += resolved_at is not None and resolved_at <= resolution_due
    if score is not None:
        t.scores.append(score)
    if solved is not None:
        t.solved_n += 1
        t.solved += bool(solved)


def _figures(key: str, label: str, t: _Tally, min_n: int) -> MetricsRow:
    resolved = len(t.resolve_hours)
    first = cohort_median(t.first_hours, t.first_open, min_n)
    resolve = cohort_median(t.resolve_hours, t.resolve_open, min_n)
    return MetricsRow(
        key=key,
        label=label,
        opened=t.opened,
        resolved=resolved,
        first_response=first.estimate,
        first_response_open=first.too_many_open,
        first_response_sla=share(t.first_met, t.first_due, min_n),
        time_to_resolve=resolve.estimate,
        time_to_resolve_open=resolve.too_many_open,
        resolution_sla=share(t.resolution_met, t.resolution_due, min_n),
        first_contact_resolution=share(t.first_contact, resolved, min_n),
        resolved_without_contact=t.no_contact,
        follow_up_nps=net_promoter(t.scores, min_n),
        follow_up_solved=share(t.solved, t.solved_n, min_n),
    )


def resolved_counts(actor: Actor, cause_ids: Iterable[int], f: InsightFilter) -> dict[int, int]:
    """Resolved cases of each root cause in the period, within the actor's scope: one
    query, for the improvement actions list."""
    rows = (
        scoped(actor, f)
        .filter(root_cause_id__in=list(cause_ids), resolved_at__gte=f.start, resolved_at__lt=f.end)
        .values_list("root_cause_id")
        .annotate(n=Count("pk"))
    )
    return {cause_id: n for cause_id, n in rows}
