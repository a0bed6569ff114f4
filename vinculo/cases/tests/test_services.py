"""Working a case through the services: SLA due times in business hours, the life of a
case with its activity log and timeline, who sees and works what, escalation once."""

import datetime as dt

import pytest

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Department
from vinculo.cases.choices import EventKind, Priority, Status, Trigger
from vinculo.cases.escalation import escalate_overdue
from vinculo.cases.models import Case, CaseEvent, RootCause, WorkingHours
from vinculo.cases.queries import cases_for
from vinculo.cases.services import (
    CaseError,
    NewCase,
    assign,
    log_contact,
    open_case,
    reopen,
    resolve,
    set_status,
    take,
)
from vinculo.cases.testing import opened
from vinculo.journeys.models import Interaction
from vinculo.test import Org, People, actor_of, at, make_customer


def test_a_high_case_opened_on_friday_evening_is_due_in_business_hours(org: Org) -> None:
    # High: first response in 4 business hours, resolution in 2 business days (18 h).
    # Friday 17:00 + 4 h = Fri 17-18 (1 h) + Mon 9-12 (3 h) -> Monday 12:00;
    # + 18 h = Fri 1 h + Mon 9 h + Tue 8 h -> Tuesday 17:00 (Madrid time).
    case = opened(org.bilbao, priority=Priority.HIGH, now=at("2026-03-06 17:00"))

    assert case.first_response_due == at("2026-03-09 12:00")
    assert case.resolution_due == at("2026-03-10 17:00")


def test_new_working_hours_apply_to_the_next_case_at_once(org: Org) -> None:
    before = opened(org.bilbao, "Antes", priority=Priority.HIGH, now=at("2026-03-07 10:00"))
    WorkingHours.objects.create(weekday=5, opens=dt.time(10), closes=dt.time(14))

    after = opened(org.bilbao, "Después", priority=Priority.HIGH, now=at("2026-03-07 10:00"))

    assert before.first_response_due == at("2026-03-09 13:00")  # Saturday closed
    assert after.first_response_due == at("2026-03-07 14:00")  # Saturday 10-14 open


def test_urgent_cases_count_round_the_clock(org: Org) -> None:
    case = opened(org.bilbao, priority=Priority.URGENT, now=at("2026-03-07 23:30"))

    assert case.first_response_due == at("2026-03-08 00:30")
    assert case.resolution_due == at("2026-03-08 07:30")


def test_a_record_never_gets_two_cases(org: Org) -> None:
    data = NewCase(title="NPS 3", unit=org.bilbao, trigger=Trigger.RESPONSE, trigger_id=41)

    first, created = open_case(actor=SYSTEM, data=data)
    again, created_again = open_case(actor=SYSTEM, data=data)

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(kind=EventKind.OPENED).count() == 1


def test_a_case_is_taken_the_customer_called_and_it_is_resolved_on_their_timeline(
    org: Org, people: People
) -> None:
    ana = make_customer("Ana", phone="+34600112233")
    case = opened(org.bilbao, customer=ana, department="billing", now=at("2026-03-02 10:00"))
    elena = actor_of(people.elena)
    cause = RootCause.objects.get(name="Cargo duplicado")

    take(actor=elena, case=case, now=at("2026-03-02 10:20"))
    log_contact(
        actor=elena,
        case=case,
        channel="call",
        outcome="reached",
        text="Le devolvemos el cargo duplicado",
        now=at("2026-03-02 10:30"),
    )
    with pytest.raises(CaseError) as missing:
        resolve(actor=elena, case=case, root_cause=None, resolution="Abonado")
    resolve(
        actor=elena, case=case, root_cause=cause, resolution="Abonado", now=at("2026-03-02 11:00")
    )

    case.refresh_from_db()
    assert missing.value.field == "root_cause"
    assert (case.status, case.owner, case.root_cause) == (Status.RESOLVED, people.elena, cause)
    assert case.first_response_at == at("2026-03-02 10:20")
    assert case.resolved_at == at("2026-03-02 11:00")
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["opened", "assigned", "status", "contact", "status", "root_cause"]
    timeline = Interaction.objects.filter(customer=ana).order_by("occurred_at")
    assert [i.touchpoint.interaction_type.code for i in timeline] == [
        "case_opened",
        "case_contact",
        "case_resolved",
    ]
    assert {i.record_kind for i in timeline} == {"case"}


def test_a_closed_case_only_reopens_and_then_has_a_new_resolution_due(
    org: Org, people: People
) -> None:
    case = opened(org.bilbao, now=at("2026-03-02 10:00"))
    bruno = actor_of(people.bruno)
    cause = RootCause.objects.get(name="Retraso")
    resolve(
        actor=bruno, case=case, root_cause=cause, resolution="Entregado", now=at("2026-03-02 12:00")
    )
    set_status(actor=bruno, case=case, status=Status.CLOSED, now=at("2026-03-03 12:00"))

    with pytest.raises(CaseError) as wrong:
        set_status(actor=bruno, case=case, status=Status.WAITING)
    case = reopen(actor=bruno, case=case, reason="Sigue sin llegar", now=at("2026-03-05 10:00"))

    assert wrong.value.field == "status"
    assert (case.status, case.reopened, case.resolved_at) == (Status.REOPENED, 1, None)
    # Normal: 5 business days of 9 h from Thursday 10:00 -> Thursday 10:00 a week later.
    assert case.resolution_due == at("2026-03-12 10:00")


def test_agents_see_their_departments_cases_and_managers_their_units(
    org: Org, people: People
) -> None:
    billing = opened(org.bilbao, "Factura", department="billing")
    service = opened(org.bilbao, "Trato", department="customer_service")
    south = opened(org.sevilla, "Espera", department="billing")

    def seen(person: str) -> set[int]:
        return set(cases_for(actor_of(people.by_name(person))).values_list("pk", flat=True))

    assert seen("elena") == {billing.pk, south.pk}  # billing agent, whole company
    assert seen("carmen") == {billing.pk, service.pk}  # manages Norte
    assert seen("gabriel") == {south.pk}
    assert seen("bruno") == {billing.pk, service.pk, south.pk}
    assert seen("nadie") == set()


def test_a_case_is_assigned_only_to_someone_who_can_work_it(org: Org, people: People) -> None:
    service = opened(org.bilbao, "Trato", department="customer_service")

    with pytest.raises(CaseError) as refused:
        assign(actor=actor_of(people.carmen), case=service, owner=people.elena)
    assign(actor=actor_of(people.carmen), case=service, owner=people.diego)

    assert refused.value.field == "owner" and "elena" in refused.value.message
    assert Case.objects.get().owner == people.diego


def test_an_overdue_case_escalates_once_to_its_units_managers(org: Org, people: People) -> None:
    case = opened(org.bilbao, priority=Priority.HIGH, now=at("2026-03-02 09:00"))

    before = escalate_overdue(at("2026-03-02 12:59"))
    first = escalate_overdue(at("2026-03-02 13:01"))
    again = escalate_overdue(at("2026-03-03 18:00"))

    assert (before, first, again) == ([], [case.pk], [])
    escalation = CaseEvent.objects.get(kind=EventKind.ESCALATED)
    assert escalation.data == {"to": ["diego", "carmen"], "late": "first_response"}
    assert Department.objects.filter(cases=case).exists()
