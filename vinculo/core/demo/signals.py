"""The demo's service-to-sales signals: gold customers (value tier high or top) who call
customer service are told to sales; a fifth are held out. The signals of the last months
are raised as the contacts came in, and some of the customers sales was told about buy
within the month (more often than the held-out ones), so the uplift report has a story.

Called by the loader after the cases (``load_signals(rng, now)``); running it again adds
nothing (the rule is found by name, signals are unique per contact, sales per signal).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Department, Unit
from vinculo.cases.models import SalesSignal, SalesSignalRule
from vinculo.cases.rules import compile_rule
from vinculo.cases.signals import (
    Loaded,
    contacts,
    facts_of,
    link_sales,
    notify,
    skip_to_newest,
    write_signals,
)
from vinculo.cases.signals_services import SignalRuleData, save_signal_rule
from vinculo.core.demo.org import CONTACT_CENTRE
from vinculo.customers.choices import LifecycleStage
from vinculo.journeys.models import Channel, InteractionType
from vinculo.journeys.services import record_interaction

NAME = "Clientes oro que llaman a atención al cliente"
HISTORY = timedelta(days=120)
SOURCE = "demo-signals"
TOLD = timedelta(days=3)  # the signals of these last days are in the sales people's inbox
# The stages whose customers may buy again after a call (see the demo's corridors).
BUYERS = {LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, LifecycleStage.WON_BACK}
# How often a signal ends in a sale the demo adds (on top of the customers' own sales).
SOLD = {False: 0.30, True: 0.12}  # told, held out


def load_signals(rng: random.Random, now: datetime) -> int:
    """Returns how many signals were raised."""
    rule = SalesSignalRule.objects.filter(name=NAME).first() or _demo_rule()
    loaded = [Loaded(rule, compile_rule(rule.pk, rule.segment, [], rule.created_at))]
    events = facts_of(contacts([rule.source_department_id]).filter(occurred_at__gte=now - HISTORY))
    by_day = defaultdict(list)
    for facts in sorted(events, key=lambda f: (f["occurred_at"], f["id"])):
        by_day[facts["occurred_at"].date()].append(facts)
    raised = []
    for day in sorted(by_day):
        end_of_day = max(f["occurred_at"] for f in by_day[day]) + timedelta(hours=1)
        raised += write_signals(by_day[day], loaded, min(end_of_day, now), reach_back=True)
    # History is told to nobody; the last days' signals reach the sales people.
    notify([signal for signal in raised if signal.created_at >= now - TOLD], now)
    _sell(rng, raised, now)
    for weeks in range(HISTORY.days // 7 + 1):  # each signal's window, as the task saw it
        link_sales(min(now, now - HISTORY + timedelta(weeks=weeks)))
    link_sales(now)
    skip_to_newest()  # the task reads what comes in from now on
    return len(raised)


def _demo_rule() -> SalesSignalRule:
    return save_signal_rule(
        actor=SYSTEM,
        data=SignalRuleData(
            name=NAME,
            source_department=Department.objects.get(code="customer_service"),
            target_department=Department.objects.get(code="sales"),
            segment=[{"field": "value_tier", "op": "in", "value": ["high", "top"]}],
            window_days=30,
            holdout_percent=20,
        ),
    )


def _sell(rng: random.Random, signals: list[SalesSignal], now: datetime) -> None:
    """A sale some days after some signals: the calls sales made paid off, sometimes."""
    sale = InteractionType.objects.get(code="sale")
    channel = Channel.objects.get(code="call_centre")
    telesales = Unit.objects.get(code=CONTACT_CENTRE[1])  # sales calls from the contact centre
    for signal in signals:
        day = timezone.localtime(signal.created_at + timedelta(days=rng.randint(1, 25)))
        when = day.replace(hour=rng.randint(10, 17), minute=rng.randint(0, 59))  # office hours
        if when >= now or rng.random() >= SOLD[signal.held_out]:
            continue
        if signal.customer.lifecycle_stage not in BUYERS:
            continue  # the demo's corridors: the churned buy nothing, newcomers just bought
        record_interaction(
            customer=signal.customer,
            channel=channel,
            interaction_type=sale,
            unit=telesales,
            occurred_at=when,
            source=SOURCE,
            external_id=f"signal-{signal.pk}",
            amount=Decimal(rng.choice([180, 240, 360, 600])),
            currency="EUR",
        )
