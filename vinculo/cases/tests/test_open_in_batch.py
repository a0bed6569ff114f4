"""Opening cases in one batch (the alert rules' way) does what opening them one by one does:
due times, the opening in the activity log, the customer's timeline, and never a second
case for a record."""

from vinculo.accounts.actors import SYSTEM
from vinculo.cases.choices import EventKind, Priority, Trigger
from vinculo.cases.models import Case, CaseEvent, SlaTarget
from vinculo.cases.services import NewCase, open_case, open_cases
from vinculo.journeys.models import Interaction
from vinculo.test import Org, at, make_customer


def test_a_batch_opens_each_record_once_with_its_log_due_times_and_timeline(org: Org) -> None:
    sofia = make_customer("Sofía", email="sofia@example.com")
    when = at("2026-03-06 17:00")
    batch = [
        NewCase(
            title="NPS 2",
            unit=org.bilbao,
            trigger=Trigger.RESPONSE,
            trigger_id=7,
            customer=sofia,
            priority=Priority.HIGH,
        ),
        NewCase(title="NPS 0", unit=org.bilbao, trigger=Trigger.RESPONSE, trigger_id=8),
        NewCase(title="NPS 0 again", unit=org.bilbao, trigger=Trigger.RESPONSE, trigger_id=8),
    ]

    cases = open_cases(actor=SYSTEM, batch=batch, now=when)

    assert sorted(cases) == [(Trigger.RESPONSE, 7), (Trigger.RESPONSE, 8)]
    assert Case.objects.count() == 2
    seven = Case.objects.get(trigger_id=7)
    one_by_one, _created = open_case(
        actor=SYSTEM,
        data=NewCase(title="Manual", unit=org.bilbao, priority=Priority.HIGH),
        now=when,
    )
    assert (seven.first_response_due, seven.resolution_due) == (
        one_by_one.first_response_due,
        one_by_one.resolution_due,
    )
    assert Case.objects.get(trigger_id=8).title == "NPS 0"  # the first of the batch
    opened_events = CaseEvent.objects.filter(kind=EventKind.OPENED, case__trigger=Trigger.RESPONSE)
    assert opened_events.count() == 2
    row = Interaction.objects.get(record_kind="case", record_id=seven.pk)
    assert row.customer_id == sofia.pk and row.touchpoint.interaction_type.code == "case_opened"


def test_a_record_that_has_a_case_keeps_it_and_gets_no_other(org: Org) -> None:
    data = NewCase(title="NPS 3", unit=org.bilbao, trigger=Trigger.RESPONSE, trigger_id=41)
    first, _created = open_case(actor=SYSTEM, data=data)

    cases = open_cases(actor=SYSTEM, batch=[data, data], now=at("2026-03-06 17:00"))

    assert cases[(Trigger.RESPONSE, 41)].pk == first.pk
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(kind=EventKind.OPENED).count() == 1


def test_an_entry_that_cannot_open_is_left_out_and_the_others_open(org: Org) -> None:
    SlaTarget.objects.filter(priority=Priority.LOW).delete()
    batch = [
        NewCase(
            title="Sin SLA",
            unit=org.bilbao,
            trigger=Trigger.FEEDBACK,
            trigger_id=1,
            priority=Priority.LOW,
        ),
        NewCase(title="   ", unit=org.bilbao, trigger=Trigger.FEEDBACK, trigger_id=2),
        NewCase(title="Bien", unit=org.bilbao, trigger=Trigger.FEEDBACK, trigger_id=3),
    ]

    cases = open_cases(actor=SYSTEM, batch=batch, now=at("2026-03-06 17:00"))

    assert list(cases) == [(Trigger.FEEDBACK, 3)]
    assert list(Case.objects.values_list("title", flat=True)) == ["Bien"]
