"""A case's rows on the customer's timeline read as a case: its number linked to the case
page, its title, how the contact went and the root cause, in words, not codes."""

from django.urls import reverse
from django.utils import translation

from vinculo.cases.choices import ContactChannel, ContactOutcome, Status
from vinculo.cases.models import RootCause
from vinculo.cases.services import add_note, log_contact, reopen, resolve, set_status
from vinculo.cases.testing import opened
from vinculo.journeys.models import Interaction
from vinculo.test import Org, People, actor_of, at, client_for, make_customer


def test_case_rows_on_the_timeline_show_the_case_and_how_it_went(org: Org, people: People) -> None:
    sofia = make_customer("Sofía", email="sofia@example.com")
    case = opened(org.bilbao, "Cobro duplicado", customer=sofia, now=at("2026-03-06 10:00"))
    actor = actor_of(people.alicia)
    log_contact(
        actor=actor,
        case=case,
        channel=ContactChannel.CALL,
        outcome=ContactOutcome.REACHED,
        now=at("2026-03-06 11:00"),
    )
    cause = RootCause.objects.get(name="Trato del personal")
    resolve(
        actor=actor, case=case, root_cause=cause, resolution="Abono", now=at("2026-03-06 12:00")
    )

    page = client_for(people.alicia).get(reverse("customers:detail", args=[sofia.pk]))

    html = page.content.decode()
    assert html.count(f'href="{reverse("cases:case", args=[case.pk])}"') == 3
    assert "Cobro duplicado" in html and "Trato del personal" in html
    with translation.override("es"):
        assert str(ContactOutcome.REACHED.label) in html
    assert "reached" not in html and "outcome" not in html


def test_reopening_and_closing_are_on_the_timeline_and_notes_never(
    org: Org, people: People
) -> None:
    sofia = make_customer("Sofía", email="sofia@example.com")
    actor = actor_of(people.alicia)
    case = opened(org.bilbao, "Sin cobertura", customer=sofia, now=at("2026-03-02 10:00"))
    add_note(actor=actor, case=case, text="Cliente difícil", now=at("2026-03-02 10:05"))
    cause = RootCause.objects.get(name="Trato del personal")
    resolve(
        actor=actor, case=case, root_cause=cause, resolution="Hecho", now=at("2026-03-02 11:00")
    )
    reopen(actor=actor, case=case, reason="Sigue igual", now=at("2026-03-03 09:00"))
    resolve(actor=actor, case=case, root_cause=cause, resolution="Ya", now=at("2026-03-03 12:00"))
    set_status(actor=actor, case=case, status=Status.CLOSED, now=at("2026-03-04 09:00"))

    rows = Interaction.objects.filter(record_kind="case", record_id=case.pk).order_by(
        "occurred_at", "pk"
    )

    assert [row.touchpoint.interaction_type.code for row in rows] == [
        "case_opened",
        "case_resolved",
        "case_reopened",
        "case_resolved",
        "case_closed",
    ]
    assert not any("Cliente difícil" in str(row.attributes) for row in rows)
