"""Test helpers for cases: one opened through the real service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Department, Unit
from vinculo.cases.models import Case
from vinculo.cases.services import NewCase, open_case


def opened(unit: Unit, title: str = "Cliente detractor", **fields: Any) -> Case:
    """A case of ``unit`` opened by the system; ``department`` may be given by its code."""
    department = fields.pop("department", "customer_service")
    if isinstance(department, str):
        department = Department.objects.get(code=department)
    now: datetime | None = fields.pop("now", None)
    case, _created = open_case(
        actor=SYSTEM, data=NewCase(title=title, unit=unit, department=department, **fields), now=now
    )
    return case
