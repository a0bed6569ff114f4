"""Service-to-sales signals: a gold customer calling customer service raises one signal,
once, told to the sales people whose units cover it; a share held out, always the same
customers; the first sale within the window linked; the uplift against worked values."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.choices import Role
from vinculo.accounts.models import Department, Unit
from vinculo.accounts.services import create_person
from vinculo.cases.choices import NotificationKind
from vinculo.cases.models import Notification, RuleState, SalesSignal, SalesSignalRule
from vinculo.cases.signals import _link as real_link
from vinculo.cases.signals import evaluate_signals, held_out, signal_text
from vinculo.cases.signals_report import report, uplift
from vinculo.cases.signals_services import (
    SignalRuleData,
    check_segment,
    frozen_changes,
    save_signal_rule,
)
from vinculo.customers.models import Customer
from vinculo.journeys.models import Interaction, InteractionType
from vinculo.test import Org, People, add_interaction, at, make_customer

NOW = at("2026-03-05 12:00")
GOLD = [{"field": "value_tier", "op": "in", "value": ["high", "top"]}]


def signal_rule(units: list[Unit] | None = None, **changes: Any) -> SalesSignalRule:
    data = SignalRuleData(
        name=changes.pop("name", "Oro a ventas"),
        source_department=Department.objects.get(code="customer_service"),
        target_department=changes.pop("target_department", Department.objects.get(code="sales")),
        segment=changes.pop("segment", GOLD),
        units=units or [],
        **{"holdout_percent": 0, **changes},
    )
    return save_signal_rule(actor=SYSTEM, data=data)


def customer(name: str, tier: str = "top") -> Customer:
    found = make_customer(name)
    Customer.objects.filter(pk=found.pk).update(value_tier=tier)
    return found


def seller(username: str, unit: Unit | None = None, department: str = "sales") -> User:
    return create_person(
        username=username,
        password=None,
        role=Role.AGENT,
        unit=unit,
        department=Department.objects.get(code=department),
    )


def test_a_gold_customer_calling_customer_service_raises_one_signal_once(
    org: Org, people: People
) -> None:
    rule = signal_rule()
    oro, bronce = customer("Olga Oro"), customer("Bruno Bronce", tier="low")
    call = add_interaction(oro, org.bilbao, when="2026-03-02 10:00", kind="complaint")
    add_interaction(bronce, org.bilbao, when="2026-03-02 10:00", kind="complaint")
    add_interaction(oro, org.bilbao, when="2026-03-02 11:00", kind="billing")  # billing's

    read = evaluate_signals(now=NOW)
    again = evaluate_signals(now=NOW)

    signal = SalesSignal.objects.get()
    assert (signal.rule, signal.customer, signal.interaction) == (rule, oro, call)
    assert (signal.unit, signal.created_at, signal.held_out) == (
        org.bilbao,
        call.occurred_at,
        False,
    )
    assert read == 2 and again == 2  # the look-back reads them again, adding nothing
    assert SalesSignal.objects.count() == 1
    assert RuleState.objects.get().last_signal_interaction_id >= call.pk


def test_a_rule_only_reads_contacts_in_its_units_and_recorded_after_it(
    org: Org, people: People
) -> None:
    oro, plata = customer("Olga Oro"), customer("Pedro Plata")
    add_interaction(oro, org.bilbao, when="2026-03-02 09:00", kind="complaint")  # before it
    signal_rule(units=[org.norte])
    add_interaction(plata, org.sevilla, when="2026-03-02 10:00", kind="complaint")  # Sur

    evaluate_signals(now=NOW)

    assert not SalesSignal.objects.exists()


def test_a_chatty_customer_is_one_signal_per_window(org: Org, people: People) -> None:
    signal_rule(window_days=30)
    oro = customer("Olga Oro")
    for day in ("2026-03-01", "2026-03-03", "2026-03-20"):
        add_interaction(oro, org.bilbao, when=f"{day} 10:00", kind="complaint")
    later = add_interaction(oro, org.bilbao, when="2026-04-02 10:00", kind="complaint")

    evaluate_signals(now=at("2026-03-25 12:00"))
    evaluate_signals(now=at("2026-04-03 12:00"))

    raised = list(SalesSignal.objects.order_by("created_at").values_list("created_at", flat=True))
    assert raised == [at("2026-03-01 10:00"), later.occurred_at]


def test_a_contact_older_than_the_window_when_read_raises_nothing(org: Org, people: People) -> None:
    signal_rule(window_days=7)
    add_interaction(customer("Olga Oro"), org.bilbao, when="2026-02-01 10:00", kind="complaint")

    evaluate_signals(now=NOW)

    assert not SalesSignal.objects.exists()


def test_held_out_is_a_reproducible_hash_of_rule_and_customer() -> None:
    # The first 8 hex digits of sha256("1:1"), modulo 100, are 52; of "1:2", 40.
    assert held_out(1, 1, 53) and not held_out(1, 1, 52)
    assert held_out(1, 2, 41) and not held_out(1, 2, 40)
    assert not held_out(1, 1, 0)


def test_held_out_signals_follow_the_hash_and_tell_nobody(org: Org, people: People) -> None:
    rule = signal_rule(holdout_percent=50)
    seller("vendedora")
    names = [f"Cliente {n}" for n in range(16)]
    for name in names:
        add_interaction(customer(name), org.bilbao, when="2026-03-02 10:00", kind="complaint")

    evaluate_signals(now=NOW)

    signals = list(SalesSignal.objects.all())
    assert len(signals) == 16
    assert all(s.held_out == held_out(rule.pk, s.customer_id, 50) for s in signals)
    assert {s.held_out for s in signals} == {True, False}
    told = set(Notification.objects.values_list("signal_id", flat=True))
    assert told == {s.pk for s in signals if not s.held_out}


def test_the_sales_people_whose_units_cover_the_contact_are_told(org: Org, people: People) -> None:
    signal_rule()
    norte, anywhere = seller("ventas.norte", org.norte), seller("ventas.todas")
    seller("ventas.sur", org.sur)
    seller("ventas.santander", org.santander)
    seller("servicio", department="customer_service")
    oro = customer("Olga Oro")
    add_interaction(oro, org.bilbao, when="2026-03-02 10:00", kind="complaint", channel="chat")

    evaluate_signals(now=NOW)
    evaluate_signals(now=NOW)

    signal = SalesSignal.objects.get()
    rows = list(Notification.objects.order_by("recipient__username"))
    assert [n.recipient for n in rows] == [norte, anywhere]
    assert all(n.kind == NotificationKind.SIGNAL for n in rows)
    assert all((n.signal, n.key) == (signal, f"signal-{signal.pk}") for n in rows)
    assert all("Olga Oro" in n.text and "Bilbao Centro" in n.text for n in rows)


def test_the_first_sale_within_the_window_is_linked_and_a_later_one_is_not(
    org: Org, people: People
) -> None:
    signal_rule(window_days=30)
    ana, luis, eva = customer("Ana"), customer("Luis"), customer("Eva")
    for person in (ana, luis, eva):
        add_interaction(person, org.bilbao, when="2026-03-01 10:00", kind="complaint")
    add_interaction(ana, org.bilbao, when="2026-02-20 10:00", kind="sale")  # before it
    add_interaction(ana, org.bilbao, when="2026-03-05 10:00", kind="payment")  # not a sale
    first = add_interaction(ana, org.bilbao, when="2026-03-10 10:00", kind="order")
    add_interaction(ana, org.bilbao, when="2026-03-12 10:00", kind="sale")
    add_interaction(luis, org.bilbao, when="2026-04-15 10:00", kind="sale")  # too late
    evaluate_signals(now=at("2026-03-02 10:00"))

    evaluate_signals(now=at("2026-04-20 10:00"))

    linked = {s.customer_id: (s.sale_id, s.sale_at) for s in SalesSignal.objects.all()}
    assert linked == {
        ana.pk: (first.pk, first.occurred_at),
        luis.pk: (None, None),
        eva.pk: (None, None),
    }


def test_the_uplift_matches_newcombes_worked_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 against 48/80.
    found = uplift(56, 70, 48, 80, min_sample=30)

    assert found.notified.value == pytest.approx(80.0)
    assert (found.notified.low, found.notified.high) == pytest.approx((69.18, 87.70), abs=0.01)
    assert (found.held_out.low, found.held_out.high) == pytest.approx((49.05, 70.04), abs=0.01)
    assert found.difference is not None
    assert found.difference.value == pytest.approx(20.0)
    assert (found.difference.low, found.difference.high) == pytest.approx((5.24, 33.39), abs=0.01)
    assert found.difference.significant


def test_a_group_below_the_minimum_sample_is_suppressed() -> None:
    found = uplift(20, 40, 3, 10, min_sample=30)

    assert found.notified.value == pytest.approx(50.0)
    assert found.held_out.value is None and found.held_out.suppressed
    assert found.held_out.n == 10
    assert found.difference is None


def test_the_report_counts_signals_whose_window_closed(org: Org, people: People) -> None:
    rule = signal_rule(window_days=10)
    for number in range(5):
        person = customer(f"Cliente {number}")
        contact = add_interaction(person, org.bilbao, when="2026-03-01 10:00", kind="complaint")
        sale = add_interaction(person, org.bilbao, when="2026-03-04 10:00", kind="sale")
        SalesSignal.objects.create(
            rule=rule,
            customer=person,
            interaction=contact,
            unit=org.bilbao,
            held_out=number >= 3,
            created_at=contact.occurred_at - timedelta(days=20 if number else 0),
            sale=sale if number % 2 == 0 else None,
        )

    found = report(SYSTEM, rule, now=at("2026-03-05 10:00"))

    up = found.uplift
    # Below the minimum a group shows n but not its sales: sales / n would be the rate.
    assert (up.notified.n, up.notified_sales, up.held_out.n, up.held_out_sales) == (
        2,
        None,
        2,
        None,
    )
    assert found.waiting == 1
    assert up.notified.suppressed and up.difference is None  # below 30
    assert len(found.recent) == 5


def test_a_segment_names_the_bad_condition() -> None:
    with translation.override("en"):
        cleaned, errors = check_segment(
            [
                {"field": "value_tier", "op": "in", "value": "high, top"},
                {"field": "nps", "op": "lte", "value": 6},
                {"field": "lifecycle_stage", "op": "eq", "value": "dormido"},
            ]
        )

    assert cleaned == [{"field": "value_tier", "op": "in", "value": ["high", "top"]}]

    assert [e.split(":")[0] for e in errors] == [
        "Condition 2 (nps)",
        "Condition 3 (lifecycle_stage)",
    ]


def test_the_uplift_counts_each_customers_first_closed_signal_only(
    org: Org, people: People
) -> None:
    # Ana has three signals (sold after the second), Luis one (sold), Eva one (not sold):
    # per customer, the first signal decides: Ana not sold, Luis sold, Eva not sold.
    rule = signal_rule(window_days=10)
    ana, luis, eva = customer("Ana"), customer("Luis"), customer("Eva")
    plan = [
        (ana, "2026-01-01 10:00", False),
        (ana, "2026-01-20 10:00", True),
        (ana, "2026-02-10 10:00", False),
        (luis, "2026-01-05 10:00", True),
        (eva, "2026-01-06 10:00", False),
    ]
    for person, when, sold in plan:
        contact = add_interaction(person, org.bilbao, when=when, kind="complaint")
        sale = add_interaction(person, org.bilbao, when=when.replace("10:00", "12:00"))
        SalesSignal.objects.create(
            rule=rule,
            customer=person,
            interaction=contact,
            unit=org.bilbao,
            created_at=contact.occurred_at,
            sale=sale if sold else None,
        )

    with mock.patch("vinculo.cases.signals_report.policy_min_sample", return_value=1):
        found = report(SYSTEM, rule, now=NOW)

    up = found.uplift
    assert (up.notified.n, up.notified_sales) == (3, 1)
    assert up.notified.value == pytest.approx(100 / 3)


def test_a_marketing_rule_is_measured_on_marketing_sales(org: Org, people: People) -> None:
    marketing = Department.objects.get(code="marketing")
    template = InteractionType.objects.get(code="sale")
    template.pk, template.code, template.name = None, "subscription", "Suscripción"
    template.department = marketing
    template.save()
    signal_rule(target_department=marketing)
    ana, luis = customer("Ana"), customer("Luis")
    for person in (ana, luis):
        add_interaction(person, org.bilbao, when="2026-03-01 10:00", kind="complaint")
    subscribed = add_interaction(ana, org.bilbao, when="2026-03-03 10:00", kind="subscription")
    add_interaction(luis, org.bilbao, when="2026-03-03 10:00", kind="sale")  # sales', not ours

    evaluate_signals(now=NOW)

    linked = {s.customer_id: s.sale_id for s in SalesSignal.objects.all()}
    assert linked == {ana.pk: subscribed.pk, luis.pk: None}


def test_linking_checks_only_the_customers_with_a_new_sale_and_is_idempotent(
    org: Org, people: People
) -> None:
    signal_rule(window_days=30)
    buyers = [customer(f"Cliente {n}") for n in range(6)]
    for person in buyers:
        add_interaction(person, org.bilbao, when="2026-03-01 10:00", kind="complaint")
    evaluate_signals(now=at("2026-03-02 10:00"))
    sale = add_interaction(buyers[0], org.bilbao, when="2026-03-02 11:00", kind="sale")
    checked: list[int] = []

    def spy(batch: list[SalesSignal]) -> int:
        checked.extend(s.customer_id for s in batch)
        return real_link(batch)

    with mock.patch("vinculo.cases.signals._link", side_effect=spy):
        evaluate_signals(now=at("2026-03-03 10:00"))
        evaluate_signals(now=at("2026-03-04 10:00"))

    assert checked == [buyers[0].pk]  # once: the second tick finds it linked already
    linked = SalesSignal.objects.exclude(sale=None).values_list("customer_id", "sale_id")
    assert list(linked) == [(buyers[0].pk, sale.pk)]


def test_a_late_contact_gets_the_sale_recorded_before_it(org: Org, people: People) -> None:
    signal_rule(window_days=30)
    ana = customer("Ana")
    sale = add_interaction(ana, org.bilbao, when="2026-03-03 10:00", kind="sale")
    evaluate_signals(now=at("2026-03-03 11:00"))
    add_interaction(ana, org.bilbao, when="2026-03-01 10:00", kind="complaint")  # imported late

    evaluate_signals(now=at("2026-03-04 10:00"))

    assert SalesSignal.objects.get().sale_id == sale.pk


def test_window_and_holdout_are_fixed_once_a_rule_has_signals(org: Org, people: People) -> None:
    rule = signal_rule(window_days=30, holdout_percent=10)
    before = frozen_changes(rule, window_days=60, holdout_percent=20)
    add_interaction(customer("Ana"), org.bilbao, when="2026-03-02 10:00", kind="complaint")
    evaluate_signals(now=NOW)

    with translation.override("en"):
        after = frozen_changes(rule, window_days=60, holdout_percent=10)

    assert before == {}
    assert list(after) == ["window_days"] and "new rule" in after["window_days"]


def test_a_signals_text_names_the_customer_but_not_their_value_tier(
    org: Org, people: People
) -> None:
    signal_rule()
    oro = customer("Olga Oro")
    add_interaction(oro, org.bilbao, when="2026-03-02 10:00", kind="complaint", channel="chat")
    evaluate_signals(now=NOW)
    signal = SalesSignal.objects.select_related("rule__source_department").get()
    contacts_of = Interaction.objects.select_related(
        "touchpoint__interaction_type", "touchpoint__channel"
    ).in_bulk([signal.interaction_id])

    with translation.override("en"):
        text = signal_text(signal, oro, org.bilbao, contacts_of)

    assert text.startswith("Oro a ventas: Olga Oro contacted ")
    assert "Bilbao Centro" in text
    assert "Top" not in text and "value" not in text
