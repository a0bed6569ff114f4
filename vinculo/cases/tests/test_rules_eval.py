"""Alert rules evaluated by the task on real events: a detractor in Norte opens one case,
once however often the task runs; text, topic and repeat rules; a new rule never reaches
back to events recorded before it."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.cases.choices import Priority, Trigger
from vinculo.cases.models import AlertRule, Case, Notification, RuleMatch, RuleState
from vinculo.cases.rule_choices import RuleAction, RuleEvent
from vinculo.cases.rules_eval import active_rules, write_matches
from vinculo.cases.rules_facts import read_responses
from vinculo.cases.rules_services import RuleData, save_rule
from vinculo.cases.tasks import evaluate_alert_rules_task
from vinculo.feedback.testing import filed
from vinculo.metrics.testing import answer, measure_survey
from vinculo.test import Org, People, add_interaction, at, make_customer
from vinculo.textan.models import Topic
from vinculo.textan.tasks import analyze_texts_task


def rule(
    event: str, *conditions: dict[str, Any], units: list[Unit] | None = None, **extra: Any
) -> AlertRule:
    data = RuleData(
        name=extra.pop("name", "Regla"),
        event=event,
        conditions=list(conditions),
        units=units or [],
        **extra,
    )
    return save_rule(actor=SYSTEM, data=data)


def detractors_in(org: Org, **extra: Any) -> AlertRule:
    return rule(
        RuleEvent.RESPONSE,
        {"field": "nps", "op": "lte", "value": 6.0},
        units=[org.norte],
        name="Detractor",
        action=RuleAction.BOTH,
        priority=Priority.HIGH,
        **extra,
    )


def test_a_detractor_in_bilbao_opens_one_case_and_one_in_sevilla_none(
    org: Org, people: People
) -> None:
    detractor = detractors_in(org)
    survey = measure_survey(org.company)
    ana = make_customer("Ana", phone="+34600111222")
    bilbao = answer(survey, org.bilbao, at("2026-03-02 10:00"), customer=ana, nps=3)
    answer(survey, org.sevilla, at("2026-03-02 10:00"), nps=2)
    answer(survey, org.bilbao, at("2026-03-02 11:00"), nps=9)

    evaluate_alert_rules_task.call()

    case = Case.objects.get()
    assert (case.trigger, case.trigger_id) == (Trigger.RESPONSE, bilbao.pk)
    assert (case.unit, case.customer, case.priority) == (org.bilbao, ana, Priority.HIGH)
    assert case.title == "Detractor: Bilbao Centro"
    assert case.department is not None and case.department.code == "customer_service"
    match = RuleMatch.objects.get()
    assert (match.rule, match.event_id, match.case) == (detractor, bilbao.pk, case)
    # Bilbao's managers: Diego (Bilbao) and Carmen (Norte), not Gabriel (Sur).
    notified = sorted(n.recipient.username for n in Notification.objects.all())
    assert notified == ["carmen", "diego"]
    assert all(n.case == case for n in Notification.objects.all())


def test_running_the_task_again_adds_no_case_match_or_notification(
    org: Org, people: People
) -> None:
    detractors_in(org)
    rule(RuleEvent.RESPONSE, {"field": "csat", "op": "lte", "value": 2.0}, name="CSAT bajo")
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-02 10:00"), nps=1, csat=1)
    evaluate_alert_rules_task.call()
    counts = (Case.objects.count(), RuleMatch.objects.count(), Notification.objects.count())

    evaluate_alert_rules_task.call()
    evaluate_alert_rules_task.call()

    assert counts == (1, 2, 2)  # one case for the response, both rules' matches point at it
    assert (Case.objects.count(), RuleMatch.objects.count(), Notification.objects.count()) == counts
    assert {m.case_id for m in RuleMatch.objects.all()} == {Case.objects.get().pk}


def test_an_angry_comment_opens_a_case_about_its_response(org: Org, people: People) -> None:
    rule(RuleEvent.TEXT, {"field": "emotion:anger", "op": "gte", "value": 0.5}, name="Enfado")
    survey = measure_survey(org.company)
    angry = answer(
        survey,
        org.sevilla,
        at("2026-03-02 10:00"),
        comentario="Estoy furioso, es una vergüenza, me han cobrado dos veces",
    )
    answer(survey, org.sevilla, at("2026-03-02 10:05"), comentario="Todo perfecto, muy amables")
    analyze_texts_task.call()

    evaluate_alert_rules_task.call()

    case = Case.objects.get()
    assert (case.trigger, case.trigger_id, case.unit) == (Trigger.RESPONSE, angry.pk, org.sevilla)
    assert RuleMatch.objects.get().event == RuleEvent.TEXT


def test_a_topic_rule_matches_texts_about_its_subtopics(org: Org, people: People) -> None:
    leaving = Topic.objects.create(name="Baja", terms="baja\ncancelar")
    Topic.objects.create(name="Portabilidad", parent=leaving, terms="portabilidad")
    rule(RuleEvent.TEXT, {"field": "topic", "op": "has", "value": leaving.pk}, name="Baja")
    about_it = filed(org.bilbao, "He pedido la portabilidad a otra compañía.")
    filed(org.bilbao, "La tienda estaba limpia y ordenada.")
    analyze_texts_task.call()

    evaluate_alert_rules_task.call()

    case = Case.objects.get()
    assert (case.trigger, case.trigger_id) == (Trigger.FEEDBACK, about_it.pk)


def test_three_complaints_in_seven_days_open_a_case_on_the_third(org: Org, people: People) -> None:
    rule(
        RuleEvent.INTERACTION,
        {"field": "interaction_type", "op": "eq", "value": "complaint"},
        {"field": "repeat:complaint", "op": "gte", "value": 3, "days": 7},
        name="Reclama mucho",
    )
    luis = make_customer("Luis", phone="+34600999888")
    marta = make_customer("Marta", phone="+34600999777")
    add_interaction(luis, org.bilbao, when="2026-03-01 10:00", kind="complaint")
    add_interaction(luis, org.bilbao, when="2026-03-04 10:00", kind="complaint")
    add_interaction(luis, org.bilbao, when="2026-03-05 10:00", kind="sale")
    third = add_interaction(luis, org.bilbao, when="2026-03-07 09:00", kind="complaint")
    # Marta's third complaint comes 10 days after her first: never 3 within 7 days.
    for day in ("2026-03-01 10:00", "2026-03-06 10:00", "2026-03-11 10:00"):
        add_interaction(marta, org.bilbao, when=day, kind="complaint")

    evaluate_alert_rules_task.call()

    case = Case.objects.get()
    assert (case.trigger, case.trigger_id, case.customer) == (Trigger.INTERACTION, third.pk, luis)
    assert case.department is not None and case.department.code == "customer_service"


def test_a_rule_created_after_the_events_does_not_reach_back(org: Org, people: People) -> None:
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-02 10:00"), nps=0)
    before = timezone.now()

    detractors_in(org)
    evaluate_alert_rules_task.call()
    later = answer(survey, org.bilbao, at("2026-03-01 10:00"), nps=4)
    evaluate_alert_rules_task.call()

    assert AlertRule.objects.get().created_at >= before
    assert [c.trigger_id for c in Case.objects.all()] == [later.pk]


def test_a_notify_only_rule_notifies_without_opening_a_case(org: Org, people: People) -> None:
    rule(
        RuleEvent.FEEDBACK,
        {"field": "source", "op": "eq", "value": "complaint"},
        name="Queja",
        action=RuleAction.NOTIFY,
        units=[org.sur],
    )
    filed(org.sevilla, "No me devuelven el dinero", source="complaint")

    evaluate_alert_rules_task.call()
    evaluate_alert_rules_task.call()

    assert not Case.objects.exists()
    assert [n.recipient.username for n in Notification.objects.all()] == ["gabriel"]
    assert Notification.objects.get().case is None


def test_a_response_committed_late_below_the_mark_is_still_read(org: Org, people: People) -> None:
    detractors_in(org)
    survey = measure_survey(org.company)
    late = answer(survey, org.bilbao, at("2026-03-02 10:00"), nps=2)
    # Another run already read past it (a transaction that took a lower id committed later).
    RuleState.objects.update_or_create(pk=1, defaults={"last_response_id": late.pk + 50})

    evaluate_alert_rules_task.call()

    assert [c.trigger_id for c in Case.objects.all()] == [late.pk]
    assert RuleState.objects.get().last_response_id == late.pk + 50


def test_two_runs_reading_the_same_chunk_write_each_match_once(org: Org, people: People) -> None:
    detractor = detractors_in(org)
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-02 10:00"), nps=2)
    events = read_responses(0, 100, {"nps"})
    rules = active_rules()[RuleEvent.RESPONSE]

    first = write_matches(RuleEvent.RESPONSE, events, rules, timezone.now())
    second = write_matches(RuleEvent.RESPONSE, events, rules, timezone.now())

    assert (first, second) == (1, 0)
    assert RuleMatch.objects.get().rule == detractor
    assert (Case.objects.count(), Notification.objects.count()) == (1, 2)


def test_evaluating_more_events_takes_no_more_queries(org: Org, people: People) -> None:
    detractors_in(org)
    rule(RuleEvent.RESPONSE, {"field": "answer:tienda", "op": "eq", "value": "playa"})
    survey = measure_survey(org.company)

    def queries_for(count: int) -> int:
        for _n in range(count):
            answer(survey, org.sevilla, at("2026-03-02 10:00"), nps=3, tienda="centro")
        with CaptureQueriesContext(connection) as run:
            evaluate_alert_rules_task.call()
        return len(run.captured_queries)

    evaluate_alert_rules_task.call()  # the state row exists from now on

    assert queries_for(3) == queries_for(30)
    assert not Case.objects.exists()
