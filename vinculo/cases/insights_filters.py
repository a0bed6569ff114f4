"""The filters of the outer-loop pages and API (root causes, case metrics), checked
against what the actor may see. The page's form and the API's query both fill a
``RawInsightFilter`` and call ``resolve``, so a shared URL means the same figures in both
and a bad value gets the same error naming its field (``metrics.filters.FilterError``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department, Unit
from vinculo.cases.models import Case
from vinculo.cases.queries import cases_for
from vinculo.journeys.models import Touchpoint
from vinculo.metrics.filters import FilterError, home_unit, policy_min_sample

DEFAULT_DAYS = 90
LONGEST = timedelta(days=5 * 366)
BY_CAUSE, BY_UNIT, BY_TOUCHPOINT = "cause", "unit", "touchpoint"
GROUPINGS = (BY_CAUSE, BY_UNIT, BY_TOUCHPOINT)
DEFAULT_DEPTH = 1  # regions, below the company


@dataclass
class RawInsightFilter:
    """Filter values as they arrive (None when absent)."""

    since: date | None = None
    until: date | None = None
    unit: str | None = None  # unit code: its subtree
    department: str | None = None  # department code
    touchpoint: int | None = None
    by: str | None = None  # root causes alone, or by unit or touchpoint as well
    depth: int | None = None  # the unit level of the "by unit" rows (0 = company)


@dataclass(frozen=True)
class InsightFilter:
    """A period of local days (both ends included), narrowed by unit subtree, department and
    touchpoint; ``depth`` is the unit level figures are grouped at (never above the unit
    shown nor the actor's own)."""

    since: date
    until: date
    unit: Unit | None
    department: Department | None
    touchpoint: Touchpoint | None
    by: str
    depth: int
    min_sample: int

    @property
    def start(self) -> datetime:
        return _midnight(self.since)

    @property
    def end(self) -> datetime:
        return _midnight(self.until + timedelta(days=1))

    def previous(self) -> tuple[datetime, datetime]:
        """The period of equal length just before this one."""
        days = (self.until - self.since).days + 1
        return _midnight(self.since - timedelta(days=days)), self.start

    @property
    def previous_days(self) -> tuple[date, date]:
        days = (self.until - self.since).days + 1
        return self.since - timedelta(days=days), self.since - timedelta(days=1)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def resolve(actor: Actor, raw: RawInsightFilter) -> InsightFilter:
    """The filter, checked: raises ``FilterError`` naming the first field that is wrong. A
    unit outside the actor's scope gets the same answer as one that does not exist."""
    today = timezone.localdate()
    until = raw.until or today
    since = raw.since or until - timedelta(days=DEFAULT_DAYS - 1)
    if until < since:
        raise FilterError("until", _("The last day comes before the first."))
    if until - since > LONGEST:
        raise FilterError("since", _("Choose a period of five years at most."))
    unit = None
    if raw.unit:
        unit = Unit.objects.filter(code=raw.unit).first()
        if unit is None or not actor.sees_unit(unit.pk):
            raise FilterError("unit", _("No unit with this code within your scope."))
    department = None
    if raw.department:
        department = Department.objects.filter(code=raw.department).first()
        if department is None:
            raise FilterError("department", _("No department with this code."))
    touchpoint = None
    if raw.touchpoint is not None:
        touchpoint = Touchpoint.objects.filter(pk=raw.touchpoint).first()
        if touchpoint is None:
            raise FilterError("touchpoint", _("No touchpoint with this id."))
    by = raw.by or BY_CAUSE
    if by not in GROUPINGS:
        raise FilterError("by", _("Group by cause, unit or touchpoint."))
    if raw.depth is not None and not 0 <= raw.depth <= 10:
        raise FilterError("depth", _("Choose a unit level between 0 and 10."))
    top = unit if unit is not None else _home(actor)
    depth = max(DEFAULT_DEPTH if raw.depth is None else raw.depth, top.depth if top else 0)
    return InsightFilter(
        since, until, unit, department, touchpoint, by, depth, min_sample=policy_min_sample()
    )


def _home(actor: Actor) -> Unit | None:
    try:
        return home_unit(actor)
    except FilterError:
        return None  # no units at all: nothing to group


def scoped(actor: Actor, f: InsightFilter) -> QuerySet[Case]:
    """The cases the actor sees, narrowed by the filter's unit, department and touchpoint
    (not yet by period: each figure has its own clock)."""
    rows = cases_for(actor)
    if f.unit is not None:
        rows = rows.filter(unit__path__startswith=f.unit.path)
    if f.department is not None:
        rows = rows.filter(department=f.department)
    if f.touchpoint is not None:
        rows = rows.filter(touchpoint=f.touchpoint)
    return rows.order_by()


def unit_at(path: str, depth: int) -> int:
    """The id of the unit at ``depth`` above the unit with ``path`` (``/1/4/17/``); the
    unit itself when it sits higher than ``depth``."""
    ids = [int(part) for part in path.split("/") if part]
    return ids[min(depth, len(ids) - 1)]


def unit_names(ids: set[int]) -> dict[int, str]:
    return dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))


def unit_codes(ids: set[int]) -> dict[int, str]:
    return dict(Unit.objects.filter(pk__in=ids).values_list("pk", "code"))
