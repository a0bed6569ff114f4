"""While a case waits for the customer its resolution clock stops; leaving the wait pushes
the resolution due time by the business time waited. And a shift may close at midnight."""

import datetime as dt

from vinculo.cases.choices import Priority, Status
from vinculo.cases.escalation import escalate_overdue, overdue
from vinculo.cases.listing import sla_of
from vinculo.cases.models import Case, CaseEvent, CaseSettings, RootCause, WorkingHours
from vinculo.cases.services import resolve, set_status, take
from vinculo.cases.testing import opened
from vinculo.test import Org, People, actor_of, at


def test_waiting_for_the_customer_stops_the_resolution_clock(org: Org, people: People) -> None:
    # Normal: resolution in 5 business days (Mon-Fri 9-18) from Monday 10:00 -> next Monday.
    actor = actor_of(people.alicia)
    case = opened(org.bilbao, priority=Priority.NORMAL, now=at("2026-03-02 10:00"))
    assert case.resolution_due == at("2026-03-09 10:00")
    take(actor=actor, case=case, now=at("2026-03-02 10:30"))

    set_status(actor=actor, case=case, status=Status.WAITING, now=at("2026-03-03 10:00"))
    # Tuesday 10-18 and Wednesday 9-10: nine business hours waited, one business day.
    case = set_status(actor=actor, case=case, status=Status.IN_PROGRESS, now=at("2026-03-04 10:00"))

    assert case.paused_at is None
    assert case.resolution_due == at("2026-03-10 10:00")
    moved = CaseEvent.objects.filter(case=case).latest("pk").data["resolution_due"]
    assert moved["to"] == at("2026-03-10 10:00").isoformat()


def test_a_waiting_case_is_not_overdue_unless_it_was_late_already(org: Org, people: People) -> None:
    actor = actor_of(people.alicia)
    waiting = opened(org.bilbao, "Esperando", now=at("2026-03-02 10:00"))
    take(actor=actor, case=waiting, now=at("2026-03-02 10:30"))
    set_status(actor=actor, case=waiting, status=Status.WAITING, now=at("2026-03-03 10:00"))
    late = opened(org.bilbao, "Tarde", now=at("2026-03-02 10:00"))
    take(actor=actor, case=late, now=at("2026-03-02 10:30"))
    set_status(actor=actor, case=late, status=Status.WAITING, now=at("2026-03-10 10:00"))

    much_later = at("2026-03-20 10:00")

    assert list(overdue(much_later)) == [late]
    assert escalate_overdue(much_later) == [late.pk]
    assert sla_of(Case.objects.get(pk=waiting.pk), much_later).resolution_late is False
    assert sla_of(Case.objects.get(pk=late.pk), much_later).resolution_late is True


def test_resolving_a_waiting_case_counts_the_wait_out(org: Org, people: People) -> None:
    actor = actor_of(people.alicia)
    case = opened(org.bilbao, now=at("2026-03-02 10:00"))
    take(actor=actor, case=case, now=at("2026-03-02 10:30"))
    set_status(actor=actor, case=case, status=Status.WAITING, now=at("2026-03-03 10:00"))
    cause = RootCause.objects.get(name="Trato del personal")

    # Resolved the Monday after the due time, but it waited five business days.
    case = resolve(
        actor=actor, case=case, root_cause=cause, resolution="Hecho", now=at("2026-03-10 10:00")
    )

    assert case.resolution_due == at("2026-03-16 10:00")
    assert sla_of(case).resolution_late is False


def test_the_clock_keeps_running_when_the_settings_say_so(org: Org, people: People) -> None:
    CaseSettings.objects.update_or_create(pk=1, defaults={"pause_while_waiting": False})
    actor = actor_of(people.alicia)
    case = opened(org.bilbao, now=at("2026-03-02 10:00"))
    take(actor=actor, case=case, now=at("2026-03-02 10:30"))
    set_status(actor=actor, case=case, status=Status.WAITING, now=at("2026-03-03 10:00"))

    assert Case.objects.get(pk=case.pk).paused_at is None
    assert list(overdue(at("2026-03-20 10:00"))) == [case]


def test_a_shift_may_close_at_midnight(org: Org) -> None:
    WorkingHours.objects.create(weekday=5, opens=dt.time(18), closes=dt.time(0))

    case = opened(org.bilbao, priority=Priority.HIGH, now=at("2026-03-07 23:00"))

    # Saturday 23-24 (1 h), then Monday 9-12 (3 h): four business hours.
    assert case.first_response_due == at("2026-03-09 12:00")
