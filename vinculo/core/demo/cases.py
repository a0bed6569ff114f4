"""The demo's closed loop: two alert rules that watch what comes in from now on, and the
detractors of the last two weeks as cases, some already worked by the demo people.

Cases are opened when each response came in (their SLA due times are those of that
moment), so the list shows a believable mix: resolved, in progress, and some overdue.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth.models import User

from vinculo.accounts.actors import SYSTEM, actor_for_user
from vinculo.accounts.models import Department
from vinculo.cases.choices import ContactChannel, ContactOutcome, Priority, Trigger
from vinculo.cases.deadlines import business_calendar
from vinculo.cases.models import AlertRule, RootCause
from vinculo.cases.rule_choices import RuleAction, RuleEvent
from vinculo.cases.rules_services import RuleData, save_rule
from vinculo.cases.services import (
    NewCase,
    log_contact,
    open_case,
    reopen,
    resolve,
    take,
)
from vinculo.surveys.choices import ResponseStatus
from vinculo.surveys.models import Answer

RECENT = timedelta(days=120)  # enough history for the root causes and case metrics
MOST = 600  # cases opened from recent detractors
WAITING = timedelta(days=2)  # the cases of these last days still wait for someone


def load_cases(rng: random.Random, now: datetime) -> int:
    """Returns how many cases were opened."""
    service = Department.objects.get(code="customer_service")
    if not AlertRule.objects.exists():
        _demo_rules(service)
    detractors = list(
        Answer.objects.filter(
            question__key="nps",
            number__lte=6,
            response__status=ResponseStatus.COMPLETE,
            response__completed_at__gte=now - RECENT,
        )
        .select_related("response__unit", "response__customer", "response__channel")
        .order_by("-response__completed_at")[:MOST]
    )
    people = [User.objects.get(username=name) for name in ("ana.vidal", "lucia.ortega")]
    causes = list(RootCause.objects.filter(parent__isnull=False))
    opened = 0
    hours = business_calendar()
    for number, answer in enumerate(detractors):
        response = answer.response
        assert response.completed_at is not None
        case, created = open_case(
            actor=SYSTEM,
            data=NewCase(
                title=f"Detractor en {response.unit.name} (NPS {answer.number})",
                unit=response.unit,
                customer=response.customer,
                department=service,
                priority=Priority.HIGH,
                trigger=Trigger.RESPONSE,
                trigger_id=response.pk,
                channel_code=response.channel.code,
            ),
            now=response.completed_at,
        )
        opened += created
        recent = number < 3 or response.completed_at > now - WAITING
        if not created or recent or rng.random() < 0.08:
            continue  # the newest, and a few others, still wait for someone
        actor = actor_for_user(rng.choice(people))
        # People work in business hours: each step some business minutes after the last.
        taken = hours.add(response.completed_at, rng.randint(20, 600))
        called = hours.add(taken, rng.randint(5, 120))
        solved = hours.add(called, rng.randint(60, 960))
        if taken >= now:
            continue
        take(actor=actor, case=case, now=taken)
        if called >= now:
            continue
        log_contact(
            actor=actor,
            case=case,
            channel=ContactChannel.CALL,
            outcome=rng.choice([ContactOutcome.REACHED, ContactOutcome.LEFT_MESSAGE]),
            text="Llamada de seguimiento tras su valoración.",
            now=called,
        )
        if solved >= now or rng.random() >= 0.9:
            continue
        # A few causes come back again and again: what the outer loop should find.
        cause = rng.choices(causes, weights=[1 / (rank + 1) for rank in range(len(causes))])[0]
        resolution = "Se explicó el problema y se aplicó la solución acordada."
        resolve(actor=actor, case=case, root_cause=cause, resolution=resolution, now=solved)
        back = hours.add(solved, rng.randint(120, 1440))
        if back < now and rng.random() < 0.08:  # "it still happens": reopened, solved again
            reopen(actor=actor, case=case, reason="El cliente dice que sigue igual.", now=back)
            again = hours.add(back, rng.randint(60, 600))
            if again < now:
                resolve(actor=actor, case=case, root_cause=cause, resolution=resolution, now=again)
    return opened


def _demo_rules(service: Department) -> None:
    save_rule(
        actor=SYSTEM,
        data=RuleData(
            name="Detractores",
            event=RuleEvent.RESPONSE,
            conditions=[{"field": "nps", "op": "lte", "value": 6}],
            action=RuleAction.BOTH,
            priority=Priority.HIGH,
            department=service,
            title="Detractor en {unit}",
        ),
    )
    save_rule(
        actor=SYSTEM,
        data=RuleData(
            name="Enfado en opiniones",
            event=RuleEvent.TEXT,
            conditions=[{"field": "emotion:anger", "op": "gte", "value": 0.6}],
            priority=Priority.NORMAL,
            department=service,
            title="Cliente enfadado en {unit}",
        ),
    )
