"""When a case falls due: the priority's ``SlaTarget`` over the business calendar (the
working hours and holidays, ``sla.Calendar``), or the clock for round-the-clock
priorities. Targets and calendar are read once per SETUP_SECONDS and again after any edit
of them (``apps.CasesConfig.ready`` connects ``forget_sla_setup``)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from vinculo.cases.models import Holiday, SlaTarget, WorkingHours
from vinculo.cases.sla import ALWAYS, Calendar, Shift, SlaError, calendar

logger = logging.getLogger(__name__)


class CaseError(ValueError):
    """A change that cannot be made; ``field`` names what to correct."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class _SlaSetup:
    calendar: Calendar
    targets: dict[str, SlaTarget]
    read_at: float


_setup: _SlaSetup | None = None
SETUP_SECONDS = 30.0  # another process's edit of hours or targets is seen within this


def forget_sla_setup(**_kwargs: Any) -> None:
    """Read hours, holidays and targets again next time (connected to their saves)."""
    global _setup
    _setup = None


def _sla_setup() -> _SlaSetup:
    """Targets and calendar, read once per SETUP_SECONDS: opening thousands of cases in one
    rules run does not read the same three tables thousands of times."""
    global _setup
    if _setup is None or time.monotonic() - _setup.read_at > SETUP_SECONDS:
        targets = {t.priority: t for t in SlaTarget.objects.all()}
        _setup = _SlaSetup(business_calendar(), targets, time.monotonic())
    return _setup


def business_calendar() -> Calendar:
    """The working week and holidays as configured; round the clock if none is set (a
    calendar that never opens would never fall due)."""
    shifts = [Shift(h.weekday, h.opens, h.closes) for h in WorkingHours.objects.all()]
    holidays = list(Holiday.objects.values_list("day", flat=True))
    try:
        return calendar(settings.TIME_ZONE, shifts, holidays)
    except SlaError:
        logger.warning("No usable working hours: SLAs count round the clock")
        return ALWAYS


def due_times(priority: str, start: datetime) -> tuple[datetime, datetime]:
    """(first response due, resolution due) of a case of ``priority`` opened at ``start``."""
    setup = _sla_setup()
    target = setup.targets.get(priority)
    if target is None:
        raise CaseError("priority", _("There is no SLA target for this priority."))
    clock = ALWAYS if target.round_the_clock else setup.calendar
    try:
        return (
            clock.add(start, target.first_response_minutes),
            clock.add(start, target.resolution_minutes),
        )
    except SlaError as error:  # hours so few that the target lies years away
        raise CaseError(
            "priority", _("The working hours are too few to meet this priority's SLA.")
        ) from error


def resumed_due(priority: str, due: datetime, paused: datetime, resumed: datetime) -> datetime:
    """``due`` pushed by the time (business time, or the clock for round-the-clock
    priorities) a case waited for the customer between ``paused`` and ``resumed``."""
    setup = _sla_setup()
    target = setup.targets.get(priority)
    clock = ALWAYS if target is None or target.round_the_clock else setup.calendar
    waited = clock.between(paused, resumed) if resumed > paused else 0
    return clock.add(due, waited) if waited else due


def pauses_while_waiting() -> bool:
    from vinculo.cases.models import CaseSettings

    found = CaseSettings.objects.filter(pk=1).values_list("pause_while_waiting", flat=True)
    return next(iter(found), True)
